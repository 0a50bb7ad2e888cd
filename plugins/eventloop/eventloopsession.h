#pragma once
// EventLoopSession — what the Event loop pane shows: a trace, its TraceIndex, and the cursor
// the LoopStateModel is at. With the window's TraceCursor it simply follows that cursor (the
// scrubber, the other panes and this one then move together). Without one it keeps its own: it
// follows each traced run of a RunController live (the cursor at the newest event, the index
// read on a timer: the GUI never waits on the run); setCursorNs() leaves live mode. Exists with
// the pane, before its view, so a run is traced from its start.
//
// Threads: GUI thread.

#include "loopstatemodel.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Loopscope::Runtime {
class RunController;
class Trace;
class TraceIndex;
}

namespace Loopscope::Ui { class TraceCursor; }

namespace Loopscope::EventLoop {

class EventLoopSession final : public QObject {
    Q_OBJECT
public:
    explicit EventLoopSession(Runtime::RunController *runs, Ui::TraceCursor *cursor = nullptr,
                              QObject *parent = nullptr);
    ~EventLoopSession() override;

    LoopStateModel *model() { return &m_model; }
    const Runtime::TraceIndex *index() const;

    // Shows `trace`; `recording`: it still grows, so it is read on a timer until
    // finishRecording(). A live session keeps its cursor at the newest event.
    void setTrace(std::shared_ptr<const Runtime::Trace> trace, bool recording);
    void finishRecording();
    bool isRecording() const { return m_timer.isActive(); }

    bool isLive() const;
    void setLive(bool live);
    void setCursorNs(std::uint64_t ns);  // leaves live mode

public Q_SLOTS:
    void updateIndex();

Q_SIGNALS:
    void traceChanged();

private:
    Ui::TraceCursor *m_cursor;
    std::shared_ptr<const Runtime::Trace> m_trace;
    std::unique_ptr<Runtime::TraceIndex> m_index;
    LoopStateModel m_model;
    QTimer m_timer;
    bool m_live = true;
};

} // namespace Loopscope::EventLoop
