#include "countertrack.h"

#include <algorithm>

namespace Loopscope::Inspector {

void CounterTrack::add(std::uint64_t timeNs, double deltaOrValue)
{
    m_pending.push_back({timeNs, deltaOrValue, m_order++});
}

void CounterTrack::clear()
{
    *this = CounterTrack(m_kind);
}

void CounterTrack::finish()
{
    if (m_pending.empty())
        return;
    // Stable by time, then by arrival: a step added before another at the same instant stays first.
    std::sort(m_pending.begin(), m_pending.end(), [](const Change &a, const Change &b) {
        return a.timeNs != b.timeNs ? a.timeNs < b.timeNs : a.order < b.order;
    });
    // Where the new changes begin among the old ones: everything from there is re-summed.
    const std::size_t from = size_t(std::upper_bound(m_times.begin(), m_times.end(), m_pending.front().timeNs)
                                    - m_times.begin());
    std::vector<std::uint64_t> times(m_times.begin() + long(from), m_times.end());
    std::vector<double> amounts;  // a level's steps are the differences of its values
    for (std::size_t k = from; k < m_values.size(); ++k)
        amounts.push_back(m_kind == Kind::Level ? m_values[k] - (k ? m_values[k - 1] : 0.0) : m_values[k]);
    m_times.resize(from);
    m_values.resize(from);
    std::size_t i = 0, j = 0;
    while (i < times.size() || j < m_pending.size()) {
        double amount;
        if (j == m_pending.size() || (i < times.size() && times[i] <= m_pending[j].timeNs)) {
            m_times.push_back(times[i]);
            amount = amounts[i++];
        } else {
            m_times.push_back(m_pending[j].timeNs);
            amount = m_pending[j++].amount;
        }
        const double previous = m_values.empty() ? 0.0 : m_values.back();
        m_values.push_back(m_kind == Kind::Level ? previous + amount : amount);
    }
    // A live update's room is kept for the next batch (no fresh pages per update); a whole
    // load's (millions of changes) is given back.
    m_pending.clear();
    if (m_pending.capacity() > kKeptPending)
        m_pending.shrink_to_fit();
    m_blockMax.resize(from / kBlock);
    for (std::size_t b = from / kBlock; b * kBlock < m_values.size(); ++b)
        m_blockMax.push_back(*std::max_element(m_values.begin() + long(b * kBlock),
                                               m_values.begin() + long(std::min(m_values.size(), (b + 1) * kBlock))));
    constexpr std::size_t perSuper = kSuper / kBlock;
    m_superMax.resize(from / kSuper);
    for (std::size_t b = from / kSuper; b * perSuper < m_blockMax.size(); ++b)
        m_superMax.push_back(*std::max_element(m_blockMax.begin() + long(b * perSuper),
                                               m_blockMax.begin() + long(std::min(m_blockMax.size(), (b + 1) * perSuper))));
}

std::size_t CounterTrack::firstAtOrAfter(std::uint64_t ns) const
{
    return size_t(std::lower_bound(m_times.begin(), m_times.end(), ns) - m_times.begin());
}

double CounterTrack::valueAt(std::uint64_t ns) const
{
    const std::size_t i = size_t(std::upper_bound(m_times.begin(), m_times.end(), ns) - m_times.begin());
    return i == 0 ? 0.0 : m_values[i - 1];
}

double CounterTrack::maxIn(std::uint64_t fromNs, std::uint64_t toNs) const
{
    std::size_t i = firstAtOrAfter(fromNs);
    const std::size_t end = firstAtOrAfter(toNs);
    double best = m_kind == Kind::Level ? valueAt(fromNs) : 0.0;
    while (i < end) {
        if (i % kSuper == 0 && i + kSuper <= end) {
            best = std::max(best, m_superMax[i / kSuper]);
            i += kSuper;
        } else if (i % kBlock == 0 && i + kBlock <= end) {
            best = std::max(best, m_blockMax[i / kBlock]);
            i += kBlock;
        } else {
            best = std::max(best, m_values[i++]);
        }
    }
    return best;
}

double CounterTrack::maxValue() const
{
    return m_superMax.empty() ? 0.0 : *std::max_element(m_superMax.begin(), m_superMax.end());
}

} // namespace Loopscope::Inspector
