#pragma once
// InspectorModel — what the async-trace inspector draws, derived from a TraceIndex: the loop's
// phases and top-level callbacks as LOD tracks, pool tasks per worker lane, console writes, and
// the statistics of a selected time range. Follows a live trace through update().
//
// Plain C++ (no widgets). Threads: one owner thread (the GUI's); the trace may grow meanwhile.

#include "timelinelod.h"
#include "traceindex.h"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace Loopscope::Inspector {

struct RangeStats {
    double startNs = 0, endNs = 0;
    std::array<std::uint64_t, 7> phaseNs{};      // time in each LoopPhase within the range
    std::array<std::uint32_t, 10> callbacks{};   // callbacks starting in the range, per CallbackQueue
    std::uint64_t busyNs = 0;                    // top-level callback time within the range
    std::vector<int> longest;                    // up to 5 callbacks in the range, longest first
};

class InspectorModel final {
public:
    explicit InspectorModel(std::shared_ptr<const Runtime::Trace> trace);

    // Reads what the trace gained; rebuilds the tracks if anything. True if it changed.
    bool update();

    const Runtime::TraceIndex &index() const { return m_index; }
    std::uint64_t startNs() const { return m_index.startNs(); }
    std::uint64_t endNs() const { return m_index.endNs(); }

    const TimelineLod &callbackTrack() const { return m_callbacks; }  // top-level callbacks by queue
    const TimelineLod &phaseTrack() const { return m_phases; }        // phases by LoopPhase
    const std::vector<TimelineLod> &workerTracks() const { return m_workers; }  // pool tasks per lane

    std::uint64_t endOf(const Runtime::IndexedCallback &cb) const { return cb.endNs ? cb.endNs : endNs(); }
    RangeStats statistics(double startNs, double endNs) const;

private:
    void rebuild();

    Runtime::TraceIndex m_index;
    TimelineLod m_callbacks;
    TimelineLod m_phases;
    std::vector<TimelineLod> m_workers;
};

} // namespace Loopscope::Inspector
