#pragma once
// RunController — the GUI thread's handle on script runs. It owns one ScriptRun per run and
// bridges threads: the run's observer appends output to a mutex-guarded buffer and posts at
// most one queued drain to the controller's thread at a time, so a script printing a million
// lines costs the GUI event queue one event per drain, not one per write.
//
// Threads: every method and signal belongs to the thread the controller lives on (the GUI
// thread). Nothing here blocks on a running script: stop() only asks, and the old run is
// joined once its observer has reported runFinished(), when its thread is already ending.
// QtCore only: no widgets here.

#include "runtypes.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Loopscope::Runtime {

class ChildScriptRun;
class ScriptRun;
class Trace;

// Bytes a run wrote to one stream; adjacent writes to the same stream are merged.
struct OutputChunk {
    OutputStream stream = OutputStream::Stdout;
    QByteArray bytes;
};

class RunController final : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;  // stops a running script and waits for it (application exit)

    bool isRunning() const;
    QString scriptPath() const;      // of the current or last run
    qint64 elapsedMs() const;        // of the current run, or the duration of the last one
    RunResult lastResult() const;

    // Tracing: when on, each run records into a new Trace (see trace.h) that panes read while it
    // grows. Takes effect at the next run(). Source locations cost most of tracing's time.
    void setTracing(bool enabled, bool sourceLocations = true);
    bool isTracing() const { return m_tracing; }
    // CPU profiling (V8's sampler, `intervalUs` apart): takes effect at the next run(); the
    // profile arrives in runFinished()'s RunResult::cpuProfile.
    void setCpuProfiling(bool enabled, int intervalUs = 500);
    bool isCpuProfiling() const { return m_cpuProfiling; }
    // The current run's trace, or the last run's; null when that run was not traced.
    std::shared_ptr<Trace> trace() const { return m_trace; }

    // Step mode (stepper.h): when on, the next run() pauses before its main module and before
    // every callback, and is traced (paused() says where; the trace has a StepPause there).
    void setStepMode(bool enabled) { m_stepMode = enabled; }
    bool isStepMode() const { return m_stepMode; }
    // Whether the current run is in step mode (paused, playing, or let go by continueRun()).
    bool isStepping() const { return m_run && m_runStepping; }
    // Whether the current run is paused (as of the last paused()/resumed() signal).
    bool isPaused() const { return m_run && m_pausedAt.has_value(); }
    std::optional<PausePoint> pausedAt() const { return m_run ? m_pausedAt : std::nullopt; }
    // Thread-pool size of the next run; 0 (the default) means this process's own pool. libuv
    // sizes its pool once per process, so a run that needs another size runs in a child
    // `loopscope` process (docs/architecture.md) with identical signals, output and trace.
    void setThreadPoolSize(int size);
    int threadPoolSize() const { return m_threadPoolSize; }
    // The size this process's pool has (UV_THREADPOOL_SIZE as libuv reads it, else libuv's 4).
    static int processThreadPoolSize();
    // Whether the current (or last) run went to a child process.
    bool isChildRun() const { return m_childRun; }
    // The loopscope executable for child runs; default: this application's own executable.
    void setChildExecutable(const QString &path) { m_childExecutable = path; }
    QString childExecutable() const;

public Q_SLOTS:
    // Starts `scriptPath` as the main module with argv[2...] = `arguments`, in
    // `workingDirectory` (empty: the script's folder). Returns false if a run is under way.
    bool run(const QString &scriptPath, const QStringList &arguments = {},
             const QString &workingDirectory = {});
    // Asks the current run to end (a busy loop included); runFinished() follows. No-op when idle.
    void stop();
    void writeStdin(const QByteArray &bytes);
    void closeStdin();
    // Step mode commands for the current run; no-ops otherwise. They never wait for the run.
    void step();
    void stepToNextPhase();
    void continueRun();
    void setStepRate(double callbacksPerSecond);  // 0: manual steps

Q_SIGNALS:
    void runStarted(const QString &scriptPath);
    // Right after runStarted() when the run is traced: `trace` is recorded into from now on.
    void traceStarted(const std::shared_ptr<Loopscope::Runtime::Trace> &trace);
    // In the order the script wrote them, stdout and stderr interleaved as written.
    void outputAvailable(const QList<Loopscope::Runtime::OutputChunk> &chunks);
    void stdinRequested();
    // Step mode: the run is paused before `point` (after the output written before it). While
    // playing at a step rate these come at that rate, with point.playing set. Pauses that came
    // and went between two drains are reported only by the last one.
    void paused(const Loopscope::Runtime::PausePoint &point);
    void resumed();
    // After the last outputAvailable() of the run.
    void runFinished(const Loopscope::Runtime::RunResult &result);
    // setThreadPoolSize() changed the size of the next run (the toolbar's selector, or a lesson).
    void threadPoolSizeChanged(int size);

private:
    class Bridge;
    void drain(const std::shared_ptr<Bridge> &bridge);

    std::shared_ptr<Bridge> m_bridge;          // of the current run
    std::unique_ptr<ScriptRun> m_run;
    std::unique_ptr<ChildScriptRun> m_child;   // instead of m_run for a run in a child process
    int m_threadPoolSize = 0;
    bool m_childRun = false;
    QString m_childExecutable;
    QString m_scriptPath;
    QElapsedTimer m_clock;
    qint64 m_lastDurationMs = 0;
    RunResult m_lastResult;
    bool m_tracing = false;
    bool m_traceSourceLocations = true;
    bool m_cpuProfiling = false;
    int m_cpuProfileIntervalUs = 500;
    std::shared_ptr<Trace> m_trace;
    bool m_stepMode = false;
    bool m_runStepping = false;
    std::optional<PausePoint> m_pausedAt;
};

} // namespace Loopscope::Runtime

Q_DECLARE_METATYPE(Loopscope::Runtime::OutputChunk)
Q_DECLARE_METATYPE(Loopscope::Runtime::RunResult)
Q_DECLARE_METATYPE(Loopscope::Runtime::PausePoint)
Q_DECLARE_METATYPE(std::shared_ptr<Loopscope::Runtime::Trace>)
