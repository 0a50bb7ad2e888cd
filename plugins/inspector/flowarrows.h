#pragma once
// FlowArrows — the arrows the timeline draws for a selected callback: from the moment its
// resource was created (inside whichever callback was running then, or the main module) to the
// callback(s) it ran; then the same for each cause up the chain (the resource whose callback
// created it, ...), so the arrows read as a path through time from the main module to the
// selection. Plain C++ over a TraceIndex.

#include "traceindex.h"

#include <cstdint>
#include <vector>

namespace Loopscope::Inspector {

struct FlowArrow {
    std::uint64_t asyncId = 0;   // the resource the arrow belongs to
    std::uint64_t fromNs = 0;    // when it was created
    int fromCallback = -1;       // the callback running then (-1: none recorded, e.g. a preload trace's main)
    int toCallback = -1;         // a callback the resource ran
    int chainDepth = 0;          // 0: the selected callback's own resource, 1: its cause, ...
};

// Arrows for `callback`: its resource's creation to each of its callbacks (at most
// `maxPerResource` of them, nearest the selection first), then one arrow per cause up the chain.
std::vector<FlowArrow> flowArrows(const Runtime::TraceIndex &index, int callback, int maxPerResource = 50);

} // namespace Loopscope::Inspector
