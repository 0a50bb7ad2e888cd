#pragma once
// SampleTrack — a CPU profile's samples on the trace clock, so the timeline can show them under
// the callback they fell in: "which callback was slow, and where inside it" in one view.
// Plain C++.

#include "cpuprofile.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace Loopscope::Inspector {

class SampleTrack final {
public:
    SampleTrack() = default;
    explicit SampleTrack(std::shared_ptr<const Runtime::CpuProfile> profile);

    bool isEmpty() const { return m_timeNs.empty(); }
    const std::vector<std::uint64_t> &timesNs() const { return m_timeNs; }  // trace clock, ascending
    // The leaf call frame of sample i.
    const Runtime::CpuProfileCallFrame &leaf(std::size_t i) const;
    bool isIdle(std::size_t i) const;  // V8's (idle), (program), (root): no JavaScript running
    // Samples in [startNs, endNs): [first, last) indexes.
    std::pair<std::size_t, std::size_t> within(std::uint64_t startNs, std::uint64_t endNs) const;
    // The function holding most samples in [startNs, endNs), "" if none ran JavaScript.
    std::string hottestWithin(std::uint64_t startNs, std::uint64_t endNs, std::size_t *samples = nullptr) const;

private:
    std::shared_ptr<const Runtime::CpuProfile> m_profile;
    std::vector<std::uint64_t> m_timeNs;
    std::vector<int> m_node;  // node index per sample
};

} // namespace Loopscope::Inspector
