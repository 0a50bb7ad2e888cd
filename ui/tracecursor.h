#pragma once
// TraceCursor — the window's one replay position: which trace the panes show (the live run's,
// or one read from a file), its TraceIndex, and the moment the panes draw. Every pane that
// shows the loop is a function of (index(), time()), so moving the cursor moves them together.
//
// Live: the cursor is pinned to the newest event; while a run records, the index is updated
// on a timer (30 Hz, on the GUI thread, reading only what the run has published: it never
// waits on the run) and a live cursor follows. Moving the cursor by hand leaves live mode.
//
// Navigation is by callback (the index's callbacks in start order) and by loop phase; the
// cursor then sits at the start of that callback or phase. GUI thread only.

#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <vector>

namespace Loopscope::Runtime {
class RunController;
class Trace;
class TraceIndex;
}

namespace Loopscope::Ui {

class TraceCursor final : public QObject {
    Q_OBJECT
public:
    static constexpr int kLiveUpdateIntervalMs = 33;

    explicit TraceCursor(QObject *parent = nullptr);
    ~TraceCursor() override;

    // Shows each traced run of `runs` live from its start.
    void followRuns(Runtime::RunController *runs);

    // Shows `trace`. `recording`: it still grows (a running script), so the index is updated
    // on the timer until finishRecording(). A trace that does not grow starts at its beginning.
    void setTrace(std::shared_ptr<const Runtime::Trace> trace, bool recording);
    // Reads a Chrome trace file (traceexport's format, .json or .json.gz) and shows it. On
    // failure the current trace stays and `error` says why.
    bool openFile(const QString &path, QString *error = nullptr);
    // The trace stopped growing (its run finished): one last update, then no timer.
    void finishRecording();

    std::shared_ptr<const Runtime::Trace> trace() const { return m_trace; }
    const Runtime::TraceIndex *index() const { return m_index.get(); }  // null without a trace
    bool hasTrace() const { return m_index != nullptr; }
    bool isRecording() const { return m_recording; }
    QString fileName() const { return m_fileName; }  // of an opened trace; empty for a run's

    bool isLive() const { return m_live; }
    std::uint64_t time() const { return m_time; }      // on the trace clock (ns)
    std::uint64_t startNs() const;                     // first and newest event; 0 without a trace
    std::uint64_t endNs() const;
    // The last callback that started at or before the cursor (it may have ended since), or -1.
    int callback() const { return m_callback; }
    int callbackCount() const;
    // The loop phase the cursor is in (index into the index's phases), or -1 before the first.
    int phase() const;
    // Console bytes (stdout and stderr, as ConsoleWrite lengths count them) written up to the
    // cursor; when the cursor sits on a callback, through that callback's end, so stepping onto
    // a callback shows what it printed.
    std::uint64_t outputBytes() const;
    // Where the script made the resource whose callback runs at the cursor (the innermost one):
    // the line that scheduled it. Empty path and line 0 when none is running or it is unknown.
    struct SourceLine {
        QString path;
        int line = 0;
    };
    SourceLine runningSourceLine() const;

public Q_SLOTS:
    void setLive(bool live);
    void moveTo(std::uint64_t ns);   // clamped to the trace; leaves live mode
    void moveToCallback(int n);      // clamped; leaves live mode
    void nextCallback();
    void previousCallback();
    void nextPhase();
    void previousPhase();
    void moveToStart();
    void moveToEnd();
    // Consumes what the trace published since the last update; the live timer calls it.
    void updateIndex();

Q_SIGNALS:
    void traceChanged();       // another trace (or none); the cursor moved too
    void indexGrew();          // the index has more events (live runs)
    void cursorMoved(std::uint64_t ns);
    void liveChanged(bool live);

private:
    void place(std::uint64_t ns, int callback, bool live);
    int callbackStartedBy(std::uint64_t ns) const;
    int phaseStartedBy(std::uint64_t ns) const;
    void extendOutputPrefix();

    std::shared_ptr<const Runtime::Trace> m_trace;
    std::unique_ptr<Runtime::TraceIndex> m_index;
    QTimer m_liveTimer;
    QString m_fileName;
    bool m_recording = false;
    bool m_live = false;
    std::uint64_t m_time = 0;
    int m_callback = -1;
    std::vector<std::uint64_t> m_outputPrefix;  // [i]: bytes written before console write i
};

} // namespace Loopscope::Ui
