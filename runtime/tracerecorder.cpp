#include "tracerecorder.h"

#include "stepper.h"
#include "threadpooltrace.h"

#include "embeddercompat.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <tuple>

#include <unistd.h>

namespace Loopscope::Runtime {

// Frames to search for the script's own: past node's hook dispatch (promiseInitHook → emitInit →
// the prelude's init) with room for a few internal frames under the script's call.
constexpr int kStackFrames = 10;

namespace {
// The recorder whose isolate runs on this thread (one run per thread): V8's promise hook has no
// data pointer of its own.
thread_local TraceRecorder *t_promiseRecorder = nullptr;
} // namespace

TraceRecorder::TraceRecorder(Trace &trace, uv_loop_t *loop, bool sourceLocations, bool fastCalls)
    : m_trace(trace), m_loop(loop), m_writer(trace.addWriter("loop")), m_sourceLocations(sourceLocations),
      m_fastCalls(fastCalls)
{
    m_tickObjectType = m_trace.intern("TickObject");
    // The poll's blocked time comes from libuv's idle-time metric; it only measures when asked.
    uv_loop_configure(m_loop, UV_METRICS_IDLE_TIME);
    ThreadPoolTrace::attach(m_loop, &m_trace, m_writer);
}

TraceRecorder::~TraceRecorder()
{
    if (t_promiseRecorder == this)
        t_promiseRecorder = nullptr;
    unqueuePendingProbe();
    ThreadPoolTrace::detach(m_loop);
}

void TraceRecorder::startEarlyProbes()
{
    uv_check_init(m_loop, &m_checkLastProbe);
    m_checkLastProbe.data = this;
    uv_check_start(&m_checkLastProbe, &TraceRecorder::onCheckLast);
    uv_unref(reinterpret_cast<uv_handle_t *>(&m_checkLastProbe));
    m_earlyStarted = true;
}

// The probe's watcher is a copy of a real poll handle's (made once, on a loop of its own), so it
// carries whatever libuv's pending phase dispatches by, whichever libuv this is; then it gets
// empty queues and no descriptor, and our callback.
static void initPendingProbe(uv_poll_t *probe, uv_poll_cb callback)
{
    static const uv__io_t pollWatcher = [] {
        uv__io_t watcher{};
        uv_loop_t loop;
        int fds[2];
        uv_poll_t poll;
        if (uv_loop_init(&loop) == 0) {
            if (uv_pipe(fds, UV_NONBLOCK_PIPE, UV_NONBLOCK_PIPE) == 0) {
                if (uv_poll_init(&loop, &poll, fds[0]) == 0) {
                    watcher = poll.io_watcher;
                    uv_close(reinterpret_cast<uv_handle_t *>(&poll), nullptr);
                    uv_run(&loop, UV_RUN_DEFAULT);
                }
                ::close(fds[0]);
                ::close(fds[1]);
            }
            uv_loop_close(&loop);
        }
        return watcher;
    }();
    uv__io_t &watcher = probe->io_watcher;
    watcher = pollWatcher;
    watcher.pending_queue.next = watcher.pending_queue.prev = &watcher.pending_queue;
    watcher.watcher_queue.next = watcher.watcher_queue.prev = &watcher.watcher_queue;
    watcher.fd = -1;
    watcher.events = watcher.pevents = 0;
    probe->poll_cb = callback;
}

void TraceRecorder::startLateProbes()
{
    uv_prepare_init(m_loop, &m_prepareProbe);
    m_prepareProbe.data = this;
    uv_prepare_start(&m_prepareProbe, &TraceRecorder::onPrepare);
    uv_unref(reinterpret_cast<uv_handle_t *>(&m_prepareProbe));

    uv_check_init(m_loop, &m_checkFirstProbe);
    m_checkFirstProbe.data = this;
    uv_check_start(&m_checkFirstProbe, &TraceRecorder::onCheckFirst);
    uv_unref(reinterpret_cast<uv_handle_t *>(&m_checkFirstProbe));

    initPendingProbe(&m_pendingProbe, &TraceRecorder::onPending);
    m_pendingProbe.data = this;

    uv_timer_init(m_loop, &m_timerProbe);
    m_timerProbe.data = this;
    uv_unref(reinterpret_cast<uv_handle_t *>(&m_timerProbe));
    m_lateStarted = true;
    armTimersProbe();
}

void TraceRecorder::armTimersProbe()
{
    // Timeout 0 from loop time 0: the minimum of the timer heap, so the first timer of the next
    // timers run. Node's own timer is always due later than time 0.
    const std::uint64_t time = m_loop->time;
    m_loop->time = 0;
    uv_timer_start(&m_timerProbe, &TraceRecorder::onTimer, 0, 0);
    m_loop->time = time;
}

// libuv's pending queue is a public field (struct uv__queue, circular, FIFO); uv__run_pending
// takes it whole and calls each watcher back. At its head, our watcher is the phase's first.
void TraceRecorder::queuePendingProbe()
{
    uv__queue *probe = &m_pendingProbe.io_watcher.pending_queue;
    if (probe->next != probe || !uv_loop_alive(m_loop))
        return;  // already queued; or nothing keeps the loop alive, and we must not either
    uv__queue *head = &m_loop->pending_queue;
    probe->next = head->next;
    probe->prev = head;
    head->next->prev = probe;
    head->next = probe;
}

void TraceRecorder::unqueuePendingProbe()
{
    uv__queue *probe = &m_pendingProbe.io_watcher.pending_queue;
    if (!probe->next || probe->next == probe)
        return;  // never set up (stopped before the late probes) or not queued
    probe->prev->next = probe->next;
    probe->next->prev = probe->prev;
    probe->next = probe->prev = probe;
}

void TraceRecorder::onPending(uv_poll_t *probe, int, int)
{
    TraceRecorder *self = static_cast<TraceRecorder *>(probe->data);
    if (self->m_active)
        self->enterPhase(LoopPhase::Pending);
}

void TraceRecorder::loopEnded()
{
    if (m_gcIsolate) {
        // Still inside the run's isolate. Captures after this (teardown) are not cached.
        m_gcIsolate->RemoveGCEpilogueCallback(&TraceRecorder::onFullGc, this);
        m_gcIsolate = nullptr;
        m_siteCache.clear();
    }
    if (m_isolate) {
        // Still on the run's thread, inside its isolate: no promise outlives the hook's recorder.
        m_isolate->SetPromiseHook(nullptr);
        m_isolate = nullptr;
        if (t_promiseRecorder == this)
            t_promiseRecorder = nullptr;
        m_asyncIdArray.Reset();
        m_asyncIdFields = nullptr;
    }
    if (!m_active)
        return;
    if (m_iteration > 0)
        m_writer->append(TraceKind::IterationEnd, 0, 0, m_iteration);
    m_active = false;
    m_phase = LoopPhase::None;
    if (m_lateStarted) {
        unqueuePendingProbe();
        uv_timer_stop(&m_timerProbe);
        uv_prepare_stop(&m_prepareProbe);
        uv_check_stop(&m_checkFirstProbe);
    }
    if (m_earlyStarted)
        uv_check_stop(&m_checkLastProbe);
}

void TraceRecorder::closeHandles()
{
    loopEnded();
    auto close = [](void *h) {
        auto *handle = static_cast<uv_handle_t *>(h);
        if (!uv_is_closing(handle))
            uv_close(handle, nullptr);
    };
    if (m_lateStarted) {
        close(&m_timerProbe);
        close(&m_prepareProbe);
        close(&m_checkFirstProbe);
        m_lateStarted = false;
    }
    if (m_earlyStarted) {
        close(&m_checkLastProbe);
        m_earlyStarted = false;
    }
}

void TraceRecorder::enterPhase(LoopPhase phase)
{
    m_phase = phase;
    ++m_phaseSerial;
    if (phase != LoopPhase::Timers)
        m_timersRunSeen = false;
    m_writer->append(TraceKind::PhaseEnter, std::uint8_t(phase));
}

void TraceRecorder::onTimer(uv_timer_t *handle)
{
    auto *self = static_cast<TraceRecorder *>(handle->data);
    if (!self->m_active)
        return;
    if (self->m_phase == LoopPhase::Timers && self->m_timersRunSeen)
        return;  // an older libuv running our re-armed timer twice in one run: not a new iteration
    self->m_timersRunSeen = true;
    if (self->m_iteration > 0)
        self->m_writer->append(TraceKind::IterationEnd, 0, 0, self->m_iteration);
    self->m_writer->append(TraceKind::IterationStart, 0, 0, ++self->m_iteration);
    self->enterPhase(LoopPhase::Timers);
    self->queuePendingProbe();
    // Armed again at once for the case where the loop now finds itself dead and node revives it
    // from 'beforeExit': the next uv_run's initial timers run must start an iteration too. The
    // prepare probe disarms it before any poll could see it. (libuv ≥ 1.45 collects the due
    // timers before running them, so this does not fire again in this timers run.)
    self->armTimersProbe();
}

void TraceRecorder::onPrepare(uv_prepare_t *handle)
{
    auto *self = static_cast<TraceRecorder *>(handle->data);
    if (!self->m_active)
        return;
    uv_timer_stop(&self->m_timerProbe);  // a due timer would keep the poll from blocking
    self->enterPhase(LoopPhase::IdlePrepare);
    // Nothing else runs between the prepare handles and the poll but node's own prepare handle.
    self->m_idleAtPoll = uv_metrics_idle_time(self->m_loop);
    self->enterPhase(LoopPhase::Poll);
}

void TraceRecorder::onCheckFirst(uv_check_t *handle)
{
    auto *self = static_cast<TraceRecorder *>(handle->data);
    if (!self->m_active)
        return;
    if (self->m_phase == LoopPhase::Poll)
        self->m_writer->append(TraceKind::PollEnd, 0, 0, uv_metrics_idle_time(self->m_loop) - self->m_idleAtPoll);
    self->enterPhase(LoopPhase::Check);
}

void TraceRecorder::onCheckLast(uv_check_t *handle)
{
    auto *self = static_cast<TraceRecorder *>(handle->data);
    if (!self->m_active || self->m_closeProbeInUse)
        return;
    // Closed last in this check phase, so first on the closing list the close phase walks.
    uv_idle_init(self->m_loop, &self->m_closeProbe);
    self->m_closeProbe.data = self;
    self->m_closeProbeInUse = true;
    uv_close(reinterpret_cast<uv_handle_t *>(&self->m_closeProbe), &TraceRecorder::onCloseProbe);
}

void TraceRecorder::onCloseProbe(uv_handle_t *handle)
{
    auto *self = static_cast<TraceRecorder *>(handle->data);
    self->m_closeProbeInUse = false;
    if (!self->m_active)
        return;
    self->enterPhase(LoopPhase::Close);
    self->armTimersProbe();
}

void TraceRecorder::gateMainModule(const std::string &scriptPath)
{
    if (!m_stepper || !m_stepper->arrive(m_phaseSerial))
        return;
    PausePoint point;
    point.queue = CallbackQueue::Main;
    point.asyncId = 1;  // node's executionAsyncId() of the main module
    point.resourceType = "main module";
    point.file = scriptPath;
    point.line = 1;
    point.column = 1;
    const std::uint32_t type = m_trace.intern(point.resourceType);
    m_stepper->pause(std::move(point), m_writer, type);
}

// The runtime's own output ticks are not steps: nothing the student wrote runs there.
void TraceRecorder::gateCallback(CallbackQueue queue, std::uint64_t asyncId, const Resource *resource)
{
    if (!m_stepper || (resource && resource->internal) || !m_stepper->arrive(m_phaseSerial))
        return;
    PausePoint point;
    point.queue = queue;
    point.asyncId = asyncId;
    if (resource) {
        point.resourceType = m_trace.string(resource->type);
        point.file = m_trace.string(resource->file);
        point.line = int(resource->position >> 32);
        point.column = int(resource->position & 0xffffffffu);
    }
    m_stepper->pause(std::move(point), m_writer, resource ? resource->type : 0);
}

void TraceRecorder::consoleWrite(int stream, std::string_view bytes)
{
    m_writer->appendConsoleWrite(stream, bytes);
}

// --- the prelude's functions -------------------------------------------------------------------

static TraceRecorder *recorderOf(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    return static_cast<TraceRecorder *>(info.Data().As<v8::External>()->Value());
}

static TraceRecorder *recorderOf(const v8::FastApiCallbackOptions &options)
{
    return static_cast<TraceRecorder *>(options.data.As<v8::External>()->Value());
}

// A number argument as the slow path's u64 reads it.
static std::uint64_t u64(double value)
{
    return std::uint64_t(std::int64_t(value));
}

static std::uint64_t u64(const v8::FunctionCallbackInfo<v8::Value> &info, int i)
{
    v8::Local<v8::Value> v = info[i];
    if (v->IsInt32())
        return std::uint64_t(std::int64_t(v.As<v8::Int32>()->Value()));
    if (v->IsNumber())
        return std::uint64_t(std::int64_t(v.As<v8::Number>()->Value()));
    return 0;
}

void TraceRecorder::addTo(v8::Local<v8::Context> context, v8::Local<v8::Object> native)
{
    v8::Isolate *isolate = context->GetIsolate();
    v8::Local<v8::External> self = v8::External::New(isolate, this);
    m_hostIsolate = isolate;
    auto add = [&](const char *name, v8::FunctionCallback fn, const v8::CFunction *fast = nullptr) {
        // A fast API function needs a template: V8 finds the C function through it.
        v8::Local<v8::Function> f = fast && m_fastCalls
            ? v8::FunctionTemplate::New(isolate, fn, self, v8::Local<v8::Signature>(), 0, v8::ConstructorBehavior::kThrow,
                                        v8::SideEffectType::kHasSideEffect, fast)
                  ->GetFunction(context).ToLocalChecked()
            : v8::Function::New(context, fn, self).ToLocalChecked();
        native->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), f).Check();
    };
    static const v8::CFunction fastInit = v8::CFunction::Make(&TraceRecorder::fastInit);
    static const v8::CFunction fastBefore = v8::CFunction::Make(&TraceRecorder::fastBefore);
    static const v8::CFunction fastAfter = v8::CFunction::Make(&TraceRecorder::fastAfter);
    static const v8::CFunction fastDestroy = v8::CFunction::Make(&TraceRecorder::fastDestroy);
    static const v8::CFunction fastPromiseResolve = v8::CFunction::Make(&TraceRecorder::fastPromiseResolve);
    static const v8::CFunction fastPromiseName = v8::CFunction::Make(&TraceRecorder::fastPromiseName);
    static const v8::CFunction fastName = v8::CFunction::Make(&TraceRecorder::fastName);
    static const v8::CFunction fastCloseRequest = v8::CFunction::Make(&TraceRecorder::fastCloseRequest);
    static const v8::CFunction fastTimerRearm = v8::CFunction::Make(&TraceRecorder::fastTimerRearm);
    if (!m_gcIsolate) {
        m_gcIsolate = isolate;
        isolate->AddGCEpilogueCallback(&TraceRecorder::onFullGc, this, v8::kGCTypeMarkSweepCompact);
    }
    add("traceIntern", &TraceRecorder::jsIntern);
    add("traceInit", &TraceRecorder::jsInit, &fastInit);
    add("traceBefore", &TraceRecorder::jsBefore, &fastBefore);
    add("traceAfter", &TraceRecorder::jsAfter, &fastAfter);
    add("traceDestroy", &TraceRecorder::jsDestroy, &fastDestroy);
    add("tracePromiseResolve", &TraceRecorder::jsPromiseResolve, &fastPromiseResolve);
    add("traceNativePromises", &TraceRecorder::jsNativePromises);
    add("traceName", &TraceRecorder::jsName, &fastName);
    add("traceCloseRequest", &TraceRecorder::jsCloseRequest, &fastCloseRequest);
    add("tracePromiseName", &TraceRecorder::jsPromiseName, &fastPromiseName);
    add("traceTimerRearm", &TraceRecorder::jsTimerRearm, &fastTimerRearm);
}

void TraceRecorder::jsIntern(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    const v8::String::Utf8Value s(info.GetIsolate(), info[0]);
    info.GetReturnValue().Set(recorderOf(info)->m_trace.intern(std::string_view(*s ? *s : "", s.length())));
}

std::uint32_t TraceRecorder::sourceFile(v8::Isolate *isolate, int scriptId, v8::Local<v8::Value> name)
{
    auto it = m_scriptFiles.find(scriptId);
    if (it != m_scriptFiles.end())
        return it->second;
    std::uint32_t id = 0;
    if (name->IsString()) {
        const v8::String::Utf8Value s(isolate, name);
        const std::string_view file(*s ? *s : "", s.length());
        // Node's own modules and the runtime's prelude are not where a student's code is.
        if (!file.empty() && !file.starts_with("node:") && !file.starts_with("loopscope:"))
            id = m_trace.intern(file);
    }
    m_scriptFiles.emplace(scriptId, id);
    return id;
}

// traceInit(asyncId, typeId, triggerAsyncId, timerDelay (-1: not a timer), repeat, internal,
//           nameId (the callback's function name, 0: unknown))
void TraceRecorder::jsInit(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    const InitCall call{u64(info, 0), std::uint32_t(u64(info, 1)), u64(info, 2), std::int64_t(u64(info, 3)),
                        info[4]->IsTrue(), info[5]->IsTrue(), std::uint32_t(u64(info, 6))};
    recorderOf(info)->recordInit(info.GetIsolate(), call, false);
}

void TraceRecorder::fastInit(v8::Local<v8::Object>, double asyncId, double type, double trigger, double delay,
                             bool repeat, bool internal, double name, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    const InitCall call{u64(asyncId), std::uint32_t(u64(type)), u64(trigger), std::int64_t(u64(delay)),
                        repeat, internal, std::uint32_t(u64(name))};
    if (self->recordInit(self->m_hostIsolate, call, true)) {
        ++self->m_fastCallCount;
    } else if (EmbedderCompat::doSlowWorkInFastCall(options)) {  // nothing recorded yet
        v8::HandleScope scope(self->m_hostIsolate);
        self->recordInit(self->m_hostIsolate, call, false);
    }
}

bool TraceRecorder::recordInit(v8::Isolate *isolate, const InitCall &call, bool fast)
{
    if (fast && m_stepper)
        return false;
    std::uint64_t trigger = call.trigger;
    // Node does not know that a promise's callback is running (its promise hooks are off), so
    // what it calls the current resource is the one around the microtask checkpoint.
    if (!m_open.empty() && m_open.back().promise && m_asyncIdFields
        && trigger == std::uint64_t(m_asyncIdFields[m_executionField]))
        trigger = m_open.back().asyncId;
    if (call.type >= m_typeDepth.size())
        m_typeDepth.resize(call.type + 1, 0);
    // Step mode captures the full depth each time: its sites are the reference the learned depth
    // is tested against (tst_stepper freeRunSitesAreExactRunSites).
    std::uint8_t &depth = m_typeDepth[call.type];
    const int frames = depth && !m_stepper ? depth : kStackFrames;
    const CachedSite *hit = nullptr;
    if (fast && m_sourceLocations && !cachedSource(isolate, frames, &m_fastMissKey, &hit))
        return false;  // m_fastMissKey: the slow call's capture is cached under it too
    const std::uint64_t now = Trace::now();
    m_writer->appendAt(now, TraceKind::AsyncInit, call.internal ? TraceInitInternal : 0, call.type, call.asyncId, trigger);
    int foundAt = 0;
    const auto [file, position] = recordSource(
        isolate, now, call.delay < 0 ? ~std::uint64_t(0) : (std::uint64_t(call.delay) << 1) | (call.repeat ? 1 : 0),
        frames, &foundAt, hit);
    // The deepest seen: a shallower script frame is still found first within it.
    if (foundAt > depth)
        depth = std::uint8_t(foundAt);
    m_resources[call.asyncId] = Resource{call.type, file, position, call.internal};
    if (call.name)
        m_writer->appendAt(now, TraceKind::AsyncName, 0, call.name, call.asyncId, 0);
    return true;
}

// traceName(asyncId, nameId): a callback's function name learnt after its init (an I/O request's
// callback is set on it only once it is made). An AsyncName record of its own.
void TraceRecorder::jsName(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->m_writer->append(TraceKind::AsyncName, 0, std::uint32_t(u64(info, 1)), u64(info, 0));
}

void TraceRecorder::fastName(v8::Local<v8::Object>, double asyncId, double name, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    ++self->m_fastCallCount;
    self->m_writer->append(TraceKind::AsyncName, 0, std::uint32_t(u64(name)), u64(asyncId));
}

// tracePromiseName(promise, nameId): the prelude's then()/finally() wrapper names the promise the
// call returned after its handler, so its reaction's card can say which function it runs. Only
// with native promise records (the id is in the promise's embedder field; the prelude finds it
// itself under async_hooks). An AsyncName record, as for any other resource.
void TraceRecorder::jsPromiseName(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    TraceRecorder *self = recorderOf(info);
    if (!self->m_asyncIdFields || !info[0]->IsPromise())
        return;
    const std::uint64_t asyncId = self->promiseId(info[0].As<v8::Promise>());
    self->m_writer->append(TraceKind::AsyncName, 0, std::uint32_t(u64(info, 1)), asyncId);
}

void TraceRecorder::fastPromiseName(v8::Local<v8::Object>, v8::Local<v8::Value> promise, double name,
                                    v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    if (!self->m_asyncIdFields || !promise->IsPromise())
        return;
    v8::HandleScope scope(self->m_hostIsolate);  // the field's handle: not into the caller's scope
    std::uint64_t asyncId = self->storedPromiseId(promise.As<v8::Promise>());
    if (asyncId == 0) {  // made before tracking: giving it an id allocates
        if (!EmbedderCompat::doSlowWorkInFastCall(options))
            return;
        asyncId = self->promiseId(promise.As<v8::Promise>());
    }
    ++self->m_fastCallCount;
    self->m_writer->append(TraceKind::AsyncName, 0, std::uint32_t(u64(name)), asyncId);
}

// traceCloseRequest(asyncId, nameId): a handle's close(callback) was called (trace.h).
void TraceRecorder::jsCloseRequest(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->m_writer->append(TraceKind::CloseRequest, 0, std::uint32_t(u64(info, 1)), u64(info, 0));
}

void TraceRecorder::fastCloseRequest(v8::Local<v8::Object>, double asyncId, double name,
                                     v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    ++self->m_fastCallCount;
    self->m_writer->append(TraceKind::CloseRequest, 0, std::uint32_t(u64(name)), u64(asyncId));
}

bool TraceRecorder::SiteKey::operator==(const SiteKey &other) const
{
    return count == other.count && wholeStack == other.wholeStack
        && std::equal(frames.begin(), frames.begin() + count, other.frames.begin());
}

std::size_t TraceRecorder::SiteKeyHash::operator()(const SiteKey &key) const
{
    std::uint64_t h = key.count * 2u + (key.wholeStack ? 1u : 0u);
    for (std::size_t i = 0; i < key.count; ++i)
        h = (h ^ key.frames[i]) * 0x9e3779b97f4a7c15ull;
    return std::size_t(h ^ (h >> 29));
}

// The site cache. V8's sampler (the CPU profiler's stack walk) lists the stack's frames without
// summarizing any: a return address into optimized or baseline code, a bytecode array plus the
// current offset for an interpreted frame; first the runtime function or API callback called
// into, if any. Each entry determines its frame's function, position and inlined frames exactly,
// so the first frames determine what a capture finds among them. A full capture's result is
// cached under them when it was found within those frames (the found frame's index + 2 leaves
// room for the runtime function and callback entry the sampler lists and a capture does not;
// inlining only puts more captured frames in one sampled frame), or when the sample is the whole
// stack (then nothing a capture sees is left out; if nothing was found, only when the capture
// walked the whole stack too). Code and bytecode arrays live in old space, which only a full GC
// moves or frees, and that empties the cache: an address never stands for two code positions
// while cached.
bool TraceRecorder::cachedSource(v8::Isolate *isolate, int frames, SiteKey *key, const CachedSite **site)
{
    key->count = 0;
    if (!m_gcIsolate)
        return false;
    void *sample[std::tuple_size_v<decltype(key->frames)>];
    const std::size_t limit = std::min<std::size_t>(std::size_t(frames) + 2, std::size(sample));
    m_sampleState.pc = nullptr;
    m_sampleState.fp = __builtin_frame_address(0);
    m_sampleState.sp = static_cast<void *>(&sample);
    v8::SampleInfo info{};
    isolate->GetStackSample(m_sampleState, sample, limit, &info);
    if (info.frames_count == 0 || info.frames_count > limit)
        return false;
    key->count = std::uint8_t(info.frames_count);
    for (std::size_t i = 0; i < info.frames_count; ++i)
        key->frames[i] = reinterpret_cast<std::uintptr_t>(sample[i]);
    key->wholeStack = info.frames_count < limit;
    auto it = m_siteCache.find(*key);
    if (it == m_siteCache.end())
        return false;
    *site = &it->second;
    return true;
}

void TraceRecorder::cacheSite(const SiteKey &key, int found, bool searchedWholeStack, std::uint32_t file,
                              std::uint64_t position)
{
    // The whole stack sampled determines everything a capture can see; not found, only if the
    // capture saw the whole stack too.
    if (key.count > 0
        && ((found > 0 && (found + 2 <= key.count || key.wholeStack))
            || (found == 0 && key.wholeStack && searchedWholeStack))) {
        if (m_siteCache.size() >= (1u << 16))
            m_siteCache.clear();  // a bound; a site is captured again at its next miss
        m_siteCache.emplace(key, CachedSite{file, position, std::uint8_t(found)});
    }
}

void TraceRecorder::onFullGc(v8::Isolate *, v8::GCType, v8::GCCallbackFlags, void *data)
{
    static_cast<TraceRecorder *>(data)->m_siteCache.clear();
}

// traceTimerRearm(asyncId): a Timeout's refresh() armed it again (trace.h).
void TraceRecorder::jsTimerRearm(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->m_writer->append(TraceKind::TimerRearm, 0, 0, u64(info, 0));
}

void TraceRecorder::fastTimerRearm(v8::Local<v8::Object>, double asyncId, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    ++self->m_fastCallCount;
    self->m_writer->append(TraceKind::TimerRearm, 0, 0, u64(asyncId));
}

// The AsyncSource continuation of an AsyncInit (stamped with its time): the first frame that is
// the script's own, not node's internals nor the prelude's hook. `frames` first: each frame
// captured costs (an optimized frame is translated back to its inlined functions), and the
// script's frame is usually within a known depth (the top one from V8's promise hook, the
// type's learned depth from async_hooks); only if none of those is the script's, the full depth.
// The result is the same as capturing the full depth at once. A free run looks the raw stack up
// in the site cache first (cachedSource): the same frames, the same site, without a capture.
std::pair<std::uint32_t, std::uint64_t> TraceRecorder::recordSource(v8::Isolate *isolate, std::uint64_t time,
                                                                    std::uint64_t timer, int frames, int *foundAt,
                                                                    const CachedSite *hit)
{
    std::uint32_t file = 0;
    std::uint64_t position = 0;
    if (!m_sourceLocations) {
        m_writer->appendAt(time, TraceKind::AsyncSource, 0, 0, 0, timer);
        return {0, 0};
    }
    SiteKey key;
    const CachedSite *cached = hit;
    // A fast init's sample that missed: this (slow) call's result belongs under it too.
    // Then its own sample is not taken: the same stack just missed, and the caller is optimized,
    // so the fast key is the one a next call here looks up.
    SiteKey fastKey;
    std::swap(fastKey, m_fastMissKey);
    if (cached || (!m_stepper && fastKey.count == 0 && cachedSource(isolate, frames, &key, &cached))) {
        const CachedSite site = *cached;  // cacheSite may empty the cache
        if (fastKey.count > 0 && site.foundAt > 0)
            cacheSite(fastKey, site.foundAt, false, site.file, site.position);
        if (foundAt)
            *foundAt = site.foundAt;
        m_writer->appendAt(time, TraceKind::AsyncSource, 0, site.file, site.position, timer);
        return {site.file, site.position};
    }
    int found = 0;
    bool searchedWholeStack = false;
    v8::HandleScope scope(isolate);
    for (int depth = frames; file == 0; depth = kStackFrames) {
        // The script id decides per frame (cached); the name only on a cache miss.
        v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, depth, v8::StackTrace::kScriptId);
        const int n = stack->GetFrameCount();
        for (int i = 0; i < n; ++i) {
            v8::Local<v8::StackFrame> frame = stack->GetFrame(isolate, i);
            const int scriptId = frame->GetScriptId();
            auto cachedFile = m_scriptFiles.find(scriptId);
            const std::uint32_t f = cachedFile != m_scriptFiles.end()
                ? cachedFile->second : sourceFile(isolate, scriptId, frame->GetScriptName());
            if (f != 0) {
                file = f;
                position = (std::uint64_t(std::uint32_t(frame->GetLineNumber())) << 32) | std::uint32_t(frame->GetColumn());
                found = i + 1;
                break;
            }
        }
        searchedWholeStack = n < depth;
        if (depth >= kStackFrames || n < depth)
            break;  // searched the full depth, or the stack has no more frames
    }
    if (foundAt)
        *foundAt = found;
    cacheSite(key, found, searchedWholeStack, file, position);
    cacheSite(fastKey, found, searchedWholeStack, file, position);
    m_writer->appendAt(time, TraceKind::AsyncSource, 0, file, position, timer);
    return {file, position};
}

// Step mode only (a second stack capture per promise): a promise derived from another, made
// where the script's own source says `await`, is that await's: its reaction resumes the function
// of the creating frame, so that is its name. (The frame alone does not tell: V8's detailed stack
// leaves out the builtin then(), so a then() looks like its caller.) A then() handler's name
// comes from the prelude's then() wrapper instead (tracePromiseName), whose own frame is not the
// script's, so no then() is taken for an await.
void TraceRecorder::recordAwaitName(std::uint64_t asyncId)
{
    v8::HandleScope scope(m_isolate);
    v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(
        m_isolate, 1, v8::StackTrace::StackTraceOptions(v8::StackTrace::kScriptId | v8::StackTrace::kFunctionName));
    if (stack->GetFrameCount() < 1)
        return;
    v8::Local<v8::StackFrame> frame = stack->GetFrame(m_isolate, 0);
    auto cached = m_scriptFiles.find(frame->GetScriptId());
    const std::uint32_t file = cached != m_scriptFiles.end()
        ? cached->second : sourceFile(m_isolate, frame->GetScriptId(), frame->GetScriptName());
    v8::Local<v8::String> name = frame->GetFunctionName();
    if (file == 0 || name.IsEmpty() || name->Length() == 0)
        return;
    ScriptText &script = m_scriptTexts[frame->GetScriptId()];
    if (script.lineStarts.empty()) {
        v8::Local<v8::String> source = frame->GetScriptSource();
        if (source.IsEmpty())
            return;
        script.text.resize(std::size_t(source->Length()));
        source->Write(m_isolate, reinterpret_cast<std::uint16_t *>(script.text.data()));
        script.lineStarts.push_back(0);
        for (std::size_t i = 0; i < script.text.size(); ++i)
            if (script.text[i] == u'\n')
                script.lineStarts.push_back(i + 1);
    }
    const auto line = std::size_t(frame->GetLineNumber() - 1), column = std::size_t(frame->GetColumn() - 1);
    if (line >= script.lineStarts.size())
        return;
    const std::size_t at = script.lineStarts[line] + column;
    if (at > script.text.size() || script.text.compare(at, 5, u"await") != 0)
        return;
    const v8::String::Utf8Value utf8(m_isolate, name);
    m_writer->append(TraceKind::AsyncName, 0, m_trace.intern(std::string_view(*utf8 ? *utf8 : "", utf8.length())), asyncId);
}

void TraceRecorder::jsBefore(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->recordBefore(info.GetIsolate(), u64(info, 0));
}

void TraceRecorder::fastBefore(v8::Local<v8::Object>, double asyncId, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    if (self->m_stepper) {  // the gate may pause and report the pause
        if (EmbedderCompat::doSlowWorkInFastCall(options)) {
            v8::HandleScope scope(self->m_hostIsolate);
            self->recordBefore(self->m_hostIsolate, u64(asyncId));
        }
        return;
    }
    ++self->m_fastCallCount;
    self->recordBefore(self->m_hostIsolate, u64(asyncId));
}

void TraceRecorder::recordBefore(v8::Isolate *isolate, std::uint64_t asyncId)
{
    CallbackQueue queue;
    auto it = m_resources.find(asyncId);
    const Resource *resource = it != m_resources.end() ? &it->second : nullptr;
    if (v8::MicrotasksScope::IsRunningMicrotasks(isolate)) {
        queue = CallbackQueue::Microtask;
    } else {
        if (resource && resource->type == m_tickObjectType)
            queue = CallbackQueue::NextTick;
        else if (m_phase == LoopPhase::None)
            queue = CallbackQueue::Main;
        else
            queue = CallbackQueue(std::uint8_t(m_phase));  // the enums share their values
    }
    gateCallback(queue, asyncId, resource);
    m_open.push_back({asyncId, queue, false});
    m_writer->append(TraceKind::CallbackBefore, std::uint8_t(queue), 0, asyncId);
}

void TraceRecorder::jsAfter(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->recordAfter(u64(info, 0));
}

void TraceRecorder::fastAfter(v8::Local<v8::Object>, double asyncId, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    ++self->m_fastCallCount;
    self->recordAfter(u64(asyncId));
}

void TraceRecorder::recordAfter(std::uint64_t asyncId)
{
    CallbackQueue queue = CallbackQueue::None;
    if (!m_open.empty()) {
        queue = m_open.back().queue;
        m_open.pop_back();
    }
    m_writer->append(TraceKind::CallbackAfter, std::uint8_t(queue), 0, asyncId);
}

void TraceRecorder::jsDestroy(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->recordDestroy(u64(info, 0));
}

void TraceRecorder::fastDestroy(v8::Local<v8::Object>, double asyncId, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    ++self->m_fastCallCount;
    self->recordDestroy(u64(asyncId));
}

void TraceRecorder::recordDestroy(std::uint64_t asyncId)
{
    m_resources.erase(asyncId);
    m_writer->append(TraceKind::AsyncDestroy, 0, 0, asyncId);
}

void TraceRecorder::jsPromiseResolve(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->m_writer->append(TraceKind::PromiseResolve, 0, 0, u64(info, 0));
}

void TraceRecorder::fastPromiseResolve(v8::Local<v8::Object>, double asyncId, v8::FastApiCallbackOptions &options)
{
    TraceRecorder *self = recorderOf(options);
    ++self->m_fastCallCount;
    self->m_writer->append(TraceKind::PromiseResolve, 0, 0, u64(asyncId));
}

// --- promises, from V8's per-isolate hook ------------------------------------------------------

// traceNativePromises(asyncIdFields, kExecutionAsyncId, kAsyncIdCounter, kDefaultTriggerAsyncId):
// installs the hook and returns true, or returns false (then the prelude records promises with
// async_hooks as before).
void TraceRecorder::jsNativePromises(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    TraceRecorder *self = recorderOf(info);
    v8::Isolate *isolate = info.GetIsolate();
    info.GetReturnValue().Set(false);
    if (t_promiseRecorder || self->m_isolate || !info[0]->IsFloat64Array())
        return;
    v8::Local<v8::Float64Array> fields = info[0].As<v8::Float64Array>();
    const int execution = int(u64(info, 1)), counter = int(u64(info, 2)), defaultTrigger = int(u64(info, 3));
    const auto length = std::int64_t(fields->Length());
    if (execution < 0 || counter < 0 || defaultTrigger < 0 || execution >= length || counter >= length
        || defaultTrigger >= length)
        return;
    // The id lives in the promise's embedder field: without one (a V8 built for another
    // embedder) stay with node's hooks.
    v8::Local<v8::Promise> probe = v8::Promise::Resolver::New(isolate->GetCurrentContext()).ToLocalChecked()->GetPromise();
    if (probe->InternalFieldCount() < 1)
        return;
    self->m_asyncIdArray.Reset(isolate, fields);
    self->m_asyncIdFields = reinterpret_cast<double *>(static_cast<char *>(fields->Buffer()->GetBackingStore()->Data())
                                                       + fields->ByteOffset());
    self->m_executionField = execution;
    self->m_counterField = counter;
    self->m_defaultTriggerField = defaultTrigger;
    self->m_promiseType = self->m_trace.intern("PROMISE");
    self->m_isolate = isolate;
    t_promiseRecorder = self;
    isolate->SetPromiseHook(&TraceRecorder::onPromiseHook);
    info.GetReturnValue().Set(true);
}

std::uint64_t TraceRecorder::executionAsyncId() const
{
    if (!m_open.empty())
        return m_open.back().asyncId;
    return std::uint64_t(m_asyncIdFields[m_executionField]);
}

// A promise's asyncId, given on first sight (as node's getOrSetAsyncId does for a parent that
// was made before tracking began). The embedder field holds the id, or -(id + site << 32) once a
// creation site is known (ids beyond 2^32 keep no site; sites are fewer than 2^21, so the value
// stays an exact double).
std::uint64_t TraceRecorder::storedPromiseId(v8::Local<v8::Promise> promise, std::uint32_t *site)
{
    if (site)
        *site = 0;
    v8::Local<v8::Value> stored = promise->GetInternalField(0).As<v8::Value>();
    if (stored->IsNumber()) {
        const double value = stored.As<v8::Number>()->Value();
        if (value > 0)
            return std::uint64_t(value);
        if (value < 0) {
            const auto tag = std::uint64_t(-value);
            if (site)
                *site = std::uint32_t(tag >> 32);
            return tag & 0xffffffffu;
        }
    }
    return 0;
}

std::uint64_t TraceRecorder::promiseId(v8::Local<v8::Promise> promise, std::uint32_t *site)
{
    if (const std::uint64_t id = storedPromiseId(promise, site))
        return id;
    const double id = ++m_asyncIdFields[m_counterField];
    promise->SetInternalField(0, v8::Number::New(m_isolate, id));
    return std::uint64_t(id);
}

void TraceRecorder::setPromiseId(v8::Local<v8::Promise> promise, std::uint64_t asyncId, std::uint32_t site)
{
    const double value = site != 0 && asyncId <= 0xffffffffu ? -double((std::uint64_t(site) << 32) | asyncId)
                                                             : double(asyncId);
    promise->SetInternalField(0, v8::Number::New(m_isolate, value));
}

// The index of a script site (file != 0), 0 when the table is full or the site does not fit.
std::uint32_t TraceRecorder::siteIndex(std::uint32_t file, std::uint64_t position)
{
    const std::uint64_t line = position >> 32, column = position & 0xffffffffu;
    if (file == 0 || file >= (1u << 24) || line >= (1u << 20) || column >= (1u << 20))
        return 0;
    const std::uint64_t key = (std::uint64_t(file) << 40) | (line << 20) | column;
    auto it = m_siteIndex.find(key);
    if (it != m_siteIndex.end())
        return it->second;
    if (m_sites.size() + 1 >= (1u << 21))
        return 0;
    m_sites.emplace_back(file, position);
    const auto index = std::uint32_t(m_sites.size());  // 1-based
    m_siteIndex.emplace(key, index);
    return index;
}

void TraceRecorder::onPromiseHook(v8::PromiseHookType type, v8::Local<v8::Promise> promise, v8::Local<v8::Value> parent)
{
    TraceRecorder *self = t_promiseRecorder;
    if (!self || !self->m_asyncIdFields)
        return;
    switch (type) {
    case v8::PromiseHookType::kInit: {
        // A promise being made has no id yet (its field is only ever ours): no read, and one
        // write, once its site is known, at the end.
        const auto asyncId = std::uint64_t(++self->m_asyncIdFields[self->m_counterField]);
        std::uint64_t trigger;
        std::uint32_t parentSite = 0;
        if (parent->IsPromise()) {
            trigger = self->promiseId(parent.As<v8::Promise>(), &parentSite);
        } else {
            const double defaultTrigger = self->m_asyncIdFields[self->m_defaultTriggerField];
            trigger = defaultTrigger >= 0 ? std::uint64_t(defaultTrigger) : self->executionAsyncId();
        }
        const std::uint64_t now = Trace::now();
        self->m_writer->appendAt(now, TraceKind::AsyncInit, 0, self->m_promiseType, asyncId, trigger);
        // A free run does not walk the stack for a derived promise (then, await, a combinator's
        // element) whose parent has a script site: it takes the parent's. That capture is most
        // of the recorder's cost on promise-heavy code. Step mode keeps each promise's exact
        // frame: a pause names its line.
        if (parentSite != 0 && !self->m_stepper && self->m_sourceLocations) {
            const auto &[file, position] = self->m_sites[parentSite - 1];
            self->m_writer->appendAt(now, TraceKind::AsyncSource, TraceSourceInherited, file, position, ~std::uint64_t(0));
            self->setPromiseId(promise, asyncId, parentSite);
            break;
        }
        const auto [file, position] = self->recordSource(self->m_isolate, now, ~std::uint64_t(0), 1);
        std::uint32_t site = 0;
        if (self->m_stepper) {
            self->m_resources[asyncId] = Resource{self->m_promiseType, file, position, false};
            if (parent->IsPromise())
                self->recordAwaitName(asyncId);
        } else if (file != 0)
            site = self->siteIndex(file, position);
        self->setPromiseId(promise, asyncId, site);
        break;
    }
    case v8::PromiseHookType::kBefore: {
        // A promise's reaction only ever runs as a microtask.
        const std::uint64_t asyncId = self->promiseId(promise);
        if (self->m_stepper) {
            auto it = self->m_resources.find(asyncId);
            self->gateCallback(CallbackQueue::Microtask, asyncId, it != self->m_resources.end() ? &it->second : nullptr);
        }
        self->m_open.push_back({asyncId, CallbackQueue::Microtask, true});
        self->m_writer->append(TraceKind::CallbackBefore, std::uint8_t(CallbackQueue::Microtask), 0, asyncId);
        break;
    }
    case v8::PromiseHookType::kAfter: {
        // Reactions do not nest (V8 runs microtasks one at a time) and async_hooks callbacks
        // inside one are closed by then: the innermost open promise callback is this one's.
        std::uint64_t asyncId;
        if (!self->m_open.empty() && self->m_open.back().promise) {
            asyncId = self->m_open.back().asyncId;
            self->m_open.pop_back();
        } else {
            asyncId = self->promiseId(promise);
        }
        self->m_writer->append(TraceKind::CallbackAfter, std::uint8_t(CallbackQueue::Microtask), 0, asyncId);
        break;
    }
    case v8::PromiseHookType::kResolve:
        self->m_writer->append(TraceKind::PromiseResolve, 0, 0, self->promiseId(promise));
        break;
    }
}

} // namespace Loopscope::Runtime
