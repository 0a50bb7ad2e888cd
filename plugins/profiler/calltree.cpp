#include "calltree.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace Loopscope::Profiler {

const Runtime::CpuProfileCallFrame &CallTree::callFrame(int row) const
{
    return m_profile->nodes[size_t(m_rows[size_t(row)].node)].callFrame;
}

CallTree::CallTree(std::shared_ptr<const Runtime::CpuProfile> profile)
    : m_profile(std::move(profile))
{
}

int CallTree::addToRow(RowIndex &rowIndex, int parentRow, int key, int node, std::int64_t selfUs,
                       std::int64_t totalUs)
{
    auto [it, added] = rowIndex.emplace(std::make_pair(parentRow, key), int(m_rows.size()));
    const int row = it->second;
    if (added) {
        Row r;
        r.node = node;
        r.parent = parentRow;
        m_rows.push_back(r);
        (parentRow < 0 ? m_topLevel : m_rows[size_t(parentRow)].children).push_back(row);
    }
    m_rows[size_t(row)].selfUs += selfUs;
    m_rows[size_t(row)].totalUs += totalUs;
    return row;
}

CallTree CallTree::build(std::shared_ptr<const Runtime::CpuProfile> profile, AddRows addRows)
{
    CallTree tree(std::move(profile));
    if (!tree.m_profile || tree.m_profile->nodes.empty())
        return tree;
    const auto self = tree.m_profile->selfTimesUs();
    const auto total = tree.m_profile->totalTimesUs();
    tree.m_profileTotalUs = total[0];
    RowIndex rowIndex;
    addRows(tree, rowIndex, *tree.m_profile, self, total);
    tree.sortChildren();
    return tree;
}

CallTree CallTree::topDown(std::shared_ptr<const Runtime::CpuProfile> profile)
{
    return build(std::move(profile), &CallTree::addTopDownRows);
}

CallTree CallTree::bottomUp(std::shared_ptr<const Runtime::CpuProfile> profile)
{
    return build(std::move(profile), &CallTree::addBottomUpRows);
}

void CallTree::addTopDownRows(CallTree &tree, RowIndex &rowIndex, const Runtime::CpuProfile &p,
                              const std::vector<std::int64_t> &self, const std::vector<std::int64_t> &total)
{
    const auto indexOf = p.indexById();
    // One row per node, keyed by the node itself, callers before callees (iteratively: deep
    // recursion must not overflow). The (root) node is not shown: its children are the top level.
    std::vector<std::pair<int, int>> pending;  // (node, its parent's row)
    auto addChildren = [&](int node, int row) {
        const auto &children = p.nodes[size_t(node)].children;
        for (auto id = children.rbegin(); id != children.rend(); ++id)
            pending.emplace_back(indexOf.at(*id), row);
    };
    addChildren(0, -1);
    while (!pending.empty()) {
        const auto [node, parentRow] = pending.back();
        pending.pop_back();
        addChildren(node, tree.addToRow(rowIndex, parentRow, node, node, self[size_t(node)], total[size_t(node)]));
    }
}

void CallTree::addBottomUpRows(CallTree &tree, RowIndex &rowIndex, const Runtime::CpuProfile &p,
                               const std::vector<std::int64_t> &self, const std::vector<std::int64_t> &total)
{
    const auto parents = p.parentIndexes();

    // One key per function: the same call frame reached through different paths.
    using Key = std::tuple<std::string, std::string, int, int>;
    auto keyOf = [&](int node) {
        const Runtime::CpuProfileCallFrame &f = p.nodes[size_t(node)].callFrame;
        return Key{f.functionName, f.url, f.lineNumber, f.columnNumber};
    };
    std::map<Key, int> functionIds;
    std::vector<int> functionOf(p.nodes.size());
    for (size_t i = 0; i < p.nodes.size(); ++i)
        functionOf[i] = functionIds.emplace(keyOf(int(i)), int(functionIds.size())).first->second;

    // Rows form a trie keyed by function under each parent row; each node adds its times along
    // its chain of callers, starting at its own function's top-level row.
    for (size_t i = 1; i < p.nodes.size(); ++i) {
        // Recursion: a node whose function is also among its callers is already inside that
        // caller's total; its own total would count the same time twice.
        bool recursive = false;
        for (int a = parents[i]; a > 0; a = parents[size_t(a)])
            if (functionOf[size_t(a)] == functionOf[i]) {
                recursive = true;
                break;
            }
        const std::int64_t addTotal = recursive ? 0 : total[i];
        if (self[i] == 0 && addTotal == 0)
            continue;
        int row = -1;
        for (int n = int(i); n > 0; n = parents[size_t(n)])
            row = tree.addToRow(rowIndex, row, functionOf[size_t(n)], n, self[i], addTotal);
    }
}

void CallTree::sortChildren()
{
    auto hotter = [this](int a, int b) {
        if (m_rows[size_t(a)].totalUs != m_rows[size_t(b)].totalUs)
            return m_rows[size_t(a)].totalUs > m_rows[size_t(b)].totalUs;
        return a < b;
    };
    for (Row &r : m_rows)
        std::sort(r.children.begin(), r.children.end(), hotter);
    std::sort(m_topLevel.begin(), m_topLevel.end(), hotter);
}

} // namespace Loopscope::Profiler
