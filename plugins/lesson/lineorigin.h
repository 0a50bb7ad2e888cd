#pragma once
// LineOrigin — where one line of a run's stdout came from, as the trace tells it: the callback
// that wrote it, the queue or loop phase that callback was taken from, and what scheduled it.
// A plain value; outputattribution.h derives it from a trace, quizchecker.h explains with it.

#include "trace.h"

#include <QString>

namespace Loopscope::Lesson {

struct LineOrigin {
    bool known = false;  // false: the trace had nothing for this line (dropped records, no trace)
    Runtime::CallbackQueue queue = Runtime::CallbackQueue::None;  // Main: the main module itself
    Runtime::LoopPhase phase = Runtime::LoopPhase::None;  // the phase it ran in; None before the loop
    std::uint32_t iteration = 0;  // 1-based loop iteration; 0 before the loop started
    int callback = -1;            // the callback's index in start order; -1: the main module
    QString resourceType;         // async_hooks type: "Timeout", "Immediate", "PROMISE", "TickObject"...
    QString location;             // where the callback was scheduled, "script.js:7"; may be empty
    int timerDelayMs = -1;        // for a Timeout: its delay
};

} // namespace Loopscope::Lesson
