#include "timelineviewport.h"

#include <algorithm>

namespace Loopscope::Inspector {

void TimelineViewport::setBounds(std::uint64_t startNs, std::uint64_t endNs)
{
    const bool showedAll = m_start <= double(m_boundsStart) && m_end >= double(m_boundsEnd);
    m_boundsStart = startNs;
    m_boundsEnd = std::max(endNs, startNs);
    // A live trace grows: a view of everything keeps showing everything.
    if (showedAll)
        showAll();
    else
        setRange(m_start, m_end);
}

void TimelineViewport::setRange(double start, double end)
{
    const double lo = double(m_boundsStart), hi = double(m_boundsEnd);
    const double total = hi - lo;
    double w = std::clamp(end - start, std::min(kMinWidthNs, total), total);
    start = std::clamp(start, lo, hi - w);
    m_start = start;
    m_end = start + w;
}

void TimelineViewport::zoom(double anchor, double factor)
{
    if (factor <= 0)
        return;
    anchor = std::clamp(anchor, 0.0, 1.0);
    const double pivot = m_start + anchor * width();
    const double w = width() / factor;
    setRange(pivot - anchor * w, pivot + (1 - anchor) * w);
}

void TimelineViewport::pan(double deltaNs)
{
    setRange(m_start + deltaNs, m_end + deltaNs);
}

} // namespace Loopscope::Inspector
