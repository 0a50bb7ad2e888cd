#include "eventloopsession.h"

#include "constants.h"
#include "runcontroller.h"
#include "traceindex.h"
#include "tracecursor.h"

namespace Loopscope::EventLoop {

EventLoopSession::EventLoopSession(Runtime::RunController *runs, Ui::TraceCursor *cursor, QObject *parent)
    : QObject(parent), m_cursor(cursor)
{
    if (runs)
        runs->setTracing(true);
    if (m_cursor) {
        connect(m_cursor, &Ui::TraceCursor::traceChanged, this, [this] {
            m_model.setIndex(m_cursor->index());
            m_model.setCursorNs(m_cursor->time());
            Q_EMIT traceChanged();
        });
        // Live, a cursorMoved follows each growth: recompute once, there.
        connect(m_cursor, &Ui::TraceCursor::indexGrew, this, [this] { m_model.indexGrew(!m_cursor->isLive()); });
        connect(m_cursor, &Ui::TraceCursor::cursorMoved, this, [this](std::uint64_t ns) { m_model.setCursorNs(ns); });
        m_model.setIndex(m_cursor->index());
        m_model.setCursorNs(m_cursor->time());
        return;
    }
    m_timer.setInterval(Constants::LiveUpdateIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopSession::updateIndex);
    if (!runs)
        return;
    connect(runs, &Runtime::RunController::traceStarted, this,
            [this](const std::shared_ptr<Runtime::Trace> &trace) {
                m_live = true;
                setTrace(trace, true);
            });
    connect(runs, &Runtime::RunController::runFinished, this, &EventLoopSession::finishRecording);
}

EventLoopSession::~EventLoopSession()
{
    m_model.setIndex(nullptr);
}

const Runtime::TraceIndex *EventLoopSession::index() const
{
    return m_cursor ? m_cursor->index() : m_index.get();
}

bool EventLoopSession::isLive() const
{
    return m_cursor ? m_cursor->isLive() : m_live;
}

void EventLoopSession::setTrace(std::shared_ptr<const Runtime::Trace> trace, bool recording)
{
    if (m_cursor) {
        m_cursor->setTrace(std::move(trace), recording);
        return;
    }
    m_model.setIndex(nullptr);
    m_trace = std::move(trace);
    m_index = m_trace ? std::make_unique<Runtime::TraceIndex>(m_trace) : nullptr;
    if (m_index)
        m_index->update();
    m_model.setIndex(m_index.get());
    if (recording && m_index)
        m_timer.start();
    else
        m_timer.stop();
    if (m_index)
        m_model.setCursorNs(m_live ? m_index->endNs() : m_index->startNs());
    Q_EMIT traceChanged();
}

void EventLoopSession::finishRecording()
{
    if (m_cursor)
        return;  // the cursor follows the runs itself
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    updateIndex();
}

void EventLoopSession::updateIndex()
{
    if (m_cursor) {
        m_cursor->updateIndex();
        return;
    }
    if (!m_index || !m_index->update())
        return;
    m_model.indexGrew(!m_live);
    if (m_live)
        m_model.setCursorNs(m_index->endNs());
}

void EventLoopSession::setLive(bool live)
{
    if (m_cursor) {
        m_cursor->setLive(live);
        return;
    }
    m_live = live;
    if (live && m_index)
        m_model.setCursorNs(m_index->endNs());
}

void EventLoopSession::setCursorNs(std::uint64_t ns)
{
    if (m_cursor) {
        m_cursor->moveTo(ns);
        return;
    }
    m_live = false;
    m_model.setCursorNs(ns);
}

} // namespace Loopscope::EventLoop
