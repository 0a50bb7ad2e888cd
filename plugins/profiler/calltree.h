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
#include <map>
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

    CallTree() = default;  // no profile, no rows
    static CallTree topDown(std::shared_ptr<const Runtime::CpuProfile> profile);
    static CallTree bottomUp(std::shared_ptr<const Runtime::CpuProfile> profile);

    const std::shared_ptr<const Runtime::CpuProfile> &profile() const { return m_profile; }
    const std::vector<Row> &rows() const { return m_rows; }
    const std::vector<int> &topLevel() const { return m_topLevel; }
    const Runtime::CpuProfileCallFrame &callFrame(int row) const;
    std::int64_t profileTotalUs() const { return m_profileTotalUs; }  // 100 %

private:
    using RowIndex = std::map<std::pair<int, int>, int>;  // (parent row, key) -> row

    // Fills a table's rows from the profile's self and total times per node (by index).
    using AddRows = void (*)(CallTree &tree, RowIndex &rowIndex, const Runtime::CpuProfile &profile,
                             const std::vector<std::int64_t> &selfUs, const std::vector<std::int64_t> &totalUs);

    explicit CallTree(std::shared_ptr<const Runtime::CpuProfile> profile);
    static CallTree build(std::shared_ptr<const Runtime::CpuProfile> profile, AddRows addRows);
    static void addTopDownRows(CallTree &tree, RowIndex &rowIndex, const Runtime::CpuProfile &profile,
                               const std::vector<std::int64_t> &selfUs, const std::vector<std::int64_t> &totalUs);
    static void addBottomUpRows(CallTree &tree, RowIndex &rowIndex, const Runtime::CpuProfile &profile,
                                const std::vector<std::int64_t> &selfUs, const std::vector<std::int64_t> &totalUs);
    // The row for `key` under `parentRow` (-1: top level), made for `node` the first time;
    // adds the times to it. Top-down keys rows by node, bottom-up by function.
    int addToRow(RowIndex &rowIndex, int parentRow, int key, int node, std::int64_t selfUs, std::int64_t totalUs);
    void sortChildren();

    std::shared_ptr<const Runtime::CpuProfile> m_profile;
    std::vector<Row> m_rows;
    std::vector<int> m_topLevel;
    std::int64_t m_profileTotalUs = 0;
};

} // namespace Loopscope::Profiler
