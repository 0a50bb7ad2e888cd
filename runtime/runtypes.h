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
enum class CallbackQueue : std::uint8_t;  // trace.h
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
    // With tracing: the hot trace natives offer V8 fast API calls (plain C calls from optimized
    // JS, tracerecorder.h). Off only to compare against the slow callbacks (tests, benchmarks).
    bool traceFastCalls = true;
    // CPU profiling: V8's sampler records the run's JavaScript stacks every interval, from
    // before the main module runs to the end of the loop. The profile is in RunResult.
    bool cpuProfile = false;
    int cpuProfileIntervalUs = 500;
    // Step mode (stepper.h): the run pauses before its main module and before every callback
    // until step(), stepToNextPhase(), continueRun() or a step rate lets it go on. Paused time
    // is not loop time (virtualclock.h). Implies recording, into `trace` or a private one.
    bool stepMode = false;
};

// Where a run in step mode stopped: the callback it will run next.
struct PausePoint {
    std::uint64_t step = 0;          // 1 for the main module, then one more per callback
    CallbackQueue queue{};           // where the callback was dequeued from (CallbackQueue::Main first)
    std::uint64_t asyncId = 0;       // of the callback's resource (1: the main module)
    std::string resourceType;        // "Timeout", "Immediate", "TickObject", "PROMISE", ...
    std::string file;                // where the resource was created; empty when unknown
    int line = 0;                    // 1-based; 0 when unknown
    int column = 0;
    bool playing = false;            // only a pause of a step rate's interval, it goes on by itself
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
    // With tracing: how many trace natives were served by V8's fast API path (up to the loop's end).
    std::uint64_t traceFastCalls = 0;
};

// Receives what a run produces. Called on the run's own thread, in order; implementations must
// not block for long and must never touch widgets (queue to the GUI thread instead).
class RunObserver {
public:
    virtual ~RunObserver() = default;
    virtual void outputWritten(OutputStream stream, std::string_view bytes) = 0;
    // The script started reading process.stdin (first time only).
    virtual void stdinRequested() {}
    // Step mode: the run is paused before `point`; resumed() follows when it goes on.
    virtual void paused(const PausePoint &point) { (void)point; }
    virtual void resumed() {}
    virtual void runFinished(const RunResult &result) = 0;
};

const char *runEndName(RunEnd end);

} // namespace Loopscope::Runtime
