#pragma once
// CpuProfileRecorder — samples one run with V8's CpuProfiler and turns the result into a plain
// CpuProfile. V8's sampler thread interrupts the run's thread every interval and records its
// JavaScript stack; nothing is added to the script's own code paths.
//
// Threads: the run's thread only, with its isolate entered (Locker, Isolate::Scope, HandleScope).

#include <cstdint>
#include <memory>

namespace v8 { class Isolate; class CpuProfiler; }

namespace Loopscope::Runtime {

class CpuProfile;

class CpuProfileRecorder final {
public:
    CpuProfileRecorder(v8::Isolate *isolate, int intervalUs);
    ~CpuProfileRecorder();  // disposes the profiler (stops an unfinished profile first)
    CpuProfileRecorder(const CpuProfileRecorder &) = delete;
    CpuProfileRecorder &operator=(const CpuProfileRecorder &) = delete;

    bool start();  // false if V8 refused (the error is then in the profile's absence)
    // Stops sampling and returns the profile, its times mapped onto the trace clock.
    std::shared_ptr<CpuProfile> stop();

private:
    v8::Isolate *const m_isolate;
    const int m_intervalUs;
    v8::CpuProfiler *m_profiler = nullptr;
    std::uint32_t m_profileId = 0;
    bool m_started = false;
    std::uint64_t m_traceBeforeStart = 0;  // Trace::now() around StartProfiling, to map clocks
    std::uint64_t m_traceAfterStart = 0;
};

} // namespace Loopscope::Runtime
