#include "virtualclock.h"

#include <atomic>

namespace Loopscope::Runtime::VirtualClock {

namespace {
// One loop per run thread; other threads (worker_threads' loops, the pool) see real time.
thread_local const uv_loop_t *t_loop = nullptr;
thread_local std::uint64_t t_pausedMs = 0;
std::atomic<bool> g_replaced{false};
} // namespace

bool available()
{
    // uv_now is called by the loop's own set-up: any run has been through it by now.
    return g_replaced.load();
}

void attach(uv_loop_t *loop)
{
    t_loop = loop;
    t_pausedMs = 0;
}

void detach()
{
    t_loop = nullptr;
    t_pausedMs = 0;
}

void addPausedMs(std::uint64_t ms)
{
    t_pausedMs += ms;
}

std::uint64_t pausedMs()
{
    return t_pausedMs;
}

} // namespace Loopscope::Runtime::VirtualClock

using namespace Loopscope::Runtime::VirtualClock;

extern "C" {

std::uint64_t loopscope_real_uv_now(const uv_loop_t *loop);

// Replaces libuv's uv_now for everything outside our libuv copy (that is, for libnode).
std::uint64_t uv_now(const uv_loop_t *loop)
{
    g_replaced.store(true, std::memory_order_relaxed);
    const std::uint64_t real = loopscope_real_uv_now(loop);
    if (loop != t_loop)
        return real;
    return real >= t_pausedMs ? real - t_pausedMs : 0;
}

} // extern "C"
