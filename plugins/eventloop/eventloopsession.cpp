#include "eventloopsession.h"

#include "constants.h"
#include "runcontroller.h"
#include "traceindex.h"

namespace Loopscope::EventLoop {

EventLoopSession::EventLoopSession(Runtime::RunController *runs, QObject *parent) : QObject(parent)
{
    m_timer.setInterval(Constants::LiveUpdateIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopSession::updateIndex);
    if (!runs)
        return;
    runs->setTracing(true);
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

void EventLoopSession::setTrace(std::shared_ptr<const Runtime::Trace> trace, bool recording)
{
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
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    updateIndex();
}

void EventLoopSession::updateIndex()
{
    if (!m_index || !m_index->update())
        return;
    m_model.indexGrew();
    if (m_live)
        m_model.setCursorNs(m_index->endNs());
}

void EventLoopSession::setLive(bool live)
{
    m_live = live;
    if (live && m_index)
        m_model.setCursorNs(m_index->endNs());
}

void EventLoopSession::setCursorNs(std::uint64_t ns)
{
    m_live = false;
    m_model.setCursorNs(ns);
}

} // namespace Loopscope::EventLoop
