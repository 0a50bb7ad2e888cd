#include "tracecursor.h"

#include "runcontroller.h"
#include "trace.h"
#include "traceimport.h"
#include "traceindex.h"

#include <QFileInfo>

#include <algorithm>

namespace Loopscope::Ui {

using Runtime::TraceIndex;

TraceCursor::TraceCursor(QObject *parent)
    : QObject(parent)
{
    m_liveTimer.setInterval(kLiveUpdateIntervalMs);
    connect(&m_liveTimer, &QTimer::timeout, this, &TraceCursor::updateIndex);
}

TraceCursor::~TraceCursor() = default;

void TraceCursor::followRuns(Runtime::RunController *runs)
{
    connect(runs, &Runtime::RunController::traceStarted, this,
            [this](const std::shared_ptr<Runtime::Trace> &trace) { setTrace(trace, true); });
    connect(runs, &Runtime::RunController::runFinished, this, [this, runs] {
        if (m_recording && runs->trace() == m_trace)
            finishRecording();
    });
}

void TraceCursor::setTrace(std::shared_ptr<const Runtime::Trace> trace, bool recording)
{
    m_liveTimer.stop();
    m_trace = std::move(trace);
    m_index = m_trace ? std::make_unique<TraceIndex>(m_trace) : nullptr;
    m_fileName.clear();
    m_outputPrefix.assign(1, 0);
    m_recording = m_trace && recording;
    if (m_index) {
        m_index->update();
        extendOutputPrefix();
    }
    if (m_recording)
        m_liveTimer.start();
    // A run is watched as it happens; a finished trace is replayed from its beginning.
    m_time = m_recording ? endNs() : startNs();
    m_callback = m_recording ? callbackCount() - 1 : callbackStartedBy(m_time);
    const bool wasLive = std::exchange(m_live, m_recording);
    Q_EMIT traceChanged();
    Q_EMIT cursorMoved(m_time);
    if (wasLive != m_live)
        Q_EMIT liveChanged(m_live);
}

bool TraceCursor::openFile(const QString &path, QString *error)
{
    auto trace = std::make_shared<Runtime::Trace>(Runtime::kOpenedTraceBudgetBytes);
    std::string message;
    if (!Runtime::readChromeTrace(QFileInfo(path).absoluteFilePath().toStdString(), *trace, &message)) {
        if (error)
            *error = QString::fromStdString(message);
        return false;
    }
    setTrace(std::move(trace), false);
    m_fileName = QFileInfo(path).absoluteFilePath();
    return true;
}

void TraceCursor::finishRecording()
{
    if (!m_recording)
        return;
    updateIndex();
    m_recording = false;
    m_liveTimer.stop();
}

void TraceCursor::updateIndex()
{
    if (!m_index || !m_index->update())
        return;
    extendOutputPrefix();
    Q_EMIT indexGrew();
    if (m_live)
        place(endNs(), callbackCount() - 1, true);
}

void TraceCursor::extendOutputPrefix()
{
    const auto &writes = m_index->consoleWrites();
    while (m_outputPrefix.size() <= writes.size())
        m_outputPrefix.push_back(m_outputPrefix.back() + writes[m_outputPrefix.size() - 1].length);
}

std::uint64_t TraceCursor::startNs() const
{
    return m_index ? m_index->startNs() : 0;
}

std::uint64_t TraceCursor::endNs() const
{
    return m_index ? m_index->endNs() : 0;
}

int TraceCursor::callbackCount() const
{
    return m_index ? int(m_index->callbacks().size()) : 0;
}

int TraceCursor::phase() const
{
    return phaseStartedBy(m_time);
}

std::uint64_t TraceCursor::outputBytes() const
{
    if (!m_index)
        return 0;
    std::uint64_t until = m_time;
    if (m_callback >= 0) {
        const auto &cb = m_index->callbacks()[std::size_t(m_callback)];
        until = std::max(until, cb.endNs ? cb.endNs : endNs());
    }
    const auto &writes = m_index->consoleWrites();
    const auto shown = std::upper_bound(writes.begin(), writes.end(), until,
                                        [](std::uint64_t ns, const auto &w) { return ns < w.timeNs; });
    return m_outputPrefix[std::size_t(shown - writes.begin())];
}

TraceCursor::SourceLine TraceCursor::runningSourceLine() const
{
    if (!m_index)
        return {};
    const int cb = m_index->callbackAt(m_time);
    if (cb < 0)
        return {};
    const auto *resource = m_index->resource(m_index->callbacks()[std::size_t(cb)].asyncId);
    if (!resource || !resource->file || !resource->line)
        return {};
    return {QString::fromStdString(m_index->string(resource->file)), int(resource->line)};
}

int TraceCursor::callbackStartedBy(std::uint64_t ns) const
{
    if (!m_index)
        return -1;
    const auto &cbs = m_index->callbacks();
    const auto it = std::upper_bound(cbs.begin(), cbs.end(), ns,
                                     [](std::uint64_t t, const auto &cb) { return t < cb.startNs; });
    return int(it - cbs.begin()) - 1;
}

int TraceCursor::phaseStartedBy(std::uint64_t ns) const
{
    if (!m_index)
        return -1;
    const auto &phases = m_index->phases();
    const auto it = std::upper_bound(phases.begin(), phases.end(), ns,
                                     [](std::uint64_t t, const auto &p) { return t < p.startNs; });
    return int(it - phases.begin()) - 1;
}

void TraceCursor::place(std::uint64_t ns, int callback, bool live)
{
    const bool moved = ns != m_time || callback != m_callback;
    m_time = ns;
    m_callback = callback;
    if (live != m_live) {
        m_live = live;
        Q_EMIT liveChanged(live);
    }
    if (moved)
        Q_EMIT cursorMoved(ns);
}

void TraceCursor::setLive(bool live)
{
    if (!m_index) {
        if (m_live != live)
            Q_EMIT liveChanged(m_live = live);
        return;
    }
    if (live)
        place(endNs(), callbackCount() - 1, true);
    else
        place(m_time, m_callback, false);
}

void TraceCursor::moveTo(std::uint64_t ns)
{
    if (!m_index)
        return;
    ns = std::clamp(ns, startNs(), std::max(startNs(), endNs()));
    place(ns, callbackStartedBy(ns), false);
}

void TraceCursor::moveToCallback(int n)
{
    if (!m_index || callbackCount() == 0)
        return;
    n = std::clamp(n, 0, callbackCount() - 1);
    place(m_index->callbacks()[std::size_t(n)].startNs, n, false);
}

void TraceCursor::nextCallback()
{
    if (m_callback + 1 < callbackCount())
        moveToCallback(m_callback + 1);
    else
        moveToEnd();
}

void TraceCursor::previousCallback()
{
    if (!m_index)
        return;
    // From inside a gap after callback N, "previous" is N itself.
    if (m_callback >= 0 && m_index->callbacks()[std::size_t(m_callback)].startNs < m_time)
        moveToCallback(m_callback);
    else if (m_callback > 0)
        moveToCallback(m_callback - 1);
    else
        moveToStart();
}

void TraceCursor::nextPhase()
{
    if (!m_index)
        return;
    const auto &phases = m_index->phases();
    const std::size_t next = std::size_t(phaseStartedBy(m_time) + 1);
    if (next < phases.size())
        moveTo(phases[next].startNs);
    else
        moveToEnd();
}

void TraceCursor::previousPhase()
{
    if (!m_index)
        return;
    const auto &phases = m_index->phases();
    int i = phaseStartedBy(m_time);
    if (i >= 0 && phases[std::size_t(i)].startNs == m_time)
        --i;  // at a phase's start: the one before it
    if (i >= 0)
        moveTo(phases[std::size_t(i)].startNs);
    else
        moveToStart();
}

void TraceCursor::moveToStart()
{
    moveTo(startNs());
}

void TraceCursor::moveToEnd()
{
    if (m_index)
        place(endNs(), callbackCount() - 1, false);
}

} // namespace Loopscope::Ui
