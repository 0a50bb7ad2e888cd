#include "embeddercompat.h"

#include <mutex>
#include <string>

namespace Loopscope::Runtime::EmbedderCompat {

v8::Isolate *newIsolate(std::shared_ptr<node::ArrayBufferAllocator> allocator, uv_loop_t *loop,
                        node::MultiIsolatePlatform *platform, const node::EmbedderSnapshotData *snapshot,
                        std::size_t heapLimitBytes)
{
    static std::mutex flagMutex;
    std::lock_guard lock(flagMutex);
    const std::string limit = "--max-old-space-size=" + std::to_string(heapLimitBytes >> 20);
    v8::V8::SetFlagsFromString(limit.c_str());
    v8::Isolate *isolate = node::NewIsolate(std::move(allocator), loop, platform, snapshot);
    v8::V8::SetFlagsFromString("--max-old-space-size=0");
    return isolate;
}

} // namespace Loopscope::Runtime::EmbedderCompat
