#pragma once
// CausalityChain — why a callback ran: its resource, the resource whose callback (or the main
// module) created that one (async_hooks' triggerAsyncId), and so on up to the main module
// (asyncId 1). And the other way: the resources a resource caused. Plain C++ over a TraceIndex.

#include "traceindex.h"

#include <cstdint>
#include <string>
#include <vector>

namespace Loopscope::Inspector {

struct CausalityLink {
    std::uint64_t asyncId = 0;
    std::uint64_t triggerAsyncId = 0;
    std::string type;      // "Timeout", "TickObject", "PROMISE", ...; "main" for asyncId 1
    std::string file;      // where the resource was created; "" if unknown
    std::uint32_t line = 0, column = 0;  // 1-based, 0 = unknown
    std::string name;      // the callback's function name, if recorded
};

// From the callback's own resource to the main module (last). Empty for an unknown callback.
std::vector<CausalityLink> causalityChain(const Runtime::TraceIndex &index, int callback);
// The resources `asyncId` triggered directly, in init order.
std::vector<CausalityLink> causedBy(const Runtime::TraceIndex &index, std::uint64_t asyncId);
CausalityLink linkFor(const Runtime::TraceIndex &index, std::uint64_t asyncId);

} // namespace Loopscope::Inspector
