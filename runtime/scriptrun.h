#pragma once
// ScriptRun — one run of one script in a real Node.js environment on its own thread, with its
// own uv_loop_t and isolate. The script runs as the main module, exactly as `node FILE` would
// run it; its stdout/stderr reach the observer instead of the process's fds.
//
// Threads: the constructor, start(), stop(), writeStdin(), closeStdin(), the step commands,
// wait() and isRunning() may be called from any thread. The observer is called on the run's
// thread. One ScriptRun runs once; make a new one for the next run. Destroying a running
// ScriptRun stops it and waits.

#include "runtypes.h"

#include <atomic>
#include <memory>

namespace Loopscope::Runtime {

class ScriptRun final {
public:
    ScriptRun(RunOptions options, RunObserver *observer);
    ~ScriptRun();
    ScriptRun(const ScriptRun &) = delete;
    ScriptRun &operator=(const ScriptRun &) = delete;

    // Starts the run's thread. Returns false if the run was already started.
    bool start();

    // Ends the run as soon as possible (a busy `while(true){}` included). Safe before start,
    // after the end, and repeatedly.
    void stop();

    // Bytes for the script's process.stdin, kept until the script reads them.
    void writeStdin(std::string bytes);
    // Ends the script's stdin (it sees 'end' once it has read everything before).
    void closeStdin();

    // Step mode (RunOptions::stepMode; no-ops otherwise), see stepper.h. From any thread.
    void step();              // run one callback, pause before the next
    void stepToNextPhase();   // run until the loop enters another phase
    void continueRun();       // run free
    void setStepRate(double callbacksPerSecond);  // play at that rate; 0: manual steps

    // Blocks until the run's thread has finished (returns at once if it never started).
    void wait();
    bool isRunning() const;

    // Valid once wait() returned or the observer's runFinished() was called.
    RunResult result() const;

    class Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace Loopscope::Runtime
