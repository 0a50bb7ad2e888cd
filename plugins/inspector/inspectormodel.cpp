#include "inspectormodel.h"

#include <algorithm>

namespace Loopscope::Inspector {

using namespace Loopscope::Runtime;

const char *counterName(Counter counter)
{
    switch (counter) {
    case Counter::NextTickQueue: return "nextTick queue";
    case Counter::MicrotaskQueue: return "microtask queue";
    case Counter::Timers: return "timers armed";
    case Counter::Immediates: return "immediates";
    case Counter::PoolQueue: return "pool queue";
    case Counter::LoopLag: return "loop lag (ms)";
    case Counter::Utilisation: return "loop utilisation";
    case Counter::Count: break;
    }
    return "?";
}

InspectorModel::InspectorModel(std::shared_ptr<const Trace> trace, std::size_t maxRecords) : m_index(std::move(trace))
{
    m_counters[size_t(Counter::LoopLag)] = CounterTrack(CounterTrack::Kind::Samples);
    m_counters[size_t(Counter::Utilisation)] = CounterTrack(CounterTrack::Kind::Samples);
    update(maxRecords);
}

bool InspectorModel::update(std::size_t maxRecords)
{
    if (!m_index.update(maxRecords))
        return false;
    grow();
    return true;
}

void InspectorModel::grow()
{
    if (!m_started) {
        if (m_index.startNs() == 0)
            return;
        m_started = true;
        m_callbacks = TimelineLod::growing(startNs());
        m_phases = TimelineLod::growing(startNs(), 4096);
    }
    const std::uint64_t end = std::max(endNs(), startNs() + 1);

    // Top-level callbacks never overlap; the clamp guards against a clipped trace anyway.
    const auto &cbs = m_index.callbacks();
    auto addTop = [&](int i) {
        const IndexedCallback &cb = cbs[size_t(i)];
        m_callbacks.append({std::max(cb.startNs, m_lastTopEnd), cb.endNs ? cb.endNs : end, std::uint8_t(cb.queue)});
        if (cb.endNs)
            m_lastTopEnd = std::max(m_lastTopEnd, cb.endNs);
        m_openCallback = cb.endNs ? -1 : i;
    };
    if (m_openCallback >= 0) {
        m_callbacks.removeLast();
        addTop(m_openCallback);
    }
    for (size_t i = m_callbacksRead; i < cbs.size(); ++i)
        if (cbs[i].depth == 0)
            addTop(int(i));
    m_callbacks.finish();

    const auto &phases = m_index.phases();
    auto addPhase = [&](int i) {
        const IndexedPhase &p = phases[size_t(i)];
        m_phases.append({std::max(p.startNs, m_lastPhaseEnd), p.endNs ? p.endNs : end, std::uint8_t(p.phase)});
        m_openPhase = p.endNs ? -1 : i;
        if (!p.endNs)
            return;
        m_lastPhaseEnd = std::max(m_lastPhaseEnd, p.endNs);
        // Utilisation of an iteration: the share of it not blocked in poll, once it has ended
        // (its last phase closed by the iteration's end: so the run's last iteration counts
        // too), or, in a trace without iteration ends, once the next one begins.
        auto commitIteration = [&] {
            if (m_iterationEnd > m_iterationStart)
                m_counters[size_t(Counter::Utilisation)].add(
                    m_iterationEnd, 1.0 - double(std::min(m_iterationBlocked, m_iterationEnd - m_iterationStart))
                                              / double(m_iterationEnd - m_iterationStart));
            m_iterationStart = m_iterationEnd = m_iterationBlocked = 0;
        };
        if (p.iteration != m_iterationOfPhase || m_iterationStart == 0) {
            commitIteration();
            m_iterationOfPhase = p.iteration;
            m_iterationStart = p.startNs;
        }
        m_iterationEnd = p.endNs;
        m_iterationBlocked += p.blockedNs;
        if (p.endsIteration)
            commitIteration();
    };
    if (m_openPhase >= 0) {
        m_phases.removeLast();
        addPhase(m_openPhase);
    }
    for (size_t i = m_phasesRead; i < phases.size(); ++i)
        addPhase(int(i));
    m_phasesRead = phases.size();
    m_phases.finish();

    growCounters(m_resourcesRead, m_callbacksRead);
    m_callbacksRead = cbs.size();
    m_resourcesRead = m_index.resources().size();
    rebuildWorkers();
}

bool InspectorModel::isQueue(std::uint32_t type, Counter *counter) const
{
    if (!type)
        return false;
    if (type == m_tickType)
        *counter = Counter::NextTickQueue;
    else if (type == m_microtaskType)
        *counter = Counter::MicrotaskQueue;
    else if (type == m_timeoutType)
        *counter = Counter::Timers;
    else if (type == m_immediateType)
        *counter = Counter::Immediates;
    else
        return false;
    return true;
}

void InspectorModel::growCounters(std::size_t firstResource, std::size_t firstCallback)
{
    // The types' string ids, once the trace has interned them.
    const std::pair<std::uint32_t *, const char *> types[] = {
        {&m_tickType, "TickObject"}, {&m_promiseType, "PROMISE"}, {&m_microtaskType, "Microtask"},
        {&m_timeoutType, "Timeout"}, {&m_immediateType, "Immediate"}};
    for (const auto &[id, name] : types)
        if (!*id)
            *id = m_index.findString(name);
    auto &c = m_counters;
    const auto &resources = m_index.resources();
    // Queued when made (a PROMISE only once it runs: when its reaction was queued is known then).
    for (size_t i = firstResource; i < resources.size(); ++i) {
        const IndexedResource &r = resources[i];
        Counter counter;
        if (r.internal || !r.initNs || !isQueue(r.type, &counter))
            continue;
        c[size_t(counter)].add(r.initNs, +1);
        if (counter == Counter::Timers || counter == Counter::Immediates)
            m_unsettled.push_back(int(i));
    }
    const auto &cbs = m_index.callbacks();
    // Timer re-arms (refresh()) in record order, merged with the callbacks: those made before
    // callback `upTo` started.
    const auto &rearms = m_index.timerRearms();
    auto applyRearms = [&](std::size_t upTo) {
        for (; m_rearmsRead < rearms.size() && rearms[m_rearmsRead].callbacksBefore <= upTo; ++m_rearmsRead) {
            const IndexedTimerRearm &a = rearms[m_rearmsRead];
            const IndexedResource *r = m_index.resource(a.asyncId);
            if (!r || r->internal || r->type != m_timeoutType)
                continue;
            const bool inOwnRun = a.callback >= 0 && cbs[size_t(a.callback)].asyncId == a.asyncId;
            if (r->timerRepeat && inOwnRun)
                continue;  // node re-arms an interval from its run's start once the run returns
            m_armedAt[a.asyncId] = a.timeNs;
            // A timeout refreshed in its own run is armed again (a refresh before that is not,
            // nor a second one in the same run); a timeout that ran before is destroyed and a
            // refresh then makes a new one (a new init).
            if (!r->timerRepeat && inOwnRun && a.callback != m_lastRearmedRun) {
                m_lastRearmedRun = a.callback;
                m_rearmedPending.insert(a.asyncId);
                c[size_t(Counter::Timers)].add(a.timeNs, +1);
            }
        }
    };
    for (size_t i = firstCallback; i < cbs.size(); ++i) {
        applyRearms(i);
        const IndexedCallback &cb = cbs[i];
        const IndexedResource *r = m_index.resource(cb.asyncId);
        if (!r || r->internal || !r->type)
            continue;
        if (r->type == m_timeoutType && r->initNs) {
            // Lag: how long after it was due the timer ran (node treats 0 ms as 1 ms). Due one
            // delay after it was last armed: made, refreshed, or (an interval) its previous run began.
            const std::uint64_t delay = std::uint64_t(std::max<std::int64_t>(r->timerDelayMs, 1)) * 1'000'000;
            std::uint64_t armed = r->initNs;
            if (auto it = m_armedAt.find(cb.asyncId); it != m_armedAt.end()) {
                armed = it->second;
                if (!r->timerRepeat)
                    m_armedAt.erase(it);
            }
            if (r->timerRepeat)
                m_armedAt[cb.asyncId] = cb.startNs;
            const std::uint64_t due = armed + delay;
            c[size_t(Counter::LoopLag)].add(cb.startNs, cb.startNs > due ? double(cb.startNs - due) / 1e6 : 0.0);
            if (!r->timerRepeat && r->firstCallback != int(i)) {
                c[size_t(Counter::Timers)].add(cb.startNs, -1);  // a re-armed run (see applyRearms)
                m_rearmedPending.erase(cb.asyncId);
            }
        }
        if (r->firstCallback != int(i))
            continue;
        Counter counter;
        if (r->type == m_promiseType) {
            // A reaction is queued when its promise is made, or when the promise it waits for
            // (its trigger) resolves, whichever is later.
            std::uint64_t queued = r->initNs;
            if (const IndexedResource *t = m_index.resource(r->triggerAsyncId))
                if (t->resolveNs && t->resolveNs <= cb.startNs)
                    queued = std::max(queued, t->resolveNs);
            if (queued) {
                c[size_t(Counter::MicrotaskQueue)].add(queued, +1);
                c[size_t(Counter::MicrotaskQueue)].add(cb.startNs, -1);
            }
        } else if (r->initNs && isQueue(r->type, &counter) && !(counter == Counter::Timers && r->timerRepeat)) {
            c[size_t(counter)].add(cb.startNs, -1);
        }
    }
    // Cleared immediates and timers, and intervals, leave the queue when destroyed.
    std::erase_if(m_unsettled, [&](int i) {
        const IndexedResource &r = resources[size_t(i)];
        const bool ranOnce = r.firstCallback >= 0 && !(r.type == m_timeoutType && r.timerRepeat);
        if (ranOnce)
            return true;
        if (!r.destroyNs)
            return false;
        m_armedAt.erase(r.asyncId);
        c[size_t(r.type == m_timeoutType ? Counter::Timers : Counter::Immediates)].add(r.destroyNs, -1);
        return true;
    });
    applyRearms(cbs.size());
    // A timeout armed again and then cleared before it ran again leaves when destroyed.
    std::erase_if(m_rearmedPending, [&](std::uint64_t asyncId) {
        const IndexedResource *r = m_index.resource(asyncId);
        if (!r || !r->destroyNs)
            return false;
        c[size_t(Counter::Timers)].add(r->destroyNs, -1);
        return true;
    });
    for (CounterTrack &track : m_counters)
        track.finish();
}

void InspectorModel::rebuildWorkers()
{
    // Pool tasks change in place (submitted, started, finished), so their tracks are rebuilt
    // while any is unfinished: a run has thousands of them, not millions of callbacks.
    const auto &tasks = m_index.poolTasks();
    if (tasks.size() == m_poolTasksSeen)
        return;
    m_poolTasksSeen = tasks.size();
    const std::uint64_t start = startNs(), end = std::max(endNs(), startNs() + 1);
    CounterTrack &queue = m_counters[size_t(Counter::PoolQueue)];
    queue.clear();
    std::vector<std::vector<TimelineLod::Interval>> lanes;
    bool unfinished = false;
    for (const IndexedPoolTask &t : tasks) {
        if (t.submitNs) {
            queue.add(t.submitNs, +1);
            if (t.startNs)
                queue.add(std::max(t.startNs, t.submitNs), -1);
        }
        unfinished = unfinished || !t.finishNs;
        if (t.lane < 0 || !t.startNs)
            continue;
        if (int(lanes.size()) <= t.lane)
            lanes.resize(size_t(t.lane) + 1);
        lanes[size_t(t.lane)].push_back({t.startNs, t.finishNs ? t.finishNs : end, 4 /* poll: completes there */});
    }
    queue.finish();
    if (unfinished)
        m_poolTasksSeen = size_t(-1);  // look again next time
    m_workers.clear();
    for (auto &lane : lanes) {
        std::sort(lane.begin(), lane.end(), [](const auto &a, const auto &b) { return a.start < b.start; });
        m_workers.emplace_back(std::move(lane), start, end, 4096);
    }
}

RangeStats InspectorModel::statistics(double from, double to) const
{
    RangeStats s;
    s.startNs = from;
    s.endNs = to;
    const TimelineLod::Busy phase = m_phases.busyIn(from, to);
    for (size_t p = 0; p < s.phaseNs.size(); ++p)
        s.phaseNs[p] = phase[p];
    const TimelineLod::Busy busy = m_callbacks.busyIn(from, to);
    for (std::uint64_t ns : busy)
        s.busyNs += ns;
    const auto &cbs = m_index.callbacks();
    // Callbacks are in start order: binary search for the first one starting in the range.
    auto first = std::partition_point(cbs.begin(), cbs.end(),
                                      [from](const IndexedCallback &c) { return double(c.startNs) < from; });
    std::vector<std::pair<std::uint64_t, int>> lengths;
    for (auto it = first; it != cbs.end() && double(it->startNs) < to; ++it) {
        ++s.callbacks[std::min<size_t>(size_t(it->queue), s.callbacks.size() - 1)];
        lengths.push_back({endOf(*it) - it->startNs, int(it - cbs.begin())});
    }
    const size_t keep = std::min<size_t>(5, lengths.size());
    std::partial_sort(lengths.begin(), lengths.begin() + long(keep), lengths.end(),
                      [](const auto &a, const auto &b) { return a.first > b.first; });
    for (size_t i = 0; i < keep; ++i)
        s.longest.push_back(lengths[i].second);
    return s;
}

} // namespace Loopscope::Inspector
