#include "flamegraphlayout.h"

#include <algorithm>
#include <cctype>

namespace Loopscope::Profiler {

FlameGraphLayout::FlameGraphLayout(std::shared_ptr<const Runtime::CpuProfile> profile)
    : m_profile(std::move(profile))
{
    if (!m_profile || m_profile->nodes.empty())
        return;
    const Runtime::CpuProfile &p = *m_profile;
    const auto index = p.indexById();
    const std::vector<std::int64_t> self = p.selfTimesUs();
    const std::vector<std::int64_t> total = p.totalTimesUs();

    m_frames.reserve(p.nodes.size());
    m_children.reserve(p.nodes.size());
    // Pre-order with an explicit stack (deep recursion in a profile must not overflow ours).
    struct Pending { int node; int parent; int depth; double start; };
    std::vector<Pending> stack{{0, -1, 0, 0.0}};
    std::vector<char> seen(p.nodes.size(), 0);
    seen[0] = 1;
    while (!stack.empty()) {
        const Pending at = stack.back();
        stack.pop_back();
        const int frame = int(m_frames.size());
        m_frames.push_back({at.node, at.parent, at.depth, at.start, double(total[size_t(at.node)]),
                            self[size_t(at.node)], total[size_t(at.node)]});
        m_children.emplace_back();
        if (at.parent >= 0)
            m_children[size_t(at.parent)].push_back(frame);
        m_maxDepth = std::max(m_maxDepth, at.depth);

        std::vector<int> kids;
        for (int id : p.nodes[size_t(at.node)].children)
            if (auto it = index.find(id); it != index.end() && !seen[size_t(it->second)] && total[size_t(it->second)] > 0) {
                seen[size_t(it->second)] = 1;
                kids.push_back(it->second);
            }
        // Hottest first; ties by name so that the picture is stable between runs.
        std::sort(kids.begin(), kids.end(), [&](int a, int b) {
            if (total[size_t(a)] != total[size_t(b)])
                return total[size_t(a)] > total[size_t(b)];
            return p.nodes[size_t(a)].callFrame.functionName < p.nodes[size_t(b)].callFrame.functionName;
        });
        // Children from the parent's left edge, one after another; the parent's self time is the
        // gap they leave at its right.
        double x = at.start;
        std::vector<Pending> next;
        for (int kid : kids) {
            next.push_back({kid, frame, at.depth + 1, x});
            x += double(total[size_t(kid)]);
        }
        for (auto it = next.rbegin(); it != next.rend(); ++it)
            stack.push_back(*it);
    }
}

const Runtime::CpuProfileCallFrame &FlameGraphLayout::callFrame(int frame) const
{
    return m_profile->nodes[size_t(m_frames[size_t(frame)].node)].callFrame;
}

int FlameGraphLayout::frameAt(double x, int depth) const
{
    if (m_frames.empty() || depth < 0)
        return -1;
    int at = 0;
    if (x < m_frames[0].start || x >= m_frames[0].start + m_frames[0].width)
        return -1;
    for (int d = 0; d < depth; ++d) {
        const std::vector<int> &kids = m_children[size_t(at)];
        // Children are laid out left to right: the last one starting at or before x.
        auto it = std::upper_bound(kids.begin(), kids.end(), x,
                                   [this](double value, int f) { return value < m_frames[size_t(f)].start; });
        if (it == kids.begin())
            return -1;
        const int f = *(it - 1);
        if (x >= m_frames[size_t(f)].start + m_frames[size_t(f)].width)
            return -1;  // in the parent's self time
        at = f;
    }
    return at;
}

static std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::vector<int> FlameGraphLayout::search(const std::string &text) const
{
    std::vector<int> hits;
    if (text.empty())
        return hits;
    const std::string needle = lower(text);
    for (int f = 0; f < int(m_frames.size()); ++f) {
        const Runtime::CpuProfileCallFrame &cf = callFrame(f);
        if (lower(cf.functionName).find(needle) != std::string::npos || lower(cf.url).find(needle) != std::string::npos)
            hits.push_back(f);
    }
    return hits;
}

FlameRange FlameGraphLayout::rangeOf(int frame) const
{
    if (frame < 0 || frame >= int(m_frames.size()))
        return {0, totalUs()};
    const FlameFrame &f = m_frames[size_t(frame)];
    return {f.start, f.start + std::max(f.width, 1.0)};
}

FlameRange FlameGraphLayout::zoomed(FlameRange range, double anchor, double factor, double minWidth) const
{
    const double total = totalUs();
    if (total <= 0 || factor <= 0)
        return {0, total};
    anchor = std::clamp(anchor, 0.0, 1.0);
    const double pivot = range.start + anchor * range.width();
    double width = std::clamp(range.width() / factor, std::min(minWidth, total), total);
    FlameRange r{pivot - anchor * width, pivot + (1 - anchor) * width};
    return panned(r, 0);
}

FlameRange FlameGraphLayout::panned(FlameRange range, double delta) const
{
    const double total = totalUs();
    const double width = std::min(range.width(), total);
    double start = std::clamp(range.start + delta, 0.0, std::max(0.0, total - width));
    return {start, start + width};
}

} // namespace Loopscope::Profiler
