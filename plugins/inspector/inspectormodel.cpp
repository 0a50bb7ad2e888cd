#include "inspectormodel.h"

#include <algorithm>

namespace Loopscope::Inspector {

using namespace Loopscope::Runtime;

InspectorModel::InspectorModel(std::shared_ptr<const Trace> trace) : m_index(std::move(trace))
{
    update();
}

bool InspectorModel::update()
{
    if (!m_index.update())
        return false;
    rebuild();
    return true;
}

void InspectorModel::rebuild()
{
    const std::uint64_t start = startNs(), end = std::max(endNs(), startNs() + 1);
    std::vector<TimelineLod::Interval> top;
    for (const IndexedCallback &cb : m_index.callbacks())
        if (cb.depth == 0)
            top.push_back({cb.startNs, endOf(cb), std::uint8_t(cb.queue)});
    // Top-level callbacks never overlap; guard against a clipped trace anyway.
    for (size_t i = 1; i < top.size(); ++i)
        top[i].start = std::max(top[i].start, top[i - 1].end);
    m_callbacks = TimelineLod(std::move(top), start, end);

    std::vector<TimelineLod::Interval> phases;
    for (const IndexedPhase &p : m_index.phases())
        phases.push_back({p.startNs, p.endNs ? p.endNs : end, std::uint8_t(p.phase)});
    for (size_t i = 1; i < phases.size(); ++i)
        phases[i].start = std::max(phases[i].start, phases[i - 1].end);
    m_phases = TimelineLod(std::move(phases), start, end, 4096);

    std::vector<std::vector<TimelineLod::Interval>> lanes;
    for (const IndexedPoolTask &t : m_index.poolTasks()) {
        if (t.lane < 0 || !t.startNs)
            continue;
        if (int(lanes.size()) <= t.lane)
            lanes.resize(size_t(t.lane) + 1);
        lanes[size_t(t.lane)].push_back({t.startNs, t.finishNs ? t.finishNs : end, 4 /* poll: completes there */});
    }
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
