#pragma once
// TimelineViewport — the visible time range of the inspector's timeline and its zoom math: wheel
// zoom keeps the instant under the mouse still, panning is clamped to the trace, and pixels map
// to nanoseconds and back. Plain C++, tested alone.

#include <cstdint>

namespace Loopscope::Inspector {

class TimelineViewport final {
public:
    // The whole trace: [startNs, endNs]. Shows all of it.
    void setBounds(std::uint64_t startNs, std::uint64_t endNs);
    std::uint64_t boundsStart() const { return m_boundsStart; }
    std::uint64_t boundsEnd() const { return m_boundsEnd; }

    double start() const { return m_start; }   // ns, absolute (trace clock)
    double end() const { return m_end; }
    double width() const { return m_end - m_start; }
    void setRange(double start, double end);   // clamped to the bounds, at least kMinWidthNs wide
    void showAll() { setRange(double(m_boundsStart), double(m_boundsEnd)); }

    // factor > 1 zooms in; `anchor` is the point (0..1 of the width) that stays still.
    void zoom(double anchor, double factor);
    void pan(double deltaNs);

    double toPixels(double ns, double pixels) const { return width() > 0 ? (ns - m_start) / width() * pixels : 0; }
    double toNs(double x, double pixels) const { return pixels > 0 ? m_start + x / pixels * width() : m_start; }

    static constexpr double kMinWidthNs = 1000;  // 1 µs across the whole view

private:
    std::uint64_t m_boundsStart = 0, m_boundsEnd = 0;
    double m_start = 0, m_end = 0;
};

} // namespace Loopscope::Inspector
