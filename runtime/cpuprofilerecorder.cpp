#include "cpuprofilerecorder.h"

#include "cpuprofile.h"
#include "trace.h"

#include <v8-profiler.h>
#include <v8.h>

namespace Loopscope::Runtime {

CpuProfileRecorder::CpuProfileRecorder(v8::Isolate *isolate, int intervalUs)
    : m_isolate(isolate), m_intervalUs(intervalUs > 0 ? intervalUs : 500)
{
}

CpuProfileRecorder::~CpuProfileRecorder()
{
    if (m_started) {
        if (v8::CpuProfile *p = m_profiler->Stop(m_profileId))
            p->Delete();
    }
    if (m_profiler)
        m_profiler->Dispose();
}

bool CpuProfileRecorder::start()
{
    if (m_started)
        return false;
    // Eager logging keeps code-event logging on between profiles; lazy suits one profile a run.
    m_profiler = v8::CpuProfiler::New(m_isolate, v8::kDebugNaming, v8::kLazyLogging);
    m_profiler->SetSamplingInterval(m_intervalUs);
    m_traceBeforeStart = Trace::now();
    const v8::CpuProfilingResult result = m_profiler->Start(
        v8::CpuProfilingOptions(v8::kLeafNodeLineNumbers, v8::CpuProfilingOptions::kNoSampleLimit, m_intervalUs));
    m_traceAfterStart = Trace::now();
    if (result.status == v8::CpuProfilingStatus::kErrorTooManyProfilers)
        return false;
    m_profileId = result.id;
    m_started = true;
    return true;
}

static void copyTree(const v8::CpuProfileNode *node, CpuProfile &out)
{
    // Pre-order, iteratively: stacks of deep recursion must not overflow the run's thread.
    std::vector<const v8::CpuProfileNode *> stack{node};
    while (!stack.empty()) {
        const v8::CpuProfileNode *n = stack.back();
        stack.pop_back();
        CpuProfileNode copy;
        copy.id = int(n->GetNodeId());
        copy.callFrame.functionName = n->GetFunctionNameStr();
        copy.callFrame.url = n->GetScriptResourceNameStr();
        copy.callFrame.scriptId = n->GetScriptId();
        // V8 counts from 1 (0 = none); the format from 0 (-1 = none).
        copy.callFrame.lineNumber = n->GetLineNumber() - 1;
        copy.callFrame.columnNumber = n->GetColumnNumber() - 1;
        copy.hitCount = int(n->GetHitCount());
        const int count = n->GetChildrenCount();
        for (int i = 0; i < count; ++i)
            copy.children.push_back(int(n->GetChild(i)->GetNodeId()));
        for (int i = count - 1; i >= 0; --i)
            stack.push_back(n->GetChild(i));
        out.nodes.push_back(std::move(copy));
    }
}

std::shared_ptr<CpuProfile> CpuProfileRecorder::stop()
{
    if (!m_started)
        return nullptr;
    m_started = false;
    v8::CpuProfile *v8Profile = m_profiler->Stop(m_profileId);
    if (!v8Profile)
        return nullptr;
    auto profile = std::make_shared<CpuProfile>();
    profile->samplingIntervalUs = m_intervalUs;
    copyTree(v8Profile->GetTopDownRoot(), *profile);
    profile->startTime = v8Profile->GetStartTime();
    profile->endTime = v8Profile->GetEndTime();
    const int count = v8Profile->GetSamplesCount();
    profile->samples.reserve(size_t(count));
    profile->timeDeltas.reserve(size_t(count));
    std::int64_t last = profile->startTime;
    for (int i = 0; i < count; ++i) {
        const std::int64_t t = v8Profile->GetSampleTimestamp(i);
        profile->samples.push_back(int(v8Profile->GetSample(i)->GetNodeId()));
        profile->timeDeltas.push_back(t - last);
        last = t;
    }
    v8Profile->Delete();
    // V8 counts a node's hits in its tree and lists samples separately, and the two can differ
    // by a few (measured: 3 against 4 samples on one node at 200 µs). The samples are what the
    // timeline and every total here are built from, so hitCount says the same.
    const auto self = profile->selfSampleCounts();
    for (size_t i = 0; i < profile->nodes.size(); ++i)
        profile->nodes[i].hitCount = int(self[i]);

    // V8 stamps with base::TimeTicks (µs). On Linux that is CLOCK_MONOTONIC too, so the start
    // stamp falls between our two reads around Start(): then the clocks agree and the offset is
    // 0. Otherwise (another platform, another clock) align the start with the middle of the two.
    const std::int64_t v8StartNs = profile->startTime * 1000;
    const auto before = std::int64_t(m_traceBeforeStart), after = std::int64_t(m_traceAfterStart);
    if (v8StartNs >= before - 1000 && v8StartNs <= after + 1000)
        profile->traceOffsetNs = 0;
    else
        profile->traceOffsetNs = before + (after - before) / 2 - v8StartNs;
    return profile;
}

} // namespace Loopscope::Runtime
