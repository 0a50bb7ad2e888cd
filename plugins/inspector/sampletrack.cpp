#include "sampletrack.h"

#include <algorithm>
#include <map>

namespace Loopscope::Inspector {

SampleTrack::SampleTrack(std::shared_ptr<const Runtime::CpuProfile> profile) : m_profile(std::move(profile))
{
    if (!m_profile)
        return;
    const auto index = m_profile->indexById();
    const auto times = m_profile->sampleTimesUs();
    for (size_t i = 0; i < times.size(); ++i) {
        auto it = index.find(m_profile->samples[i]);
        if (it == index.end())
            continue;
        m_timeNs.push_back(m_profile->toTraceNs(times[i]));
        m_node.push_back(it->second);
    }
}

const Runtime::CpuProfileCallFrame &SampleTrack::leaf(std::size_t i) const
{
    return m_profile->nodes[size_t(m_node[i])].callFrame;
}

bool SampleTrack::isIdle(std::size_t i) const
{
    const std::string &name = leaf(i).functionName;
    return name == "(idle)" || name == "(program)" || name == "(root)";
}

std::pair<std::size_t, std::size_t> SampleTrack::within(std::uint64_t startNs, std::uint64_t endNs) const
{
    const auto a = std::lower_bound(m_timeNs.begin(), m_timeNs.end(), startNs);
    const auto b = std::lower_bound(a, m_timeNs.end(), endNs);
    return {size_t(a - m_timeNs.begin()), size_t(b - m_timeNs.begin())};
}

std::string SampleTrack::hottestWithin(std::uint64_t startNs, std::uint64_t endNs, std::size_t *samples) const
{
    const auto [a, b] = within(startNs, endNs);
    std::map<std::string, std::size_t> counts;
    for (size_t i = a; i < b; ++i)
        if (!isIdle(i))
            ++counts[leaf(i).functionName.empty() ? "(anonymous)" : leaf(i).functionName];
    std::string best;
    std::size_t most = 0;
    for (const auto &[name, n] : counts)
        if (n > most) {
            most = n;
            best = name;
        }
    if (samples)
        *samples = most;
    return best;
}

} // namespace Loopscope::Inspector
