#pragma once
// InspectorModel — what the async-trace inspector draws, derived from a TraceIndex: the loop's
// phases and top-level callbacks as LOD tracks, pool tasks per worker lane, console writes, and
// the statistics of a selected time range, and counters (queue lengths, event-loop lag and
// utilisation). Follows a live trace through update(), which costs only what the trace gained:
// the tracks grow (TimelineLod::append) and counters take new changes; a callback or phase
// still running is added provisionally and replaced on the next update.
//
// Plain C++ (no widgets). Threads: one owner thread (the GUI's); the trace may grow meanwhile.

#include "countertrack.h"
#include "timelinelod.h"
#include "traceindex.h"

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace Loopscope::Inspector {

struct RangeStats {
    double startNs = 0, endNs = 0;
    std::array<std::uint64_t, 7> phaseNs{};      // time in each LoopPhase within the range
    std::array<std::uint32_t, 10> callbacks{};   // callbacks starting in the range, per CallbackQueue
    std::uint64_t busyNs = 0;                    // top-level callback time within the range
    std::vector<int> longest;                    // up to 5 callbacks in the range, longest first
};

// The counters, in the order the timeline draws them.
enum class Counter {
    NextTickQueue,   // TickObjects queued and not yet run
    MicrotaskQueue,  // promise reactions and queueMicrotask callbacks queued and not yet run
    Timers,          // armed timers (created, not yet fired or cleared; intervals until cleared)
    Immediates,      // setImmediate callbacks waiting for the check phase
    PoolQueue,       // thread-pool work submitted and not yet picked up by a worker
    LoopLag,         // ms a timer callback ran after it was due: one delay after it was made,
                     // refreshed, or (an interval) last began (one sample per timer callback)
    Utilisation,     // per iteration: share of its time not blocked in poll (0..1)
    Count
};
const char *counterName(Counter counter);

class InspectorModel final {
public:
    // Reads the trace (its first `maxRecords` records: update() reads on).
    explicit InspectorModel(std::shared_ptr<const Runtime::Trace> trace, std::size_t maxRecords = std::size_t(-1));

    // Reads what the trace gained (at most `maxRecords` of it: see TraceIndex::update) and grows
    // the tracks by it. True if it changed; behind(): there is more to read already.
    bool update(std::size_t maxRecords = std::size_t(-1));
    bool behind() const { return m_index.behind(); }

    const Runtime::TraceIndex &index() const { return m_index; }
    std::uint64_t startNs() const { return m_index.startNs(); }
    std::uint64_t endNs() const { return m_index.endNs(); }

    const TimelineLod &callbackTrack() const { return m_callbacks; }  // top-level callbacks by queue
    const TimelineLod &phaseTrack() const { return m_phases; }        // phases by LoopPhase
    const std::vector<TimelineLod> &workerTracks() const { return m_workers; }  // pool tasks per lane

    const CounterTrack &counter(Counter c) const { return m_counters[size_t(c)]; }

    std::uint64_t endOf(const Runtime::IndexedCallback &cb) const { return cb.endNs ? cb.endNs : endNs(); }
    RangeStats statistics(double startNs, double endNs) const;

private:
    void grow();
    void growCounters(std::size_t firstResource, std::size_t firstCallback);
    void rebuildWorkers();
    bool isQueue(std::uint32_t type, Counter *counter) const;

    Runtime::TraceIndex m_index;
    TimelineLod m_callbacks;
    TimelineLod m_phases;
    std::vector<TimelineLod> m_workers;
    std::array<CounterTrack, size_t(Counter::Count)> m_counters;

    // How far the tracks have read the index.
    bool m_started = false;
    std::size_t m_callbacksRead = 0, m_phasesRead = 0, m_resourcesRead = 0, m_poolTasksSeen = 0;
    int m_openCallback = -1;  // a top-level callback added provisionally (still running)
    int m_openPhase = -1;
    std::uint64_t m_lastTopEnd = 0;  // end of the last committed top-level callback
    std::uint64_t m_lastPhaseEnd = 0;
    std::vector<int> m_unsettled;    // Immediates and Timeouts whose end is a destroy not yet seen
    std::size_t m_rearmsRead = 0;    // of the index's timerRearms()
    int m_lastRearmedRun = -1;       // the timeout run that last armed its own timer again
    // Timeouts armed again in their own run that have neither run again nor been destroyed: a
    // clearTimeout() then ends them (the destroy).
    std::unordered_set<std::uint64_t> m_rearmedPending;
    // When a timer was last armed, for the few whose due time is not creation + delay: intervals
    // (their previous run) and refreshed timers, until they run (or, intervals, are destroyed).
    std::unordered_map<std::uint64_t, std::uint64_t> m_armedAt;
    std::uint32_t m_iterationOfPhase = 0;
    std::uint64_t m_iterationStart = 0, m_iterationEnd = 0, m_iterationBlocked = 0;
    std::uint32_t m_tickType = 0, m_promiseType = 0, m_microtaskType = 0, m_timeoutType = 0, m_immediateType = 0;
};

} // namespace Loopscope::Inspector
