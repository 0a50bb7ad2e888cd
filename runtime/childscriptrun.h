#pragma once
// ChildScriptRun — one run of one script in a child `loopscope run --stream` process, for a
// run that needs a thread-pool size other than this process's (libuv reads UV_THREADPOOL_SIZE
// once per process). The child streams output, trace and result back (runstream.h); this side
// turns them into the same RunObserver calls and Trace records an in-process ScriptRun makes.
//
// Threads: everything here, observer calls included, happens on the thread the object lives on
// (the GUI thread); nothing blocks on the child except the destructor of a run still going.

#include "runstream.h"
#include "runtypes.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

namespace Loopscope::Runtime {

class ChildScriptRun final : public QObject {
    Q_OBJECT
public:
    // How long a stop waits for the child to end the script itself before killing it.
    static constexpr int kStopGraceMs = 2000;

    ChildScriptRun(RunOptions options, int threadPoolSize, const QString &executable,
                   RunObserver *observer, QObject *parent = nullptr);
    ~ChildScriptRun() override;  // kills a child that is still running

    void start();
    // Asks the child to stop the script (its result is then Stopped, as in-process); kills it
    // if it has not ended after kStopGraceMs.
    void stop();
    void writeStdin(const QByteArray &bytes);
    void closeStdin();

private:
    void readOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void finish(const RunResult &result);

    const RunOptions m_options;
    const int m_threadPoolSize;
    const QString m_executable;
    RunObserver *const m_observer;
    RunStreamDecoder m_decoder;
    QProcess m_process;
    QTimer m_killTimer;
    bool m_stopRequested = false;
    bool m_killedForStop = false;
    bool m_finished = false;
};

} // namespace Loopscope::Runtime
