#pragma once
// Stepper — step mode's gate. A run in step mode calls arrive() (and pause() when told to) on its
// own thread before the main module and before every callback (TraceRecorder's async_hooks
// `before`); a pause blocks the RUN thread on a condition variable until a command from any
// thread lets it go on:
//   step()             run exactly one callback, then pause before the next;
//   stepToNextPhase()  run until the loop has entered another phase, pause before the first
//                      callback after that;
//   continueRun()      run free (no more pauses);
//   setRate(n)         play: let n callbacks a second go on by themselves ("slow motion"), each
//                      1/n s after the one before started, however long that one ran (a callback
//                      longer than 1/n s makes the next one late); n = 0 goes back to manual steps;
//   stop()             release a pause for good (the run is being stopped).
// Each pause is reported to the observer (paused, then resumed), recorded in the trace as a
// StepPause, and subtracted from the loop's clock (virtualclock.h).
//
// Threads: the commands from any thread; arrive() and pause() on the run's thread only.

#include "runtypes.h"

#include <uv.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace Loopscope::Runtime {

class TraceWriter;

class Stepper final {
public:
    Stepper(uv_loop_t *loop, RunObserver *observer);
    Stepper(const Stepper &) = delete;
    Stepper &operator=(const Stepper &) = delete;

    void step();
    void stepToNextPhase();
    void continueRun();
    void setRate(double callbacksPerSecond);
    void stop();

    // The run's thread, before a callback runs: counts it, and says whether it must wait.
    // phaseSerial counts the loop phases entered so far. Cheap, so a run let go by
    // continueRun() builds no PausePoint per callback.
    bool arrive(std::uint64_t phaseSerial);
    // Then, if it must: reports `point` (its step number is filled in here), records the
    // StepPause into `writer` (with `typeId`, the resource type's string id in its trace) and
    // blocks until a command lets the run go on.
    void pause(PausePoint point, TraceWriter *writer, std::uint32_t typeId);

private:
    enum class Mode { Step, NextPhase, Play, Free };
    bool mayPassLocked(std::uint64_t phaseSerial) const;

    uv_loop_t *const m_loop;
    RunObserver *const m_observer;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    Mode m_mode = Mode::Step;
    double m_rate = 0;
    bool m_stopped = false;
    bool m_paused = false;
    bool m_released = false;               // the current pause may end
    std::uint64_t m_phaseSerial = 0;       // of the last pause (what NextPhase must leave)
    std::uint64_t m_targetPhaseSerial = 0;
    std::uint64_t m_steps = 0;             // callbacks that have arrived
    bool m_playing = false;                // the last pause ended by playing: m_lastRelease holds
    std::chrono::steady_clock::time_point m_lastRelease;  // its scheduled end
};

} // namespace Loopscope::Runtime
