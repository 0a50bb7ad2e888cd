#pragma once
// virtualclock — step mode's loop time. While a run is paused its loop's clock must stand still:
// time a student spends looking is not loop time, or stepping would make timers due early and
// reorder callbacks.
//
// How: Node reads loop time only through uv_now() (Environment::GetNowUint64 behind the JS
// timers' getLibuvNow(), RunTimers, the timer base). Our copy of libuv has uv_now renamed
// (runtime/CMakeLists.txt, as for uv_queue_work in threadpooltrace.h), and the executable
// defines uv_now: on a run thread that has attached its loop it returns the real loop time
// minus the time that run spent paused. libuv itself keeps the real time (its own calls go to
// the renamed function), so the one uv timer Node arms from the virtual time fires in real time
// exactly when the virtual time reaches the JS timer's expiry.
//
// Pauses are measured in loop time (uv_update_time before and after), so the virtual time after
// a pause equals the virtual time at its start: it never goes backwards and never jumps.
//
// Threads: everything here acts on the calling thread's attachment (the run's thread).

#include <uv.h>

#include <cstdint>

namespace Loopscope::Runtime::VirtualClock {

// Whether this executable carries the uv_now replacement (false: linked against libuv.so).
bool available();

// uv_now(loop) on this thread becomes virtual from now on (paused time starts at 0).
void attach(uv_loop_t *loop);
void detach();

// Adds a pause of the attached loop, in loop milliseconds.
void addPausedMs(std::uint64_t ms);
std::uint64_t pausedMs();

} // namespace Loopscope::Runtime::VirtualClock
