#include "traceindex.h"

#include <algorithm>
#include <cstring>

namespace Loopscope::Runtime {

// libuv's default pool size (UV_THREADPOOL_SIZE unset).
constexpr int kDefaultPoolSize = 4;

TraceIndex::TraceIndex(std::shared_ptr<const Trace> trace) : m_trace(std::move(trace)) {}

bool TraceIndex::update(std::size_t maxRecords)
{
    m_behind = false;
    if (!m_trace)
        return false;
    const std::size_t writers = m_trace->writerCount();
    if (writers == 0)
        return false;
    if (m_positions.empty()) {
        // The recorder's writer is named "loop"; an imported trace keeps the names it had.
        for (std::size_t w = 0; w < writers; ++w) {
            if (m_trace->writerName(std::uint16_t(w)) == "loop") {
                m_loopWriter = std::uint16_t(w);
                break;
            }
        }
    }
    m_positions.resize(writers, 0);
    m_lanes.resize(writers, -1);
    bool any = false;
    // The loop's records first: a pool record seen before its submit still finds its task by id.
    // Stopping at the limit anywhere is safe: the next update goes on from each writer's position.
    auto consumeWriter = [&](std::uint16_t w) {
        const std::size_t before = m_positions[w];
        const bool fromLoop = w == m_loopWriter;
        m_positions[w] = m_trace->forEachFrom(w, before, [&](const TraceRecord &r) { consume(r, fromLoop); }, maxRecords);
        const std::size_t read = m_positions[w] - before;
        m_recordsRead += read;
        any = any || read != 0;
        if (maxRecords != std::size_t(-1)) {
            m_behind = m_behind || read == maxRecords;
            maxRecords -= read;
        }
    };
    consumeWriter(m_loopWriter);
    for (std::size_t w = 0; w < writers; ++w)
        if (w != m_loopWriter)
            consumeWriter(std::uint16_t(w));
    return any;
}

int *TraceIndex::denseSlot(std::uint64_t asyncId, bool grow)
{
    if (asyncId < m_denseResourceIndex.size())
        return &m_denseResourceIndex[std::size_t(asyncId)];
    // Grow only while the ids stay about as dense as the resources seen: a stray huge id must
    // not allocate gigabytes.
    if (!grow || asyncId > 4 * m_resources.size() + (std::uint64_t(1) << 16))
        return nullptr;
    m_denseResourceIndex.resize(std::size_t(asyncId) + 1, -1);  // chunked: grows without copying
    return &m_denseResourceIndex[std::size_t(asyncId)];
}

IndexedResource &TraceIndex::resourceFor(std::uint64_t asyncId)
{
    int existing = resourceIndex(asyncId);
    if (existing < 0) {
        int *slot = denseSlot(asyncId, true);
        if (!slot)
            slot = &m_resourceIndex[asyncId];
        existing = *slot = int(m_resources.size());
        m_resources.emplace_back();
        m_resources.back().asyncId = asyncId;
    }
    return m_resources[std::size_t(existing)];
}

IndexedPoolTask &TraceIndex::poolTaskFor(std::uint64_t workId)
{
    auto [it, inserted] = m_poolIndex.emplace(workId, int(m_poolTasks.size()));
    if (inserted) {
        m_poolTasks.emplace_back();
        m_poolTasks.back().workId = workId;
    }
    return m_poolTasks[std::size_t(it->second)];
}

int TraceIndex::laneOf(std::uint16_t writer)
{
    if (writer >= m_lanes.size())
        return -1;
    if (m_lanes[writer] < 0)
        m_lanes[writer] = m_laneCount++;
    return m_lanes[writer];
}

void TraceIndex::consume(const TraceRecord &r, bool fromLoop)
{
    if (m_startNs == 0 || r.timeNs < m_startNs)
        m_startNs = r.timeNs;
    m_endNs = std::max(m_endNs, r.timeNs);

    if (!fromLoop) {
        // Worker writers only say when a pool task started and finished on them.
        if (r.kind == TraceKind::PoolStart) {
            IndexedPoolTask &task = poolTaskFor(r.b);
            task.startNs = r.timeNs;
            task.lane = laneOf(r.thread);
        } else if (r.kind == TraceKind::PoolFinish) {
            poolTaskFor(r.b).finishNs = r.timeNs;
        }
        return;
    }

    auto closePhase = [&](std::uint64_t t) {
        if (!m_phases.empty() && m_phases.back().endNs == 0)
            m_phases.back().endNs = t;
    };
    if (!m_pauses.empty() && m_pauses.back().endNs == 0 && r.kind != TraceKind::StepPause)
        m_pauses.back().endNs = r.timeNs;  // the run went on
    const TraceKind previous = m_previousKind;
    m_previousKind = r.kind;
    switch (r.kind) {
    case TraceKind::IterationStart:
        m_iteration = std::uint32_t(r.b);
        break;
    case TraceKind::IterationEnd:
        if (!m_phases.empty() && m_phases.back().endNs == 0)
            m_phases.back().endsIteration = true;
        closePhase(r.timeNs);
        m_phase = LoopPhase::None;
        break;
    case TraceKind::PhaseEnter:
        closePhase(r.timeNs);
        m_phase = LoopPhase(r.detail);
        m_phases.push_back({m_iteration, m_phase, r.timeNs, 0, 0});
        break;
    case TraceKind::PollEnd:
        if (!m_phases.empty() && m_phases.back().phase == LoopPhase::Poll)
            m_phases.back().blockedNs = r.b;
        break;
    case TraceKind::AsyncInit: {
        IndexedResource &res = resourceFor(r.b);
        res.type = r.a;
        res.triggerAsyncId = r.c;
        res.internal = r.detail & TraceInitInternal;
        res.initNs = r.timeNs;
        m_lastInit = r.b;
        break;
    }
    case TraceKind::AsyncSource:
        if (previous == TraceKind::AsyncInit) {
            IndexedResource &res = resourceFor(m_lastInit);
            res.file = r.a;
            res.line = std::uint32_t(r.b >> 32);
            res.column = std::uint32_t(r.b & 0xffffffffu);
            if (r.c != ~std::uint64_t(0)) {
                res.timerDelayMs = std::int64_t(r.c >> 1);
                res.timerRepeat = r.c & 1;
            }
        }
        break;
    case TraceKind::AsyncName:
        resourceFor(r.b).name = r.a;
        break;
    case TraceKind::CallbackBefore: {
        const int index = int(m_callbacks.size());
        IndexedCallback cb;
        cb.startNs = r.timeNs;
        cb.asyncId = r.b;
        cb.parent = m_stack.empty() ? -1 : m_stack.back();
        cb.depth = int(m_stack.size());
        cb.iteration = m_iteration;
        cb.queue = CallbackQueue(r.detail);
        cb.phase = m_phase;
        m_callbacks.push_back(cb);
        IndexedResource &res = resourceFor(r.b);
        if (res.firstCallback < 0)
            res.firstCallback = index;
        res.lastCallback = index;
        ++res.callbackCount;
        // A pool task's completion runs its JS callback straight away, or none at all.
        if (previous == TraceKind::PoolComplete && m_awaitingCompletion >= 0 && m_stack.empty())
            m_poolTasks[std::size_t(m_awaitingCompletion)].completeCallback = index;
        m_awaitingCompletion = -1;
        if (cb.queue == CallbackQueue::Close && m_stack.empty() && !m_waitingCloses.empty()) {
            auto waiting = m_waitingCloses.find(r.b);
            if (waiting != m_waitingCloses.end()) {
                m_closeRequests[std::size_t(waiting->second)].callback = index;
                m_waitingCloses.erase(waiting);
            }
        }
        m_stack.push_back(index);
        break;
    }
    case TraceKind::CallbackAfter:
        if (!m_stack.empty()) {
            m_callbacks[std::size_t(m_stack.back())].endNs = r.timeNs;
            m_stack.pop_back();
        }
        break;
    case TraceKind::AsyncDestroy: {
        const int i = resourceIndex(r.b);
        if (i >= 0)
            m_resources[std::size_t(i)].destroyNs = r.timeNs;
        break;
    }
    case TraceKind::PromiseResolve: {
        IndexedResource &res = resourceFor(r.b);
        if (res.resolveNs == 0)
            res.resolveNs = r.timeNs;
        break;
    }
    case TraceKind::PoolSubmit: {
        IndexedPoolTask &task = poolTaskFor(r.b);
        task.submitNs = r.timeNs;
        task.what = r.a;
        break;
    }
    case TraceKind::PoolStart:  // an imported trace may put these on any thread
    case TraceKind::PoolFinish:
        m_previousKind = previous;
        consume(r, false);
        break;
    case TraceKind::PoolComplete: {
        IndexedPoolTask &task = poolTaskFor(r.b);
        task.completeNs = r.timeNs;
        m_awaitingCompletion = m_poolIndex[r.b];
        break;
    }
    case TraceKind::ConsoleWrite:
        m_consoleWrites.push_back({r.timeNs, r.detail == 2 ? 2 : 1, r.a, std::string(),
                                   m_stack.empty() ? -1 : m_stack.back()});
        break;
    case TraceKind::ConsoleBytes:
        if (previous == TraceKind::ConsoleWrite && !m_consoleWrites.empty()) {
            char head[20];
            std::memcpy(head, &r.a, 4);
            std::memcpy(head + 4, &r.b, 8);
            std::memcpy(head + 12, &r.c, 8);
            IndexedConsoleWrite &w = m_consoleWrites.back();
            w.head.assign(head, std::min<std::size_t>(w.length, sizeof head));
        }
        break;
    case TraceKind::CloseRequest:
        // A second close of one handle is a no-op in node (it is closing already).
        if (!m_waitingCloses.count(r.b)) {
            m_waitingCloses.emplace(r.b, int(m_closeRequests.size()));
            m_closeRequests.push_back({r.timeNs, r.b, r.a, -1});
        }
        break;
    case TraceKind::TimerRearm:
        m_timerRearms.push_back({r.timeNs, r.b, m_callbacks.size(), m_stack.empty() ? -1 : m_stack.back()});
        break;
    case TraceKind::StepPause: {
        // A pause sits between a pool completion and its callback's before: keep them adjacent.
        m_previousKind = previous;
        std::uint64_t before = 0;
        if (!m_pauses.empty()) {
            Pause &last = m_pauses.back();
            if (last.endNs == 0)
                last.endNs = r.timeNs;
            before = last.pausedBefore + (last.endNs - last.startNs);
        }
        m_pauses.push_back({r.timeNs, 0, before, r.b, CallbackQueue(r.detail)});
        break;
    }
    case TraceKind::None:
        break;
    }
}

const IndexedResource *TraceIndex::resource(std::uint64_t asyncId) const
{
    const int i = resourceIndex(asyncId);
    return i < 0 ? nullptr : &m_resources[std::size_t(i)];
}

int TraceIndex::resourceIndex(std::uint64_t asyncId) const
{
    if (asyncId < m_denseResourceIndex.size() && m_denseResourceIndex[std::size_t(asyncId)] >= 0)
        return m_denseResourceIndex[std::size_t(asyncId)];
    if (m_resourceIndex.empty())
        return -1;
    // Made before the dense range grew over it.
    auto it = m_resourceIndex.find(asyncId);
    return it == m_resourceIndex.end() ? -1 : it->second;
}

int TraceIndex::poolSize() const
{
    return m_poolTasks.empty() ? m_laneCount : std::max(m_laneCount, kDefaultPoolSize);
}

std::string TraceIndex::string(std::uint32_t id) const
{
    return m_trace ? m_trace->string(id) : std::string();
}

int TraceIndex::callbackAt(std::uint64_t ns) const
{
    // The last callback started at or before ns; whatever runs at ns encloses it (callbacks nest
    // strictly on the loop thread), so walk up its parents.
    auto it = std::upper_bound(m_callbacks.begin(), m_callbacks.end(), ns,
                               [](std::uint64_t t, const IndexedCallback &c) { return t < c.startNs; });
    int i = int(it - m_callbacks.begin()) - 1;
    while (i >= 0) {
        const IndexedCallback &c = m_callbacks[std::size_t(i)];
        if (c.endNs == 0 || c.endNs > ns)
            return i;
        i = c.parent;
    }
    return -1;
}

int TraceIndex::phaseAt(std::uint64_t ns) const
{
    auto it = std::upper_bound(m_phases.begin(), m_phases.end(), ns,
                               [](std::uint64_t t, const IndexedPhase &p) { return t < p.startNs; });
    const int i = int(it - m_phases.begin()) - 1;
    if (i < 0)
        return -1;
    const IndexedPhase &p = m_phases[std::size_t(i)];
    return p.endNs == 0 || p.endNs > ns ? i : -1;
}

std::uint64_t TraceIndex::pausedNsBefore(std::uint64_t ns) const
{
    auto it = std::upper_bound(m_pauses.begin(), m_pauses.end(), ns,
                               [](std::uint64_t t, const Pause &p) { return t < p.startNs; });
    if (it == m_pauses.begin())
        return 0;
    const Pause &p = *(it - 1);
    const std::uint64_t end = p.endNs == 0 ? ns : std::min(ns, p.endNs);
    return p.pausedBefore + (end - p.startNs);
}

std::uint64_t TraceIndex::pausedBeforeAt(std::uint64_t ns, CallbackQueue *queue) const
{
    auto it = std::upper_bound(m_pauses.begin(), m_pauses.end(), ns,
                               [](std::uint64_t t, const Pause &p) { return t < p.startNs; });
    if (it == m_pauses.begin())
        return 0;
    const Pause &p = *(it - 1);
    if (p.endNs != 0 && ns >= p.endNs)
        return 0;
    if (queue)
        *queue = p.queue;
    return p.asyncId;
}

int TraceIndex::firstCallbackAfter(std::uint64_t ns) const
{
    auto it = std::upper_bound(m_callbacks.begin(), m_callbacks.end(), ns,
                               [](std::uint64_t t, const IndexedCallback &c) { return t < c.startNs; });
    return int(it - m_callbacks.begin());
}

} // namespace Loopscope::Runtime
