#include "runcontroller.h"

#include "childscriptrun.h"
#include "scriptrun.h"
#include "trace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>

#include <algorithm>
#include <mutex>
#include <optional>

namespace Loopscope::Runtime {

// Shared by the run's thread (as the ScriptRun's observer) and the controller's thread. One per
// run, so a drain posted by an old run can never be mistaken for the current run's.
class RunController::Bridge final : public RunObserver {
public:
    explicit Bridge(RunController *controller) : m_controller(controller) {}

    void outputWritten(OutputStream stream, std::string_view bytes) override
    {
        std::lock_guard lock(m_mutex);
        if (!m_pending.isEmpty() && m_pending.last().stream == stream && m_pending.last().bytes.size() < (1 << 20))
            m_pending.last().bytes.append(bytes.data(), qsizetype(bytes.size()));
        else
            m_pending.append(OutputChunk{stream, QByteArray(bytes.data(), qsizetype(bytes.size()))});
        postDrainLocked();
    }

    void stdinRequested() override
    {
        std::lock_guard lock(m_mutex);
        m_stdinRequested = true;
        postDrainLocked();
    }

    void paused(const PausePoint &point) override
    {
        std::lock_guard lock(m_mutex);
        m_pausedAt = point;
        m_resumed = false;
        postDrainLocked();
    }

    void resumed() override
    {
        std::lock_guard lock(m_mutex);
        m_resumed = true;
        postDrainLocked();
    }

    void runFinished(const RunResult &result) override
    {
        std::lock_guard lock(m_mutex);
        m_result = result;
        postDrainLocked();
    }

    // The controller's thread: what arrived since the last drain.
    struct Batch {
        QList<OutputChunk> output;
        bool stdinRequested = false;
        std::optional<PausePoint> pausedAt;  // the last pause since the last drain
        bool resumed = false;                // it (or an earlier one) has ended since
        std::optional<RunResult> finished;
    };
    Batch take()
    {
        std::lock_guard lock(m_mutex);
        Batch b;
        b.output.swap(m_pending);
        b.stdinRequested = std::exchange(m_stdinRequested, false);
        b.pausedAt = std::exchange(m_pausedAt, std::nullopt);
        b.resumed = std::exchange(m_resumed, false);
        b.finished = m_result;
        m_drainPosted = false;
        return b;
    }

    // The controller is going away: nothing may be posted to it any more.
    void detach()
    {
        std::lock_guard lock(m_mutex);
        m_controller = nullptr;
    }

    std::weak_ptr<Bridge> self;

private:
    void postDrainLocked()
    {
        if (m_drainPosted || !m_controller)
            return;
        m_drainPosted = true;
        // Posting under the lock: detach() cannot complete while the controller is being used.
        QMetaObject::invokeMethod(m_controller, [c = m_controller, weak = self] {
            if (auto bridge = weak.lock())
                c->drain(bridge);
        }, Qt::QueuedConnection);
    }

    std::mutex m_mutex;
    RunController *m_controller;
    QList<OutputChunk> m_pending;
    bool m_drainPosted = false;
    bool m_stdinRequested = false;
    std::optional<PausePoint> m_pausedAt;
    bool m_resumed = false;
    std::optional<RunResult> m_result;
};

RunController::RunController(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<OutputChunk>();
    qRegisterMetaType<QList<OutputChunk>>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<PausePoint>();
    qRegisterMetaType<std::shared_ptr<Trace>>();
}

RunController::~RunController()
{
    if (m_bridge)
        m_bridge->detach();
    if (m_run) {
        m_run->stop();
        m_run.reset();  // joins the run's thread; only at exit, after a stop
    }
    m_child.reset();  // kills a child still running
}

bool RunController::run(const QString &scriptPath, const QStringList &arguments, const QString &workingDirectory)
{
    if (isRunning())
        return false;
    RunOptions options;
    const QFileInfo info(scriptPath);
    options.scriptPath = info.absoluteFilePath().toStdString();
    for (const QString &a : arguments)
        options.arguments.push_back(a.toStdString());
    options.workingDirectory = (workingDirectory.isEmpty() ? info.absolutePath() : workingDirectory).toStdString();

    // A stepped run is always traced: its gate is the recorder's, and panes show where it is.
    m_trace = m_tracing || m_stepMode ? std::make_shared<Trace>() : nullptr;
    options.trace = m_trace;
    options.traceSourceLocations = m_traceSourceLocations;
    options.stepMode = m_stepMode;
    m_runStepping = m_stepMode;
    m_pausedAt.reset();
    options.cpuProfile = m_cpuProfiling;
    options.cpuProfileIntervalUs = m_cpuProfileIntervalUs;

    m_bridge = std::make_shared<Bridge>(this);
    m_bridge->self = m_bridge;
    // Step mode and profiling reach into the run's isolate, which only an in-process run has:
    // those runs keep this process's pool size (the Run toolbar says so).
    m_childRun = m_threadPoolSize > 0 && m_threadPoolSize != processThreadPoolSize() && !m_stepMode
        && !m_cpuProfiling;
    if (m_childRun)
        m_child = std::make_unique<ChildScriptRun>(options, m_threadPoolSize, childExecutable(), m_bridge.get());
    else
        m_run = std::make_unique<ScriptRun>(options, m_bridge.get());
    m_scriptPath = scriptPath;
    m_clock.start();
    Q_EMIT runStarted(scriptPath);
    if (m_trace)
        Q_EMIT traceStarted(m_trace);
    // A failed start reports runFinished through the bridge like any other end.
    if (m_child)
        m_child->start();
    else
        m_run->start();
    return true;
}

void RunController::setTracing(bool enabled, bool sourceLocations)
{
    m_tracing = enabled;
    m_traceSourceLocations = sourceLocations;
}

void RunController::setCpuProfiling(bool enabled, int intervalUs)
{
    m_cpuProfiling = enabled;
    m_cpuProfileIntervalUs = intervalUs > 0 ? intervalUs : 500;
}

void RunController::setThreadPoolSize(int size)
{
    size = std::clamp(size, 0, 1024);  // libuv's own upper bound
    if (size == m_threadPoolSize)
        return;
    m_threadPoolSize = size;
    Q_EMIT threadPoolSizeChanged(size);
}

int RunController::processThreadPoolSize()
{
    // libuv (threadpool.c) reads this once, when the pool first starts, and clamps it to 1..1024.
    bool ok = false;
    const int size = qEnvironmentVariableIntValue("UV_THREADPOOL_SIZE", &ok);
    return ok ? std::clamp(size, 1, 1024) : 4;
}

QString RunController::childExecutable() const
{
    return m_childExecutable.isEmpty() ? QCoreApplication::applicationFilePath() : m_childExecutable;
}

void RunController::stop()
{
    if (m_run)
        m_run->stop();
    if (m_child)
        m_child->stop();
}

void RunController::writeStdin(const QByteArray &bytes)
{
    if (m_run)
        m_run->writeStdin(bytes.toStdString());
    if (m_child)
        m_child->writeStdin(bytes);
}

void RunController::closeStdin()
{
    if (m_run)
        m_run->closeStdin();
    if (m_child)
        m_child->closeStdin();
}

void RunController::step()
{
    if (m_run)
        m_run->step();
}

void RunController::stepToNextPhase()
{
    if (m_run)
        m_run->stepToNextPhase();
}

void RunController::continueRun()
{
    if (m_run)
        m_run->continueRun();
}

void RunController::setStepRate(double callbacksPerSecond)
{
    if (m_run)
        m_run->setStepRate(callbacksPerSecond);
}

bool RunController::isRunning() const
{
    return m_run != nullptr || m_child != nullptr;
}

QString RunController::scriptPath() const
{
    return m_scriptPath;
}

qint64 RunController::elapsedMs() const
{
    return isRunning() ? m_clock.elapsed() : m_lastDurationMs;
}

RunResult RunController::lastResult() const
{
    return m_lastResult;
}

void RunController::drain(const std::shared_ptr<Bridge> &bridge)
{
    if (bridge != m_bridge)
        return;  // a stale post of a run that has already been reported
    Bridge::Batch batch = bridge->take();
    if (!batch.output.isEmpty())
        Q_EMIT outputAvailable(batch.output);
    if (batch.stdinRequested && !batch.finished)
        Q_EMIT stdinRequested();
    if (batch.pausedAt && !batch.finished) {
        m_pausedAt = batch.pausedAt;
        Q_EMIT paused(*m_pausedAt);
    }
    if (batch.resumed && m_pausedAt) {
        m_pausedAt.reset();
        Q_EMIT resumed();
    }
    if (batch.finished) {
        m_pausedAt.reset();
        // The observer has reported the end, so the run's thread is only returning: joining
        // it here costs microseconds, never a wait on the script.
        std::unique_ptr<ScriptRun> finished = std::move(m_run);
        finished.reset();
        m_child.reset();  // its process has ended: nothing to wait for
        m_bridge.reset();
        m_lastDurationMs = m_clock.elapsed();
        m_lastResult = *batch.finished;
        Q_EMIT runFinished(m_lastResult);
    }
}

} // namespace Loopscope::Runtime
