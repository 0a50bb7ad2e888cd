#pragma once
// The plain value types that cross the runtime's thread boundary: what a run is asked to do,
// what it writes, and how it ended. Nothing here refers to V8, libuv or Qt.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace Loopscope::Runtime {

class Trace;
class CpuProfile;

struct RunOptions {
    std::string scriptPath;                  // the main module; relative paths resolve against the cwd
    std::vector<std::string> arguments;      // process.argv[2...]
    std::string workingDirectory;            // empty: leave the process's cwd as it is
    std::size_t heapLimitBytes = std::size_t(1) << 30;  // V8 old-generation limit for this run
    // Tracing: null for none. The run appends to it while it runs (see trace.h); any thread may
    // read it meanwhile. Tracing never changes what the script does or the order of its output.
    std::shared_ptr<Trace> trace;
    // With tracing: find where each async resource was created (file:line:col). This V8 stack
    // capture is most of tracing's cost on promise-heavy code (measured ~6× of the rest).
    bool traceSourceLocations = true;
    // CPU profiling: V8's sampler records the run's JavaScript stacks every interval, from
    // before the main module runs to the end of the loop. The profile is in RunResult.
    bool cpuProfile = false;
    int cpuProfileIntervalUs = 500;
};

enum class OutputStream : std::uint8_t { Stdout = 1, Stderr = 2 };

enum class RunEnd : std::uint8_t {
    Exited,       // the script finished, called process.exit, or died of an uncaught error
    Stopped,      // stop() ended it
    OutOfMemory,  // its heap reached RunOptions::heapLimitBytes
    Failed,       // the runtime could not start it (the error says why)
};

struct RunResult {
    RunEnd end = RunEnd::Failed;
    int exitCode = 1;       // what `node FILE` would have exited with (Exited), else a best guess
    std::string error;      // human-readable, for Stopped / OutOfMemory / Failed
    double durationMs = 0;  // from thread start to the environment's teardown
    // With RunOptions::cpuProfile: the run's profile (null if V8 could not start the profiler).
    std::shared_ptr<const CpuProfile> cpuProfile;
};

// Receives what a run produces. Called on the run's own thread, in order; implementations must
// not block for long and must never touch widgets (queue to the GUI thread instead).
class RunObserver {
public:
    virtual ~RunObserver() = default;
    virtual void outputWritten(OutputStream stream, std::string_view bytes) = 0;
    // The script started reading process.stdin (first time only).
    virtual void stdinRequested() {}
    virtual void runFinished(const RunResult &result) = 0;
};

const char *runEndName(RunEnd end);

} // namespace Loopscope::Runtime
