#pragma once
// TimelineLod — level-of-detail aggregation of one timeline track, so a view of a million
// callbacks costs a few thousand additions, not a million rectangles. The track's intervals
// (start, end, category: the callback's queue) are summed into a pyramid of fixed-width
// buckets: busy ns per category per bucket, each level twice as wide as the one below. A view
// asks for one column per pixel: from the finest level whose buckets fit in a pixel, or, when
// zoomed in further than the finest level, from the raw intervals in view (binary search).
//
// Totals are exact: a bucket holds exactly the overlap of each interval with it, so the
// columns of any range add up to the intervals' time in that range.
//
// A track can also grow (a live run): append() intervals in start order, then finish() once per
// batch. Its finest level keeps a fixed origin and an integer bucket width that doubles (pairs
// of buckets summed) whenever the track outgrows finestBuckets, so totals stay exact; the upper
// levels are re-summed from it in finish(), from the first bucket changed since the last
// finish() on (a live update touches the last few), so it costs what changed, not the track.
// removeLast() takes back a provisional interval (a callback still running) exactly.
//
// Plain C++. Threads: build on any thread, then read-only.

#include "chunkedvector.h"

#include <array>
#include <cstdint>
#include <vector>

namespace Loopscope::Inspector {

class TimelineLod final {
public:
    static constexpr int kCategories = 10;  // CallbackQueue's values
    struct Interval {
        std::uint64_t start = 0;
        std::uint64_t end = 0;
        std::uint8_t category = 0;
    };
    using Busy = std::array<std::uint64_t, kCategories>;  // ns per category

    TimelineLod() = default;
    // `intervals` sorted by start and not overlapping (one track: top-level callbacks);
    // [startNs, endNs] is the trace's extent; `finestBuckets` how many level-0 buckets span it.
    TimelineLod(std::vector<Interval> intervals, std::uint64_t startNs, std::uint64_t endNs,
                int finestBuckets = 16384);

    // An empty growing track starting at `startNs` (its level-0 buckets start `initialBucketNs`
    // wide and widen as it grows).
    static TimelineLod growing(std::uint64_t startNs, int finestBuckets = 16384,
                               std::uint64_t initialBucketNs = 1024);
    // Appends an interval starting at or after the last one's start; call finish() to use it.
    void append(const Interval &interval);
    void removeLast();
    void finish();  // re-sums the upper levels from level 0

    const Runtime::ChunkedVector<Interval> &intervals() const { return m_intervals; }
    int levels() const { return int(m_levels.size()); }
    double bucketWidthNs(int level) const { return m_bucketNs * double(std::uint64_t(1) << level); }
    const std::vector<Busy> &level(int l) const { return m_levels[size_t(l)]; }

    // Busy time per category in each of `pixels` equal columns of [start, end).
    std::vector<Busy> columns(double start, double end, int pixels, bool *usedLod = nullptr) const;
    // Exact busy time per category in [start, end), from the raw intervals.
    Busy busyIn(double start, double end) const;
    // Index of the first interval ending after `ns` (binary search; intervals do not overlap).
    std::size_t firstEndingAfter(double ns) const;

private:
    void addToFinest(const Interval &interval, bool add);
    void buildUpperLevels();

    Runtime::ChunkedVector<Interval> m_intervals;  // grows without copying (live runs)
    std::uint64_t m_startNs = 0;
    double m_bucketNs = 1;
    std::uint64_t m_width = 1;        // level-0 bucket width, ns
    std::size_t m_finestCap = 0;      // growing: most level-0 buckets before widening; 0: fixed
    std::size_t m_dirtyFrom = 0;      // growing: first level-0 bucket changed since finish()

    std::vector<std::vector<Busy>> m_levels;
};

} // namespace Loopscope::Inspector
