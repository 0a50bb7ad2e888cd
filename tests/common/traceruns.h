#pragma once
// Test helper: run a script with tracing on and keep its output.
#include "runtypes.h"
#include "scriptrun.h"
#include "trace.h"

#include <QFileInfo>
#include <QProcess>

#include <memory>
#include <mutex>

namespace TraceTests {

struct Captured final : Loopscope::Runtime::RunObserver {
    std::string out, err;
    void outputWritten(Loopscope::Runtime::OutputStream s, std::string_view bytes) override
    {
        (s == Loopscope::Runtime::OutputStream::Stderr ? err : out).append(bytes);
    }
    void runFinished(const Loopscope::Runtime::RunResult &) override {}
};

struct TracedRun {
    std::shared_ptr<Loopscope::Runtime::Trace> trace;
    std::string out, err;
    int exitCode = -1;
};

// Runs `options` to its end on the run's own thread, its output into `captured`.
inline Loopscope::Runtime::RunResult runToEnd(const Loopscope::Runtime::RunOptions &options, Captured *captured)
{
    Loopscope::Runtime::ScriptRun run(options, captured);
    run.start();
    run.wait();
    return run.result();
}

inline TracedRun runTraced(const QString &scriptPath, bool trace = true)
{
    const QFileInfo info(scriptPath);
    Loopscope::Runtime::RunOptions options;
    options.scriptPath = info.canonicalFilePath().toStdString();
    options.workingDirectory = info.canonicalPath().toStdString();
    if (trace)
        options.trace = std::make_shared<Loopscope::Runtime::Trace>();
    Captured captured;
    const int exitCode = runToEnd(options, &captured).exitCode;
    return {options.trace, captured.out, captured.err, exitCode};
}

} // namespace TraceTests
