#include "timelinelod.h"

#include <algorithm>
#include <cmath>

namespace Loopscope::Inspector {

// Adds the overlap of [a, b) with each of the `count` columns of width `w` starting at `origin`.
static void spread(std::vector<TimelineLod::Busy> &out, double origin, double w, double a, double b, int category)
{
    if (b <= a || w <= 0)
        return;
    const auto count = std::int64_t(out.size());
    std::int64_t first = std::int64_t(std::floor((a - origin) / w));
    std::int64_t last = std::int64_t(std::floor((b - origin) / w));
    first = std::max<std::int64_t>(first, 0);
    last = std::min<std::int64_t>(last, count - 1);
    for (std::int64_t i = first; i <= last; ++i) {
        const double lo = std::max(a, origin + double(i) * w);
        const double hi = std::min(b, origin + double(i + 1) * w);
        if (hi > lo)
            out[size_t(i)][size_t(category)] += std::uint64_t(std::llround(hi - lo));
    }
}

TimelineLod::TimelineLod(std::vector<Interval> intervals, std::uint64_t startNs, std::uint64_t endNs,
                         int finestBuckets)
    : m_intervals(std::move(intervals)), m_startNs(startNs)
{
    finestBuckets = std::max(finestBuckets, 1);
    // Integer bucket widths: level sums then add up exactly.
    const std::uint64_t span = std::max<std::uint64_t>(endNs > startNs ? endNs - startNs : 1, 1);
    const std::uint64_t width = std::max<std::uint64_t>((span + std::uint64_t(finestBuckets) - 1) / std::uint64_t(finestBuckets), 1);
    m_bucketNs = double(width);
    std::vector<Busy> finest(size_t(finestBuckets), Busy{});
    for (const Interval &iv : m_intervals) {
        // Integer arithmetic on level 0 so that every ns lands in exactly one bucket.
        std::uint64_t a = std::max(iv.start, startNs) - startNs;
        const std::uint64_t b = std::min(iv.end, startNs + width * std::uint64_t(finestBuckets)) - startNs;
        const int c = std::min<int>(iv.category, kCategories - 1);
        while (iv.end > iv.start && a < b) {
            const std::uint64_t bucket = a / width;
            const std::uint64_t bucketEnd = (bucket + 1) * width;
            const std::uint64_t to = std::min(b, bucketEnd);
            finest[size_t(bucket)][size_t(c)] += to - a;
            a = to;
        }
    }
    m_levels.push_back(std::move(finest));
    while (m_levels.back().size() > 1) {
        const std::vector<Busy> &below = m_levels.back();
        std::vector<Busy> up((below.size() + 1) / 2, Busy{});
        for (size_t i = 0; i < below.size(); ++i)
            for (int c = 0; c < kCategories; ++c)
                up[i / 2][size_t(c)] += below[i][size_t(c)];
        m_levels.push_back(std::move(up));
    }
}

std::size_t TimelineLod::firstEndingAfter(double ns) const
{
    return size_t(std::partition_point(m_intervals.begin(), m_intervals.end(),
                                       [ns](const Interval &iv) { return double(iv.end) <= ns; })
                  - m_intervals.begin());
}

std::vector<TimelineLod::Busy> TimelineLod::columns(double start, double end, int pixels, bool *usedLod) const
{
    std::vector<Busy> out(size_t(std::max(pixels, 0)), Busy{});
    if (pixels <= 0 || end <= start)
        return out;
    const double pixelNs = (end - start) / pixels;
    // The coarsest level whose buckets still fit in a pixel; none if a pixel is finer than level 0.
    int level = -1;
    for (int l = 0; l < levels() && bucketWidthNs(l) <= pixelNs; ++l)
        level = l;
    // A level is only worth it when the view holds more intervals than it has buckets.
    if (level >= 0) {
        const double w = bucketWidthNs(level);
        const std::vector<Busy> &buckets = m_levels[size_t(level)];
        const auto firstBucket = std::int64_t(std::floor((start - double(m_startNs)) / w));
        const auto lastBucket = std::int64_t(std::floor((end - double(m_startNs)) / w));
        const std::size_t a = firstEndingAfter(start);
        const std::size_t b = size_t(std::partition_point(m_intervals.begin() + long(a), m_intervals.end(),
                                                          [end](const Interval &iv) { return double(iv.start) < end; })
                                     - m_intervals.begin());
        if (std::int64_t(b - a) > lastBucket - firstBucket + 1) {
            if (usedLod)
                *usedLod = true;
            // Each bucket goes to the columns it overlaps, in proportion (buckets ≤ a pixel wide).
            for (std::int64_t i = std::max<std::int64_t>(firstBucket, 0);
                 i <= lastBucket && i < std::int64_t(buckets.size()); ++i) {
                const double lo = double(m_startNs) + double(i) * w, hi = lo + w;
                const double clippedLo = std::max(lo, start), clippedHi = std::min(hi, end);
                if (clippedHi <= clippedLo)
                    continue;
                const double share = (clippedHi - clippedLo) / w;
                for (int c = 0; c < kCategories; ++c) {
                    const std::uint64_t ns = buckets[size_t(i)][size_t(c)];
                    if (!ns)
                        continue;
                    // Place the bucket's busy time uniformly over its clipped extent.
                    std::vector<Busy> &o = out;
                    const double amount = double(ns) * share;
                    const double x0 = (clippedLo - start) / pixelNs, x1 = (clippedHi - start) / pixelNs;
                    const auto p0 = std::int64_t(x0), p1 = std::min<std::int64_t>(std::int64_t(x1), pixels - 1);
                    if (p0 >= p1) {
                        o[size_t(std::clamp<std::int64_t>(p0, 0, pixels - 1))][size_t(c)] += std::uint64_t(std::llround(amount));
                    } else {
                        // Straddles a column boundary: split by overlap.
                        for (std::int64_t p = p0; p <= p1; ++p) {
                            const double s = std::max(x0, double(p)), e = std::min(x1, double(p + 1));
                            if (e > s)
                                o[size_t(p)][size_t(c)] += std::uint64_t(std::llround(amount * (e - s) / (x1 - x0)));
                        }
                    }
                }
            }
            return out;
        }
    }
    if (usedLod)
        *usedLod = false;
    for (std::size_t i = firstEndingAfter(start); i < m_intervals.size() && double(m_intervals[i].start) < end; ++i) {
        const Interval &iv = m_intervals[i];
        spread(out, start, pixelNs, std::max(double(iv.start), start), std::min(double(iv.end), end),
               std::min<int>(iv.category, kCategories - 1));
    }
    return out;
}

TimelineLod::Busy TimelineLod::busyIn(double start, double end) const
{
    Busy busy{};
    for (std::size_t i = firstEndingAfter(start); i < m_intervals.size() && double(m_intervals[i].start) < end; ++i) {
        const Interval &iv = m_intervals[i];
        const double lo = std::max(double(iv.start), start), hi = std::min(double(iv.end), end);
        if (hi > lo)
            busy[size_t(std::min<int>(iv.category, kCategories - 1))] += std::uint64_t(std::llround(hi - lo));
    }
    return busy;
}

} // namespace Loopscope::Inspector
