#include "causalitychain.h"

#include <unordered_set>

namespace Loopscope::Inspector {

CausalityLink linkFor(const Runtime::TraceIndex &index, std::uint64_t asyncId)
{
    CausalityLink link;
    link.asyncId = asyncId;
    if (const Runtime::IndexedResource *r = index.resource(asyncId)) {
        link.triggerAsyncId = r->triggerAsyncId;
        link.type = index.string(r->type);
        link.file = index.string(r->file);
        link.line = r->line;
        link.column = r->column;
        link.name = index.string(r->name);
    } else if (asyncId == 1) {
        link.type = "main";  // the main module's execution context: async_hooks' asyncId 1
    } else {
        link.type = "(not recorded)";
    }
    return link;
}

std::vector<CausalityLink> causalityChain(const Runtime::TraceIndex &index, int callback)
{
    std::vector<CausalityLink> chain;
    if (callback < 0 || callback >= int(index.callbacks().size()))
        return chain;
    const Runtime::IndexedCallback &cb = index.callbacks()[size_t(callback)];
    if (cb.queue == Runtime::CallbackQueue::Main || cb.asyncId == 0) {
        chain.push_back(linkFor(index, 1));
        return chain;
    }
    std::unordered_set<std::uint64_t> seen;
    std::uint64_t id = cb.asyncId;
    while (id != 0 && seen.insert(id).second) {
        chain.push_back(linkFor(index, id));
        if (id == 1)
            break;
        const Runtime::IndexedResource *r = index.resource(id);
        if (!r)
            break;
        id = r->triggerAsyncId;
    }
    return chain;
}

std::vector<CausalityLink> causedBy(const Runtime::TraceIndex &index, std::uint64_t asyncId)
{
    std::vector<CausalityLink> out;
    for (const Runtime::IndexedResource &r : index.resources())
        if (r.triggerAsyncId == asyncId && r.asyncId != asyncId && !r.internal)
            out.push_back(linkFor(index, r.asyncId));
    return out;
}

} // namespace Loopscope::Inspector
