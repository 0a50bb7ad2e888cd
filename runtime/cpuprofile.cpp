#include "cpuprofile.h"

#include <algorithm>

namespace Loopscope::Runtime {

std::unordered_map<int, int> CpuProfile::indexById() const
{
    std::unordered_map<int, int> map;
    map.reserve(nodes.size());
    for (int i = 0; i < int(nodes.size()); ++i)
        map.emplace(nodes[size_t(i)].id, i);
    return map;
}

std::vector<int> CpuProfile::parentIndexes() const
{
    const auto index = indexById();
    std::vector<int> parents(nodes.size(), -1);
    for (int i = 0; i < int(nodes.size()); ++i)
        for (int child : nodes[size_t(i)].children)
            if (auto it = index.find(child); it != index.end())
                parents[size_t(it->second)] = i;
    return parents;
}

std::vector<std::int64_t> CpuProfile::sampleTimesUs() const
{
    std::vector<std::int64_t> times(samples.size());
    std::int64_t t = startTime;
    for (size_t i = 0; i < samples.size(); ++i) {
        t += i < timeDeltas.size() ? timeDeltas[i] : 0;
        times[i] = t;
    }
    return times;
}

std::vector<std::int64_t> CpuProfile::selfSampleCounts() const
{
    const auto index = indexById();
    std::vector<std::int64_t> self(nodes.size(), 0);
    for (int id : samples)
        if (auto it = index.find(id); it != index.end())
            ++self[size_t(it->second)];
    return self;
}

std::vector<std::int64_t> CpuProfile::totalSampleCounts() const
{
    return accumulate(selfSampleCounts());
}

std::vector<std::int64_t> CpuProfile::selfTimesUs() const
{
    const auto index = indexById();
    const std::vector<std::int64_t> times = sampleTimesUs();
    std::vector<std::int64_t> self(nodes.size(), 0);
    for (size_t i = 0; i < samples.size(); ++i) {
        const std::int64_t next = i + 1 < times.size() ? times[i + 1] : std::max(endTime, times[i]);
        if (auto it = index.find(samples[i]); it != index.end())
            self[size_t(it->second)] += std::max<std::int64_t>(0, next - times[i]);
    }
    return self;
}

std::vector<std::int64_t> CpuProfile::totalTimesUs() const
{
    return accumulate(selfTimesUs());
}

std::vector<std::int64_t> CpuProfile::accumulate(std::vector<std::int64_t> values) const
{
    // Children come after their parents in a pre-order list, but files need not be in that
    // order: add up along a post-order walk from the root instead.
    const auto index = indexById();
    if (nodes.empty())
        return values;
    std::vector<std::pair<int, size_t>> stack{{0, 0}};
    std::vector<char> seen(nodes.size(), 0);
    seen[0] = 1;
    while (!stack.empty()) {
        auto &[node, next] = stack.back();
        const auto &children = nodes[size_t(node)].children;
        if (next < children.size()) {
            auto it = index.find(children[next++]);
            if (it != index.end() && !seen[size_t(it->second)]) {
                seen[size_t(it->second)] = 1;
                stack.push_back({it->second, 0});
            }
            continue;
        }
        const int done = node;
        stack.pop_back();
        if (!stack.empty())
            values[size_t(stack.back().first)] += values[size_t(done)];
    }
    return values;
}

bool CpuProfile::validate(std::string *error) const
{
    auto fail = [error](std::string message) {
        if (error)
            *error = std::move(message);
        return false;
    };
    if (nodes.empty())
        return fail("the profile has no nodes");
    std::unordered_map<int, int> index;
    for (int i = 0; i < int(nodes.size()); ++i)
        if (!index.emplace(nodes[size_t(i)].id, i).second)
            return fail("node id " + std::to_string(nodes[size_t(i)].id) + " is used twice");
    std::vector<int> parents(nodes.size(), -1);
    for (int i = 0; i < int(nodes.size()); ++i) {
        for (int child : nodes[size_t(i)].children) {
            auto it = index.find(child);
            if (it == index.end())
                return fail("node " + std::to_string(nodes[size_t(i)].id) + " has a child " + std::to_string(child)
                            + " that is not in the profile");
            if (it->second == 0 || parents[size_t(it->second)] != -1)
                return fail("node " + std::to_string(child) + " has more than one parent");
            parents[size_t(it->second)] = i;
        }
    }
    // Every node must hang under the first one (the root): walk up with a step limit (cycles).
    for (size_t i = 1; i < nodes.size(); ++i) {
        int at = int(i);
        size_t steps = 0;
        while (at > 0 && steps++ <= nodes.size())
            at = parents[size_t(at)];
        if (at != 0)
            return fail("node " + std::to_string(nodes[i].id) + " is not under the root node");
    }
    if (samples.size() != timeDeltas.size())
        return fail("samples and timeDeltas differ in length (" + std::to_string(samples.size()) + " and "
                    + std::to_string(timeDeltas.size()) + ")");
    for (size_t i = 0; i < samples.size(); ++i)
        if (!index.count(samples[i]))
            return fail("sample " + std::to_string(i) + " names node " + std::to_string(samples[i])
                        + ", which is not in the profile");
    if (endTime < startTime)
        return fail("endTime is before startTime");
    return true;
}

} // namespace Loopscope::Runtime
