#pragma once
// TraceRecorder — writes one run's loop-thread records into a Trace.
//
// Phases come from probe handles on the run's loop, placed so that each runs first in its
// phase (libuv runs the handles of one phase newest-first; the closing list is LIFO; timers
// run in (timeout, start order)):
//   timers        a uv_timer armed with timeout 0 (loop time forced to 0 while arming, so it is
//                 the heap's minimum and always due). Armed in the close phase, it fires in the
//                 same iteration's trailing timers run, and first in UV_RUN_DEFAULT's initial
//                 timers run (also after a 'beforeExit' revival: it re-arms itself when it fires
//                 and the prepare probe disarms it), so it is never armed across a poll and never
//                 shortens one. Its firing starts an iteration (Node's model: timers → … → close;
//                 libuv 1.50 runs timers at the end of uv_run's loop body and once before it).
//   idle/prepare, poll   a uv_prepare started after node's handles (runs before node's).
//   check         a uv_check started after node's immediate handle (runs before immediates),
//                 which also ends the poll: its blocked time is uv_metrics_idle_time's delta.
//   close         a uv_check started before node's handles (runs after immediates) closes a
//                 fresh handle; being the newest on the closing list its callback runs first.
//   pending       an I/O watcher of our own put at the head of the loop's pending queue when
//                 the timers probe fires, so its callback is the pending phase's first. Only
//                 while the loop is alive: a queued watcher keeps the loop alive, so a loop with
//                 nothing left would otherwise never end. (libuv 1.50 also runs pending
//                 callbacks right after the poll; those are attributed to poll.)
// All probes but the pending watcher are unref'd.
//
// Callbacks come from async_hooks (installed by the prelude through the functions addTo()
// adds), except for promises: those come from V8's native per-isolate PromiseHook, a C++
// callback for each promise's init, before, after and resolve, which costs far less than
// node's JS promise hooks (a JS call per event, then ours into C++). Node's own hooks are per
// context and coexist with it; the prelude leaves them off unless the script enables an
// async hook of its own. A promise's asyncId comes from node's own counter (so ids stay
// unique across both sources) and is kept in the promise's embedder field, node's build
// reserves one. Its trigger is the promise it was derived from, else the callback running. The queue a callback ran from is decided natively when its `before` arrives: the
// microtask queue if V8 is running microtasks, the nextTick queue for a TickObject (only
// processTicksAndRejections runs those), else the loop phase the probes last entered, or
// `main` before the loop's first iteration.
//
// Creation sites: V8's detailed stack capture summarizes each frame it returns, and an optimized
// frame must be translated back into its inlined functions first (~2 µs a capture, most of a
// traced run's cost on promise-heavy code). A free run first takes V8's raw stack sample (the
// CPU profiler's walk: return addresses and bytecode offsets, nothing summarized, ~0.3-0.5 µs)
// and looks those frames up in a cache of earlier captures' results; only a miss captures.
// Exact, not sampled: the raw frames determine what a capture finds (see cachedSource), and
// every full GC, the only one that moves or frees code, empties the cache. Step mode always
// captures.
//
// Why a C++ promise hook and not V8's JS promise hooks (node's async_hooks use those): measured
// in session 4 (bench/promise_hook_floor, docs/benchmarks.md §6) an empty C++ hook costs 1.7×
// plain run's thread CPU on 1 M awaits, empty JS hooks 1.4×: the difference is small against
// what recording costs, and the C++ hook keeps the id in the promise's embedder field with no
// JS property per promise and no extra call into C++ from JS.
//
// Fast API calls: traceInit, traceBefore, traceAfter, traceDestroy, tracePromiseResolve,
// tracePromiseName, traceName, traceCloseRequest and traceTimerRearm are also V8 fast API
// functions (v8::CFunction): once the prelude's hooks are optimized, TurboFan calls them as plain
// C functions, without the API callback's exit frame and arguments object (~700 instructions a
// call). Their common case allocates nothing on V8's heap and runs no JavaScript: an init whose
// site the site cache has (or with sites off), a promise that has its id already, a callback
// outside step mode. Otherwise the fast call does the slow callback's work: itself on V8 13,
// where fast calls may allocate; through V8's fallback to the slow callback on older V8
// (embeddercompat.h). V8's stack sample from inside a fast call starts at the
// optimized caller's frame (V8 keeps fast_c_call_caller_fp for its profiler): a different key
// from the slow call's for the same stack, so a fast miss keeps its key for the slow call that
// follows at once to cache its capture under (that call takes no sample of its own).
// RunResult::traceFastCalls counts the calls served fast.
//
// Step mode: with a Stepper set, jsBefore() passes each callback of the script's (anything but
// the runtime's own output stream's) through its gate before recording it, so the trace shows a
// StepPause, and no CallbackBefore, for the callback a paused run is about to run.
//
// Threads: everything here runs on the run's loop thread.

#include "trace.h"

#include <uv.h>
#include <v8.h>

#include <array>
#include <cstddef>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

namespace v8 {
struct FastApiCallbackOptions;
}

namespace Loopscope::Runtime {

class Stepper;

class TraceRecorder final {
public:
    // sourceLocations: capture the creating frame of each resource; fastCalls: offer V8's fast
    // API path for the hot natives (see RunOptions).
    TraceRecorder(Trace &trace, uv_loop_t *loop, bool sourceLocations = true, bool fastCalls = true);
    ~TraceRecorder();
    TraceRecorder(const TraceRecorder &) = delete;
    TraceRecorder &operator=(const TraceRecorder &) = delete;

    // Before node's own handles exist (before LoadEnvironment): the after-immediates check probe.
    void startEarlyProbes();
    // After node's handles exist (after LoadEnvironment): the other probes.
    void startLateProbes();
    // The loop has finished for good: closes the open iteration, stops the probes.
    void loopEnded();
    // Closes the probe handles; the loop must run once more to finish closing them.
    void closeHandles();

    // Adds the prelude's trace functions (traceIntern, traceInit, traceName, traceBefore,
    // traceAfter, traceDestroy, tracePromiseResolve, traceNativePromises, traceCloseRequest,
    // tracePromiseName, traceTimerRearm) to `native`.
    void addTo(v8::Local<v8::Context> context, v8::Local<v8::Object> native);

    void consoleWrite(int stream, std::string_view bytes);

    // Step mode: callbacks pass through `stepper`'s gate (null: none).
    void setStepper(Stepper *stepper) { m_stepper = stepper; }
    // The main module's synchronous run is the first step: its gate, before it starts.
    void gateMainModule(const std::string &scriptPath);

    TraceWriter *writer() const { return m_writer; }
    // How many native calls V8's fast API path served so far (the proof that it is taken).
    std::uint64_t fastCalls() const { return m_fastCallCount; }

private:
    struct Resource {
        std::uint32_t type = 0;
        std::uint32_t file = 0;       // string id, 0: none found
        std::uint64_t position = 0;   // line << 32 | column
        bool internal = false;
    };

    void enterPhase(LoopPhase phase);
    void armTimersProbe();
    std::uint32_t sourceFile(v8::Isolate *isolate, int scriptId, v8::Local<v8::Value> name);

    static void onTimer(uv_timer_t *handle);
    static void onPrepare(uv_prepare_t *handle);
    static void onCheckFirst(uv_check_t *handle);
    static void onCheckLast(uv_check_t *handle);
    static void onCloseProbe(uv_handle_t *handle);
    static void onPending(uv_poll_t *probe, int status, int events);
    void queuePendingProbe();
    void unqueuePendingProbe();

    static void jsIntern(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsInit(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsName(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsCloseRequest(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsPromiseName(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsTimerRearm(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsBefore(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsAfter(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsDestroy(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsPromiseResolve(const v8::FunctionCallbackInfo<v8::Value> &info);
    // V8 fast API versions of the hot natives: called straight from optimized JS, no exit frame,
    // and, in the common case, no V8 heap allocation and no JS. When init or step mode need
    // either, they do the slow work (EmbedderCompat::doSlowWorkInFastCall).
    static void fastInit(v8::Local<v8::Object> receiver, double asyncId, double type, double trigger, double delay,
                         bool repeat, bool internal, double name, v8::FastApiCallbackOptions &options);
    static void fastBefore(v8::Local<v8::Object> receiver, double asyncId, v8::FastApiCallbackOptions &options);
    static void fastAfter(v8::Local<v8::Object> receiver, double asyncId, v8::FastApiCallbackOptions &options);
    static void fastDestroy(v8::Local<v8::Object> receiver, double asyncId, v8::FastApiCallbackOptions &options);
    static void fastPromiseResolve(v8::Local<v8::Object> receiver, double asyncId, v8::FastApiCallbackOptions &options);
    static void fastName(v8::Local<v8::Object> receiver, double asyncId, double name, v8::FastApiCallbackOptions &options);
    static void fastCloseRequest(v8::Local<v8::Object> receiver, double asyncId, double name,
                                 v8::FastApiCallbackOptions &options);
    static void fastTimerRearm(v8::Local<v8::Object> receiver, double asyncId, v8::FastApiCallbackOptions &options);
    static void fastPromiseName(v8::Local<v8::Object> receiver, v8::Local<v8::Value> promise, double name,
                                v8::FastApiCallbackOptions &options);
    // What the natives record, shared by both paths. recordInit with `fast`: only when it needs no
    // stack capture (the site cache has the site, or sites are off) and no step gate; else it
    // records nothing and returns false.
    struct InitCall {
        std::uint64_t asyncId;
        std::uint32_t type;
        std::uint64_t trigger;
        std::int64_t delay;  // -1: not a timer
        bool repeat;
        bool internal;
        std::uint32_t name;  // 0: unknown
    };
    bool recordInit(v8::Isolate *isolate, const InitCall &call, bool fast);
    void recordBefore(v8::Isolate *isolate, std::uint64_t asyncId);
    void recordAfter(std::uint64_t asyncId);
    void recordDestroy(std::uint64_t asyncId);
    static void jsNativePromises(const v8::FunctionCallbackInfo<v8::Value> &info);

    static void onPromiseHook(v8::PromiseHookType type, v8::Local<v8::Promise> promise, v8::Local<v8::Value> parent);
    // A promise's asyncId (given on first sight) and, in `site`, the creation site recorded with
    // it (0: none).
    std::uint64_t promiseId(v8::Local<v8::Promise> promise, std::uint32_t *site = nullptr);
    // The same without giving one: 0 if the promise has none yet.
    std::uint64_t storedPromiseId(v8::Local<v8::Promise> promise, std::uint32_t *site = nullptr);
    // Stores a new promise's id, with its creation site (site index, 0: none) when it fits.
    void setPromiseId(v8::Local<v8::Promise> promise, std::uint64_t asyncId, std::uint32_t site);
    std::uint32_t siteIndex(std::uint32_t file, std::uint64_t position);
    std::uint64_t executionAsyncId() const;
    // Returns the creating frame's file (string id, 0: none) and line << 32 | column. Captures
    // `frames` frames first, the full depth only if none of those is the script's; in `foundAt`
    // the number of frames it took (0: none found).
    // `hit`: the site cache's entry a fast init already looked up.
    struct CachedSite;
    std::pair<std::uint32_t, std::uint64_t> recordSource(v8::Isolate *isolate, std::uint64_t time, std::uint64_t timer,
                                                         int frames, int *foundAt = nullptr,
                                                         const CachedSite *hit = nullptr);
    // Free runs: the site a capture of `frames` frames would find, from the site cache (true),
    // or false and in `key` what to cache the capture's result under (key.count 0: nothing).
    struct SiteKey {
        std::uint8_t count = 0;
        bool wholeStack = false;  // the frames are all the stack has (fewer than asked for)
        std::array<std::uintptr_t, 12> frames{};
        bool operator==(const SiteKey &other) const;
    };
    struct SiteKeyHash {
        std::size_t operator()(const SiteKey &key) const;
    };
    struct CachedSite {
        std::uint32_t file;
        std::uint64_t position;
        std::uint8_t foundAt;
    };
    bool cachedSource(v8::Isolate *isolate, int frames, SiteKey *key, const CachedSite **site);
    // Caches a capture's result under `key` if the sampled frames determine it.
    void cacheSite(const SiteKey &key, int found, bool searchedWholeStack, std::uint32_t file, std::uint64_t position);
    static void onFullGc(v8::Isolate *isolate, v8::GCType type, v8::GCCallbackFlags flags, void *data);
    // Step mode: the AsyncName of an await's promise (the async function it resumes).
    void recordAwaitName(std::uint64_t asyncId);
    // Step mode's gate before a callback runs (a no-op without a stepper).
    void gateCallback(CallbackQueue queue, std::uint64_t asyncId, const Resource *resource);

    Trace &m_trace;
    uv_loop_t *const m_loop;
    TraceWriter *const m_writer;
    const bool m_sourceLocations;
    bool m_active = true;
    std::uint64_t m_iteration = 0;
    LoopPhase m_phase = LoopPhase::None;
    bool m_timersRunSeen = false;
    std::uint64_t m_idleAtPoll = 0;

    uv_timer_t m_timerProbe{};
    uv_prepare_t m_prepareProbe{};
    uv_check_t m_checkFirstProbe{};
    uv_check_t m_checkLastProbe{};
    uv_idle_t m_closeProbe{};
    // A poll handle's shape, never started on the loop: libuv's pending phase calls a watcher
    // back by what kind it is (a callback pointer in older libuv, a kind number in its low bits
    // since 1.52), and a poll watcher's callback is the handle's poll_cb.
    uv_poll_t m_pendingProbe{};  // uv_poll_t and uv__io_t are public in uv/unix.h; queued by hand
    bool m_closeProbeInUse = false;
    bool m_lateStarted = false;
    bool m_earlyStarted = false;
    std::uint64_t m_phaseSerial = 0;  // phases entered so far
    Stepper *m_stepper = nullptr;

    std::uint32_t m_tickObjectType = 0;
    // Per async_hooks type (string id): how deep the script's frame has been found so far under
    // node's frames for that type (0: not yet). Capturing that many first spares summarizing the
    // frames below it, which is most of a capture's cost.
    std::vector<std::uint8_t> m_typeDepth;
    // Free runs: distinct promise creation sites (index 1 on; 0: none), so that a promise can
    // carry its site in its embedder field and a derived promise can take its parent's.
    std::vector<std::pair<std::uint32_t, std::uint64_t>> m_sites;
    std::unordered_map<std::uint64_t, std::uint32_t> m_siteIndex;
    // Free runs: raw stack (V8's sampler's frames: return addresses, bytecode offsets) → the
    // site a full capture found there. Emptied by every full GC, which may move or free code.
    std::unordered_map<SiteKey, CachedSite, SiteKeyHash> m_siteCache;
    v8::Isolate *m_gcIsolate = nullptr;  // while the GC callback that empties it is installed
    v8::RegisterState m_sampleState;
    // A fast init that missed the cache: its raw stack, sampled inside the fast call (V8 walks
    // from the optimized caller, no exit frame), for the slow call that follows at once to cache
    // its capture under too. The slow call's own sample differs (exit frame, API entry).
    SiteKey m_fastMissKey;
    const bool m_fastCalls;
    std::uint64_t m_fastCallCount = 0;
    v8::Isolate *m_hostIsolate = nullptr;  // the run's isolate, for the fast calls (set by addTo)
    // Live asyncId → what it is: async_hooks resources, and promises only in step mode (a
    // pause names its callback's resource; a free run keeps no per-promise state).
    std::unordered_map<std::uint64_t, Resource> m_resources;
    std::unordered_map<int, std::uint32_t> m_scriptFiles;      // V8 script id → file string id
    struct ScriptText {
        std::u16string text;                 // V8's columns count UTF-16 units
        std::vector<std::size_t> lineStarts;
    };
    std::unordered_map<int, ScriptText> m_scriptTexts;         // step mode: sources, to find awaits
    struct OpenCallback {
        std::uint64_t asyncId;
        CallbackQueue queue;
        bool promise;
    };
    std::vector<OpenCallback> m_open;                          // the callbacks running, innermost last

    // Native promise tracking (jsNativePromises): node's async id fields, shared with its C++.
    v8::Isolate *m_isolate = nullptr;
    v8::Global<v8::Float64Array> m_asyncIdArray;
    double *m_asyncIdFields = nullptr;
    int m_executionField = 0, m_counterField = 0, m_defaultTriggerField = 0;
    std::uint32_t m_promiseType = 0;
};

} // namespace Loopscope::Runtime
