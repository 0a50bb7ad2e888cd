#include "calltree.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace Loopscope::Profiler {

const Runtime::CpuProfileCallFrame &CallTree::callFrame(int row) const
{
    return m_profile->nodes[size_t(m_rows[size_t(row)].node)].callFrame;
}

CallTree CallTree::topDown(std::shared_ptr<const Runtime::CpuProfile> profile)
{
    CallTree tree;
    tree.m_profile = std::move(profile);
    if (!tree.m_profile || tree.m_profile->nodes.empty())
        return tree;
    const Runtime::CpuProfile &p = *tree.m_profile;
    const auto self = p.selfTimesUs();
    const auto total = p.totalTimesUs();
    const auto parents = p.parentIndexes();
    tree.m_profileTotalUs = total[0];
    // Rows are the profile's nodes in the same order; the root's children are the top level.
    tree.m_rows.resize(p.nodes.size());
    for (size_t i = 0; i < p.nodes.size(); ++i) {
        Row &r = tree.m_rows[i];
        r.node = int(i);
        r.parent = parents[i] > 0 ? parents[i] : -1;  // the (root) node itself is not shown
        r.selfUs = self[i];
        r.totalUs = total[i];
        if (i > 0 && parents[i] == 0)
            tree.m_topLevel.push_back(int(i));
        else if (parents[i] > 0)
            tree.m_rows[size_t(parents[i])].children.push_back(int(i));
    }
    tree.sortChildren();
    return tree;
}

CallTree CallTree::bottomUp(std::shared_ptr<const Runtime::CpuProfile> profile)
{
    CallTree tree;
    tree.m_profile = std::move(profile);
    if (!tree.m_profile || tree.m_profile->nodes.empty())
        return tree;
    const Runtime::CpuProfile &p = *tree.m_profile;
    const auto self = p.selfTimesUs();
    const auto total = p.totalTimesUs();
    const auto parents = p.parentIndexes();
    tree.m_profileTotalUs = total[0];

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

    // Rows form a trie keyed by (parent row, function); each node adds its times along its
    // chain of callers, starting at its own function's top-level row.
    std::map<std::pair<int, int>, int> rowOf;
    auto rowFor = [&](int parentRow, int node) {
        const auto key = std::make_pair(parentRow, functionOf[size_t(node)]);
        auto [it, added] = rowOf.emplace(key, int(tree.m_rows.size()));
        if (added) {
            Row r;
            r.node = node;
            r.parent = parentRow;
            tree.m_rows.push_back(r);
            if (parentRow < 0)
                tree.m_topLevel.push_back(it->second);
            else
                tree.m_rows[size_t(parentRow)].children.push_back(it->second);
        }
        return it->second;
    };
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
        for (int n = int(i); n > 0; n = parents[size_t(n)]) {
            row = rowFor(row, n);
            tree.m_rows[size_t(row)].selfUs += self[i];
            tree.m_rows[size_t(row)].totalUs += addTotal;
        }
    }
    tree.sortChildren();
    return tree;
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
