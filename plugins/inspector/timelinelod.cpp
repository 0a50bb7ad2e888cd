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
    : m_intervals(intervals.begin(), intervals.end()), m_startNs(startNs)
{
    finestBuckets = std::max(finestBuckets, 1);
    // Integer bucket widths: level sums then add up exactly.
    const std::uint64_t span = std::max<std::uint64_t>(endNs > startNs ? endNs - startNs : 1, 1);
    m_width = std::max<std::uint64_t>((span + std::uint64_t(finestBuckets) - 1) / std::uint64_t(finestBuckets), 1);
    m_bucketNs = double(m_width);
    m_levels.emplace_back(size_t(finestBuckets), Busy{});
    for (const Interval &iv : m_intervals)
        addToFinest(iv, true);
    buildUpperLevels();
}

TimelineLod TimelineLod::growing(std::uint64_t startNs, int finestBuckets, std::uint64_t initialBucketNs)
{
    TimelineLod lod;
    lod.m_startNs = startNs;
    lod.m_width = std::max<std::uint64_t>(initialBucketNs, 1);
    lod.m_bucketNs = double(lod.m_width);
    lod.m_finestCap = size_t(std::max(finestBuckets, 2));
    // Room for the most buckets it will hold: growing then never copies (nor touches fresh pages
    // twice, which costs more than the sums where page faults are dear).
    lod.m_levels.emplace_back().reserve(lod.m_finestCap);
    return lod;
}

void TimelineLod::addToFinest(const Interval &iv, bool add)
{
    std::vector<Busy> &finest = m_levels.front();
    // Integer arithmetic on level 0 so that every ns lands in exactly one bucket.
    std::uint64_t a = std::max(iv.start, m_startNs) - m_startNs;
    std::uint64_t b = std::max(iv.end, m_startNs) - m_startNs;
    if (m_finestCap) {
        // Growing: widen until the interval's end fits, then make room for it.
        while (b > 0 && (b - 1) / m_width >= m_finestCap) {
            // Pairs summed in place (bucket i/2 is written only after i and i + 1 were read).
            for (size_t i = 0; i < finest.size(); i += 2) {
                Busy sum = finest[i];
                if (i + 1 < finest.size())
                    for (int c = 0; c < kCategories; ++c)
                        sum[size_t(c)] += finest[i + 1][size_t(c)];
                finest[i / 2] = sum;
            }
            finest.resize((finest.size() + 1) / 2);
            m_dirtyFrom = 0;
            m_width *= 2;
            m_bucketNs = double(m_width);
        }
        if (b > 0 && finest.size() <= (b - 1) / m_width)
            finest.resize(size_t((b - 1) / m_width) + 1, Busy{});
    } else {
        b = std::min<std::uint64_t>(b, m_width * std::uint64_t(finest.size()));
    }
    const int c = std::min<int>(iv.category, kCategories - 1);
    m_dirtyFrom = std::min<std::size_t>(m_dirtyFrom, a / m_width);
    while (a < b) {
        const std::uint64_t bucket = a / m_width;
        const std::uint64_t to = std::min(b, (bucket + 1) * m_width);
        if (add)
            finest[size_t(bucket)][size_t(c)] += to - a;
        else
            finest[size_t(bucket)][size_t(c)] -= to - a;
        a = to;
    }
}

void TimelineLod::buildUpperLevels()
{
    m_levels.resize(1);
    while (m_levels.back().size() > 1) {
        const std::vector<Busy> &below = m_levels.back();
        std::vector<Busy> up((below.size() + 1) / 2, Busy{});
        for (size_t i = 0; i < below.size(); ++i)
            for (int c = 0; c < kCategories; ++c)
                up[i / 2][size_t(c)] += below[i][size_t(c)];
        m_levels.push_back(std::move(up));
    }
}

void TimelineLod::append(const Interval &interval)
{
    if (m_levels.empty())
        m_levels.emplace_back();
    m_intervals.push_back(interval);
    if (interval.end > interval.start)
        addToFinest(interval, true);
}

void TimelineLod::removeLast()
{
    if (m_intervals.empty())
        return;
    const Interval last = m_intervals.back();
    m_intervals.pop_back();
    if (last.end > last.start)
        addToFinest(last, false);  // the same overlaps as when it was added, even after widening
}

void TimelineLod::finish()
{
    if (m_levels.empty())
        m_levels.emplace_back();
    // Re-sums only the buckets above those changed: bucket i of a level is 2i and 2i + 1 below.
    std::size_t from = m_dirtyFrom;
    m_dirtyFrom = std::size_t(-1);
    if (from == std::size_t(-1))
        return;
    std::size_t l = 0;
    for (; m_levels[l].size() > 1; ++l) {
        if (m_levels.size() == l + 1)
            m_levels.emplace_back().reserve(m_finestCap ? (m_finestCap >> (l + 1)) + 1 : 0);
        const std::vector<Busy> &below = m_levels[l];
        std::vector<Busy> &up = m_levels[l + 1];
        up.resize((below.size() + 1) / 2);
        from /= 2;
        for (std::size_t i = from; i < up.size(); ++i) {
            up[i] = below[2 * i];
            if (2 * i + 1 < below.size())
                for (int c = 0; c < kCategories; ++c)
                    up[i][size_t(c)] += below[2 * i + 1][size_t(c)];
        }
    }
    m_levels.resize(l + 1);
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
