#pragma once
// CallTree — the two tables of a CPU profile as plain trees:
//  - top-down: the profile's own call tree (caller above callee), self and total time per node;
//  - bottom-up: one root per function with its self time and its total time (recursion counted
//    once), whose children are its callers, and theirs their callers: "who made this slow".
//    A row's times are those of the root function through that chain of callers.
//
// Plain C++; the Qt model (CallTreeModel) only presents it. Threads: build anywhere, then read.

#include "cpuprofile.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace Loopscope::Profiler {

class CallTree final {
public:
    struct Row {
        int node = 0;              // a profile node index with this row's call frame
        int parent = -1;           // row index, -1 for top-level rows
        std::vector<int> children; // row indexes, hottest (total) first
        std::int64_t selfUs = 0;
        std::int64_t totalUs = 0;
    };

    static CallTree topDown(std::shared_ptr<const Runtime::CpuProfile> profile);
    static CallTree bottomUp(std::shared_ptr<const Runtime::CpuProfile> profile);

    const std::shared_ptr<const Runtime::CpuProfile> &profile() const { return m_profile; }
    const std::vector<Row> &rows() const { return m_rows; }
    const std::vector<int> &topLevel() const { return m_topLevel; }
    const Runtime::CpuProfileCallFrame &callFrame(int row) const;
    std::int64_t profileTotalUs() const { return m_profileTotalUs; }  // 100 %

private:
    void sortChildren();

    std::shared_ptr<const Runtime::CpuProfile> m_profile;
    std::vector<Row> m_rows;
    std::vector<int> m_topLevel;
    std::int64_t m_profileTotalUs = 0;
};

} // namespace Loopscope::Profiler
