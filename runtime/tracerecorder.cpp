#include "tracerecorder.h"

#include "threadpooltrace.h"

#include <string>

namespace Loopscope::Runtime {

// Frames to search for the script's own: past node's hook dispatch (promiseInitHook → emitInit →
// the prelude's init) with room for a few internal frames under the script's call.
constexpr int kStackFrames = 10;

TraceRecorder::TraceRecorder(Trace &trace, uv_loop_t *loop, bool sourceLocations)
    : m_trace(trace), m_loop(loop), m_writer(trace.addWriter("loop")), m_sourceLocations(sourceLocations)
{
    m_tickObjectType = m_trace.intern("TickObject");
    // The poll's blocked time comes from libuv's idle-time metric; it only measures when asked.
    uv_loop_configure(m_loop, UV_METRICS_IDLE_TIME);
    ThreadPoolTrace::attach(m_loop, &m_trace, m_writer);
}

TraceRecorder::~TraceRecorder()
{
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

void TraceRecorder::loopEnded()
{
    if (!m_active)
        return;
    if (m_iteration > 0)
        m_writer->append(TraceKind::IterationEnd, 0, 0, m_iteration);
    m_active = false;
    m_phase = LoopPhase::None;
    if (m_lateStarted) {
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

void TraceRecorder::consoleWrite(int stream, std::string_view bytes)
{
    m_writer->appendConsoleWrite(stream, bytes);
}

// --- the prelude's functions -------------------------------------------------------------------

static TraceRecorder *recorderOf(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    return static_cast<TraceRecorder *>(info.Data().As<v8::External>()->Value());
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
    auto add = [&](const char *name, v8::FunctionCallback fn) {
        v8::Local<v8::Function> f = v8::Function::New(context, fn, self).ToLocalChecked();
        native->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), f).Check();
    };
    add("traceIntern", &TraceRecorder::jsIntern);
    add("traceInit", &TraceRecorder::jsInit);
    add("traceBefore", &TraceRecorder::jsBefore);
    add("traceAfter", &TraceRecorder::jsAfter);
    add("traceDestroy", &TraceRecorder::jsDestroy);
    add("tracePromiseResolve", &TraceRecorder::jsPromiseResolve);
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
    TraceRecorder *self = recorderOf(info);
    v8::Isolate *isolate = info.GetIsolate();
    const std::uint64_t asyncId = u64(info, 0);
    const auto type = std::uint32_t(u64(info, 1));
    const std::int64_t delay = std::int64_t(u64(info, 3));
    const bool repeat = info[4]->IsTrue();
    const bool internal = info[5]->IsTrue();
    self->m_types[asyncId] = type;
    self->m_writer->append(TraceKind::AsyncInit, internal ? TraceInitInternal : 0, type, asyncId, u64(info, 2));

    // The first frame that is the script's own, not node's internals nor the prelude's hook.
    std::uint32_t file = 0;
    std::uint64_t position = 0;
    const std::uint64_t timer = delay < 0 ? ~std::uint64_t(0) : (std::uint64_t(delay) << 1) | (repeat ? 1 : 0);
    const auto name = std::uint32_t(u64(info, 6));
    if (!self->m_sourceLocations) {
        self->m_writer->append(TraceKind::AsyncSource, 0, 0, 0, timer);
        if (name != 0)
            self->m_writer->append(TraceKind::AsyncName, 0, name, asyncId);
        return;
    }
    v8::HandleScope scope(isolate);
    // The script id decides per frame (cached); the name only on a cache miss. This capture is
    // most of the recorder's cost on promise-heavy code (measured: ~5 µs of ~7 µs per resource).
    v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, kStackFrames, v8::StackTrace::kScriptId);
    for (int i = 0, n = stack->GetFrameCount(); i < n; ++i) {
        v8::Local<v8::StackFrame> frame = stack->GetFrame(isolate, i);
        const int scriptId = frame->GetScriptId();
        auto cached = self->m_scriptFiles.find(scriptId);
        const std::uint32_t f = cached != self->m_scriptFiles.end()
            ? cached->second : self->sourceFile(isolate, scriptId, frame->GetScriptName());
        if (f != 0) {
            file = f;
            position = (std::uint64_t(std::uint32_t(frame->GetLineNumber())) << 32) | std::uint32_t(frame->GetColumn());
            break;
        }
    }
    self->m_writer->append(TraceKind::AsyncSource, 0, file, position, timer);
    if (name != 0)
        self->m_writer->append(TraceKind::AsyncName, 0, name, asyncId);
}

void TraceRecorder::jsBefore(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    TraceRecorder *self = recorderOf(info);
    const std::uint64_t asyncId = u64(info, 0);
    CallbackQueue queue;
    if (v8::MicrotasksScope::IsRunningMicrotasks(info.GetIsolate())) {
        queue = CallbackQueue::Microtask;
    } else {
        auto it = self->m_types.find(asyncId);
        if (it != self->m_types.end() && it->second == self->m_tickObjectType)
            queue = CallbackQueue::NextTick;
        else if (self->m_phase == LoopPhase::None)
            queue = CallbackQueue::Main;
        else
            queue = CallbackQueue(std::uint8_t(self->m_phase));  // the enums share their values
    }
    self->m_queues.push_back(queue);
    self->m_writer->append(TraceKind::CallbackBefore, std::uint8_t(queue), 0, asyncId);
}

void TraceRecorder::jsAfter(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    TraceRecorder *self = recorderOf(info);
    CallbackQueue queue = CallbackQueue::None;
    if (!self->m_queues.empty()) {
        queue = self->m_queues.back();
        self->m_queues.pop_back();
    }
    self->m_writer->append(TraceKind::CallbackAfter, std::uint8_t(queue), 0, u64(info, 0));
}

void TraceRecorder::jsDestroy(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    TraceRecorder *self = recorderOf(info);
    const std::uint64_t asyncId = u64(info, 0);
    self->m_types.erase(asyncId);
    self->m_writer->append(TraceKind::AsyncDestroy, 0, 0, asyncId);
}

void TraceRecorder::jsPromiseResolve(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    recorderOf(info)->m_writer->append(TraceKind::PromiseResolve, 0, 0, u64(info, 0));
}

} // namespace Loopscope::Runtime
