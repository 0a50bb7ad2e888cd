#include "flowarrows.h"

#include <algorithm>
#include <unordered_set>

namespace Loopscope::Inspector {

using namespace Loopscope::Runtime;

std::vector<FlowArrow> flowArrows(const TraceIndex &index, int callback, int maxPerResource)
{
    std::vector<FlowArrow> arrows;
    const auto &cbs = index.callbacks();
    if (callback < 0 || callback >= int(cbs.size()))
        return arrows;
    std::unordered_set<std::uint64_t> seen;
    int target = callback;  // the callback an arrow of this level points to
    for (int depth = 0; target >= 0; ++depth) {
        const IndexedCallback &cb = cbs[size_t(target)];
        const IndexedResource *r = index.resource(cb.asyncId);
        if (cb.queue == CallbackQueue::Main || !r || !r->initNs || !seen.insert(cb.asyncId).second)
            break;
        // Made inside the callback running at its init (the trigger's, or main's).
        const int creator = index.callbackAt(r->initNs);
        auto arrow = [&](int to) { arrows.push_back({cb.asyncId, r->initNs, creator, to, depth}); };
        if (depth == 0 && r->callbackCount > 1) {
            // A repeating resource (an interval, a stream): its runs around the selection.
            // Outward from the selection, half each way, and never more than a bounded scan.
            std::vector<int> runs;
            const int half = std::max(maxPerResource / 2, 1);
            constexpr int kScan = 1 << 20;
            int found = 0;
            for (int i = target; i >= r->firstCallback && target - i < kScan && found < half; --i)
                if (cbs[size_t(i)].asyncId == cb.asyncId && ++found)
                    runs.push_back(i);
            found = 0;
            for (int i = target + 1; i <= r->lastCallback && i - target < kScan && found < half; ++i)
                if (cbs[size_t(i)].asyncId == cb.asyncId && ++found)
                    runs.push_back(i);
            std::sort(runs.begin(), runs.end());
            for (int i : runs)
                arrow(i);
        } else {
            arrow(target);
        }
        target = creator;
    }
    return arrows;
}

} // namespace Loopscope::Inspector
