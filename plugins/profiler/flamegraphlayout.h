#pragma once
// FlameGraphLayout — where each call-tree node of a CPU profile goes in an icicle graph: the
// root spans the whole width at depth 0, each child sits under its parent with a width in
// proportion to its total time, children ordered hottest first. Coordinates are in µs of
// profile time, so the view's zoom is only a choice of the visible range [viewStart, viewEnd].
//
// Plain C++ (no widgets), so the geometry is tested alone. Threads: build on any thread, then
// read-only.

#include "cpuprofile.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace Loopscope::Profiler {

struct FlameFrame {
    int node = 0;            // index into the profile's nodes
    int parent = -1;         // index into frames(), -1 for the root
    int depth = 0;
    double start = 0;        // µs from the left edge of the root
    double width = 0;        // µs: the node's total time
    std::int64_t selfUs = 0;
    std::int64_t totalUs = 0;
};

struct FlameRange {
    double start = 0;
    double end = 0;
    double width() const { return end - start; }
};

class FlameGraphLayout final {
public:
    FlameGraphLayout() = default;
    explicit FlameGraphLayout(std::shared_ptr<const Runtime::CpuProfile> profile);

    const std::shared_ptr<const Runtime::CpuProfile> &profile() const { return m_profile; }
    const std::vector<FlameFrame> &frames() const { return m_frames; }  // pre-order, root first
    double totalUs() const { return m_frames.empty() ? 0 : m_frames.front().width; }
    int maxDepth() const { return m_maxDepth; }
    const Runtime::CpuProfileCallFrame &callFrame(int frame) const;

    // The frame at `x` µs and `depth`, or -1 (binary search among the children on the path).
    int frameAt(double x, int depth) const;
    // Frames whose function name or URL contains `text` (case-insensitive); empty text: none.
    std::vector<int> search(const std::string &text) const;

    // Zoom math. The range that shows `frame` across the whole width.
    FlameRange rangeOf(int frame) const;
    // Zooms `range` by `factor` (> 1 in, < 1 out) keeping the point at `anchor` (0..1 of the
    // width) still, clamped to the graph; never narrower than `minWidth` µs.
    FlameRange zoomed(FlameRange range, double anchor, double factor, double minWidth = 1.0) const;
    // Moves `range` by `delta` µs, clamped to the graph.
    FlameRange panned(FlameRange range, double delta) const;
    // Pixel position of a µs coordinate in a view of `pixels` showing `range`.
    static double toPixels(double us, FlameRange range, double pixels)
    {
        return range.width() > 0 ? (us - range.start) / range.width() * pixels : 0;
    }

private:
    std::shared_ptr<const Runtime::CpuProfile> m_profile;
    std::vector<FlameFrame> m_frames;
    std::vector<std::vector<int>> m_children;  // by frame, in left-to-right order
    int m_maxDepth = 0;
};

} // namespace Loopscope::Profiler
