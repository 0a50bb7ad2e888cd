#pragma once
// ConsoleSession — the console's state for the whole window's life: it follows the runs from
// the start, so the console's view can be created late (when its dock is first shown) and
// still show the current run's output, how it ended, and whether it wants input.
// GUI thread only; no widgets.

#include "consolebuffer.h"
#include "runcontroller.h"

#include <QObject>
#include <QPointer>

#include <vector>

namespace Loopscope::Console {

class ConsoleSession final : public QObject {
    Q_OBJECT
public:
    explicit ConsoleSession(Runtime::RunController *runs, QObject *parent = nullptr);

    ConsoleBuffer &buffer() { return m_buffer; }
    QString footerText() const { return m_footer; }
    bool isRunning() const { return m_running; }
    bool isStdinOpen() const { return m_running && !m_stdinClosed; }
    bool isStdinWanted() const { return m_stdinWanted; }

    // Replay: show only the first `bytes` bytes the run wrote (stdout and stderr together, in
    // the order written, as a trace's ConsoleWrite lengths count them); -1 shows everything.
    // The session keeps the run's output (up to kHistoryBytes) so that a limit can be moved
    // back and forth: forward appends what comes into view, backward rebuilds (outputReset).
    void setVisibleBytes(qint64 bytes);
    qint64 visibleBytes() const { return m_visibleBytes; }
    qint64 writtenBytes() const { return m_writtenBytes; }  // by the current run, so far
    static constexpr qint64 kHistoryBytes = qint64(64) << 20;

    // A saved trace's output instead of a run's: each write as the trace kept it (its first
    // bytes) and how long it really was, so byte limits mean the same as for a run.
    struct RecordedWrite {
        Runtime::OutputStream stream = Runtime::OutputStream::Stdout;
        QByteArray bytes;
        qint64 length = 0;
    };
    void showRecordedOutput(const QList<RecordedWrite> &writes, const QString &footer);

public Q_SLOTS:
    void appendOutput(const QList<Loopscope::Runtime::OutputChunk> &chunks);
    void sendInput(const QString &line);  // to the script's stdin, echoed into the output
    void closeStdin();

Q_SIGNALS:
    void runStarted();       // the buffer was reset for a new run
    void outputReset();      // the buffer was refilled from the start: the view must clear
    void outputQueued();     // the buffer has something new
    void stateChanged();     // footer, running, stdin

private:
    void onRunStarted(const QString &path);
    void onRunFinished(const Runtime::RunResult &result);
    // Feeds the buffer what lies between output offsets [from, to) of the history.
    void feedHistory(qint64 from, qint64 to);

    struct Written {
        qint64 offset = 0;  // output bytes the run wrote before this
        Runtime::OutputStream stream = Runtime::OutputStream::Stdout;
        QByteArray bytes;   // empty for echoed input
        QString input;
    };

    QPointer<Runtime::RunController> m_runs;
    ConsoleBuffer m_buffer;
    QString m_footer;
    bool m_running = false;
    bool m_stdinWanted = false;
    bool m_stdinClosed = false;
    std::vector<Written> m_history;  // this run's output and echoed input, in order
    qint64 m_writtenBytes = 0;
    qint64 m_visibleBytes = -1;
};

} // namespace Loopscope::Console
