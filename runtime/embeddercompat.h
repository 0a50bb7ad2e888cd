#pragma once
// embeddercompat — where the embedder API differs between the Node versions Loopscope builds
// against: Node 24 LTS (V8 13.6, libuv 1.53), the one it runs and tests on, and Node 20
// (Debian 13's libnode, V8 11.3, libuv 1.50), which it still compiles against. Every version
// check of the runtime lives here, so the rest of it reads as plain Node 24 code.

#include <node.h>
#include <uv.h>

#include <cstddef>
#include <memory>

#include <node_version.h>
#include <v8-cppgc.h>
#include <v8-script.h>
#include <v8-version.h>

// Node's own header set has it (a Windows build from Node's sources); Debian's libnode-dev leaves
// it out of /usr/include/node but ships the same V8's under deps/, whose own includes resolve to
// identical headers.
#if __has_include(<v8-fast-api-calls.h>)
#include <v8-fast-api-calls.h>
#else
#include <nodejs/deps/v8/include/v8-fast-api-calls.h>
#endif

namespace Loopscope::Runtime::EmbedderCompat {

// V8 12+ names a script without the isolate (the old constructor is gone in 13).
inline v8::ScriptOrigin scriptOrigin(v8::Isolate *isolate, v8::Local<v8::Value> resourceName)
{
#if V8_MAJOR_VERSION >= 12
    (void)isolate;
    return v8::ScriptOrigin(resourceName);
#else
    return v8::ScriptOrigin(isolate, resourceName);
#endif
}

// A fast API call that cannot do its work the fast way. Up to V8 12 it may not allocate or run
// JavaScript, and sets options.fallback so that V8 calls the slow callback right after it:
// then this returns false and the caller does nothing more. Since V8 12.6 a fast call may do
// anything the slow callback does (V8 13 removed `fallback`): this returns true and the caller
// does the slow callback's work itself, inside a HandleScope of its own.
inline bool doSlowWorkInFastCall(v8::FastApiCallbackOptions &options)
{
#if V8_MAJOR_VERSION >= 13
    (void)options;
    return true;
#else
    options.fallback = true;
    return false;
#endif
}

// What node::NewIsolate() gives an isolate that we assemble by hand. V8 13 takes the isolate's
// C++ heap (which node's wrappers need) in its CreateParams and owns it from then on; older V8
// had it attached later, by node::CreateIsolateData().
inline void giveCppHeap(v8::Isolate::CreateParams &params, node::MultiIsolatePlatform *platform)
{
#if V8_MAJOR_VERSION >= 13
    params.cpp_heap = v8::CppHeap::Create(platform, v8::CppHeapCreateParams{{}}).release();
#else
    (void)params;
    (void)platform;
#endif
}

// The isolate's end. Node 24 wants the platform to do it in its order (deinitialize, then
// unregister, then free), so that a task V8 posts while tearing down still finds its runner.
inline void disposeIsolate(node::MultiIsolatePlatform *platform, v8::Isolate *isolate)
{
#if NODE_MAJOR_VERSION >= 24
    platform->DisposeIsolate(isolate);
#else
    platform->UnregisterIsolate(isolate);
    isolate->Dispose();
#endif
}

// Node's built-in startup snapshot, which `node` itself starts from; null where the libnode has
// none to use (Debian 13's libnode 20 is built without one).
inline node::EmbedderSnapshotData::Pointer builtinSnapshot()
{
#if NODE_MAJOR_VERSION >= 24
    return node::EmbedderSnapshotData::BuiltinSnapshotData();
#else
    return {};
#endif
}

// node::NewIsolate() from a snapshot, with an old-generation limit of its own. Node takes no
// CreateParams there: V8 reads the limit from its --max-old-space-size flag while it creates the
// isolate (node leaves V8's flags unfrozen), so the flag is set for that moment, under a lock,
// and put back to node's default (0: sized from physical memory) for isolates made later, such
// as worker threads' (under node they follow the process's flag).
v8::Isolate *newIsolate(std::shared_ptr<node::ArrayBufferAllocator> allocator, uv_loop_t *loop,
                        node::MultiIsolatePlatform *platform, const node::EmbedderSnapshotData *snapshot,
                        std::size_t heapLimitBytes);

} // namespace Loopscope::Runtime::EmbedderCompat
