#include "scriptrun.h"

#include "cpuprofile.h"
#include "cpuprofilerecorder.h"
#include "embeddercompat.h"
#include "errorsource.h"
#include "nodeprocess.h"
#include "preludesource.h"
#include "processstate.h"
#include "stepper.h"
#include "trace.h"
#include "tracerecorder.h"
#include "typescriptsupport.h"
#include "virtualclock.h"

#include <node.h>
#include <node_buffer.h>
#include <uv.h>
#include <v8.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace Loopscope::Runtime {

const char *runEndName(RunEnd end)
{
    switch (end) {
    case RunEnd::Exited: return "exited";
    case RunEnd::Stopped: return "stopped";
    case RunEnd::OutOfMemory: return "out of memory";
    case RunEnd::Failed: return "failed";
    }
    return "?";
}

// Exit codes for ends that node itself has no code for: 128 + SIGINT for a stop, and V8's
// abort (128 + SIGABRT) for a heap exhaustion, which is what `node` would exit with.
constexpr int kStoppedExitCode = 130;
constexpr int kOutOfMemoryExitCode = 134;

class ScriptRun::Private {
public:
    Private(RunOptions o, RunObserver *obs) : options(std::move(o)), observer(obs)
    {
        if (options.stepMode) {
            stepper = std::make_unique<Stepper>(&loop, observer);
            if (!options.trace)  // the gate lives in the recorder's hooks
                options.trace = std::make_shared<Trace>();
        }
    }

    void threadMain();
    RunResult execute();
    void installTypeScript(v8::Local<v8::Value> require, bool report);
    void installBinding(node::Environment *env, v8::Local<v8::Value> process,
                        v8::Local<v8::Value> require);
    void deliverStdin();
    void updateStdinRef();

    static void onMessage(v8::Local<v8::Message> message, v8::Local<v8::Value> error);
    static size_t onNearHeapLimit(void *data, size_t current, size_t initial);
    static void onWakeup(uv_async_t *handle);

    // Native functions of the prelude's `native` object.
    static void jsWrite(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsStdinWanted(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsOnStdin(const v8::FunctionCallbackInfo<v8::Value> &info);
    static void jsErrorSource(const v8::FunctionCallbackInfo<v8::Value> &info);

    RunOptions options;  // set once, before the thread starts
    RunObserver *const observer;
    std::unique_ptr<Stepper> stepper;  // step mode only; its commands are thread-safe
    std::thread thread;
    std::atomic<bool> started{false};
    std::atomic<bool> running{false};

    // Shared with other threads, guarded by `mutex`.
    mutable std::mutex mutex;
    std::condition_variable finishedCondition;
    bool finished = false;
    node::Environment *env = nullptr;  // published only while it may be stopped
    bool stopRequested = false;
    bool wakeupOpen = false;
    uv_async_t wakeup{};
    std::deque<std::string> stdinQueue;
    bool stdinClosed = false;
    RunResult result;

    // The run's thread only.
    uv_loop_t loop{};
    v8::Isolate *isolate = nullptr;
    bool exitCalled = false;
    int exitCode = 0;
    bool outOfMemory = false;
    bool stdinWanted = false;
    bool stdinAnnounced = false;
    bool stdinEnded = false;
    v8::Global<v8::Function> stdinHandler;
    std::unique_ptr<TraceRecorder> recorder;  // null unless options.trace
    v8::Global<v8::Value> lastUncaught;       // the error the message listener saw last ...
    std::string lastUncaughtSource;           // ... and its source block, from the throw site
};

// One isolate per run thread: the message listener finds its run here.
static thread_local ScriptRun::Private *t_run = nullptr;

ScriptRun::ScriptRun(RunOptions options, RunObserver *observer)
    : d(std::make_unique<Private>(std::move(options), observer))
{
}

ScriptRun::~ScriptRun()
{
    stop();
    if (d->thread.joinable())
        d->thread.join();
}

bool ScriptRun::start()
{
    if (d->started.exchange(true))
        return false;
    d->running = true;
    try {
        d->thread = std::thread([p = d.get()] { p->threadMain(); });
    } catch (const std::exception &e) {
        RunResult failed;
        failed.error = std::string("cannot start the runtime thread: ") + e.what();
        {
            std::lock_guard lock(d->mutex);
            d->result = failed;
            d->finished = true;
        }
        d->running = false;
        d->observer->runFinished(failed);
        return false;
    }
    return true;
}

void ScriptRun::stop()
{
    std::lock_guard lock(d->mutex);
    d->stopRequested = true;
    // node::Stop() is thread-safe: it terminates JS (a busy loop included) and stops the loop.
    if (d->env)
        node::Stop(d->env);
    // After node::Stop: a released pause returns into JS that is already terminating.
    if (d->stepper)
        d->stepper->stop();
}

void ScriptRun::step()
{
    if (d->stepper)
        d->stepper->step();
}

void ScriptRun::stepToNextPhase()
{
    if (d->stepper)
        d->stepper->stepToNextPhase();
}

void ScriptRun::continueRun()
{
    if (d->stepper)
        d->stepper->continueRun();
}

void ScriptRun::setStepRate(double callbacksPerSecond)
{
    if (d->stepper)
        d->stepper->setRate(callbacksPerSecond);
}

void ScriptRun::writeStdin(std::string bytes)
{
    std::lock_guard lock(d->mutex);
    if (d->stdinClosed)
        return;
    d->stdinQueue.push_back(std::move(bytes));
    if (d->wakeupOpen)
        uv_async_send(&d->wakeup);
}

void ScriptRun::closeStdin()
{
    std::lock_guard lock(d->mutex);
    d->stdinClosed = true;
    if (d->wakeupOpen)
        uv_async_send(&d->wakeup);
}

void ScriptRun::wait()
{
    if (!d->started)
        return;
    std::unique_lock lock(d->mutex);
    d->finishedCondition.wait(lock, [this] { return d->finished; });
}

bool ScriptRun::isRunning() const
{
    return d->running;
}

RunResult ScriptRun::result() const
{
    std::lock_guard lock(d->mutex);
    return d->result;
}

void ScriptRun::Private::threadMain()
{
    t_run = this;
    const auto begin = std::chrono::steady_clock::now();
    RunResult r = execute();
    r.durationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
    t_run = nullptr;
    // result() is already right inside runFinished(); wait() returns only after it, so an
    // observer that wait() outlives is never called again.
    {
        std::lock_guard lock(mutex);
        result = r;
    }
    observer->runFinished(r);
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    running = false;
    finishedCondition.notify_all();
}

RunResult ScriptRun::Private::execute()
{
    RunResult r;
    std::string error;
    if (!NodeProcess::initialize(&error)) {
        r.error = error;
        return r;
    }
    node::MultiIsolatePlatform *platform = NodeProcess::platform();

    // The script's environment owns the process state (cwd, process.env); give it back after.
    const ProcessState savedState = ProcessState::capture();
    if (!options.workingDirectory.empty() && chdir(options.workingDirectory.c_str()) != 0) {
        r.error = "cannot change to the working directory " + options.workingDirectory;
        return r;
    }

    if (int rc = uv_loop_init(&loop); rc != 0) {
        r.error = std::string("cannot create the event loop: ") + uv_strerror(rc);
        savedState.restore();
        return r;
    }
    {
        std::lock_guard lock(mutex);
        uv_async_init(&loop, &wakeup, &Private::onWakeup);
        wakeup.data = this;
        uv_unref(reinterpret_cast<uv_handle_t *>(&wakeup));
        wakeupOpen = true;
    }
    if (options.trace) {
        recorder = std::make_unique<TraceRecorder>(*options.trace, &loop, options.traceSourceLocations,
                                                   options.traceFastCalls);
        recorder->startEarlyProbes();  // before node's handles: see tracerecorder.h
        recorder->setStepper(stepper.get());
    }
    if (stepper)
        VirtualClock::attach(&loop);  // before the environment reads its timer base

    // The isolate starts from node's built-in startup snapshot, as `node` does (EmbedderCompat::
    // builtinSnapshot): its builtins come with the names node's stacks show, and a run starts
    // in a fraction of the time. Our message listener must see each uncaught error's throw site
    // before node reports it: from a snapshot, node registers its listener only in
    // CreateEnvironment(), so ours, added here, comes first. Without a snapshot the isolate is
    // assembled by hand (what node::NewIsolate() does) to the same end.
    std::shared_ptr<node::ArrayBufferAllocator> allocator = node::ArrayBufferAllocator::Create();
    const auto snapshot = EmbedderCompat::builtinSnapshot();
    if (snapshot) {
        isolate = EmbedderCompat::newIsolate(allocator, &loop, platform, snapshot.get(), options.heapLimitBytes);
    } else {
        isolate = v8::Isolate::Allocate();
        platform->RegisterIsolate(isolate, &loop);
        // What node's (unexported) SetIsolateCreateParamsForNode() does: heap sized from physical
        // memory, and node's BaseObject layout (embedder slot 1, no wrapper type tagging). Then
        // our own old-generation limit on top.
        v8::Isolate::CreateParams params;
        params.constraints.ConfigureDefaults(uv_get_total_memory(), 0);
        params.constraints.set_max_old_generation_size_in_bytes(options.heapLimitBytes);
        params.embedder_wrapper_object_index = 1;
        params.embedder_wrapper_type_index = std::numeric_limits<int>::max();
        params.array_buffer_allocator = allocator.get();
        EmbedderCompat::giveCppHeap(params, platform);
        v8::Isolate::Initialize(isolate, params);
    }
    isolate->AddMessageListenerWithErrorLevel(&Private::onMessage, v8::Isolate::kMessageError);
    if (!snapshot)
        node::SetIsolateUpForNode(isolate);
    isolate->AddNearHeapLimitCallback(&Private::onNearHeapLimit, this);

    {
        v8::Locker locker(isolate);
        v8::Isolate::Scope isolateScope(isolate);
        node::IsolateData *isolateData
            = node::CreateIsolateData(isolate, &loop, platform, allocator.get(), snapshot.get());
        {
            v8::HandleScope handleScope(isolate);
            // From a snapshot, CreateEnvironment() makes the context (an empty one asks for it).
            v8::Local<v8::Context> context = snapshot ? v8::Local<v8::Context>() : node::NewContext(isolate);
            // argv[0] is "node" so that messages quoting it read as they do under node.
            std::vector<std::string> args{"node", options.scriptPath};
            args.insert(args.end(), options.arguments.begin(), options.arguments.end());
            const auto flags = static_cast<node::EnvironmentFlags::Flags>(
                node::EnvironmentFlags::kDefaultFlags | node::EnvironmentFlags::kNoStartDebugSignalHandler);
            node::Environment *e = !snapshot && context.IsEmpty()
                ? nullptr
                : node::CreateEnvironment(isolateData, context, args, {}, flags);
            if (!e) {
                r.error = "cannot create the Node.js environment";
            } else {
                context = node::GetMainContext(e);
                {
                    v8::Context::Scope contextScope(context);
                    node::SetProcessExitHandler(e, [this](node::Environment *env, int code) {
                        exitCalled = true;
                        exitCode = code;
                        node::Stop(env);
                    });
                    bool stopEarly;
                    {
                        std::lock_guard lock(mutex);
                        env = e;
                        stopEarly = stopRequested;
                    }
                    std::unique_ptr<CpuProfileRecorder> profiler;
                    if (!stopEarly && options.cpuProfile) {
                        profiler = std::make_unique<CpuProfileRecorder>(isolate, options.cpuProfileIntervalUs);
                        if (!profiler->start())
                            profiler.reset();
                    }
                    if (!stopEarly) {
                        // A null StartExecutionCallback makes node run argv[1] as the main module
                        // (internal/main/run_main_module), just as `node FILE` does.
                        node::LoadEnvironment(e, node::StartExecutionCallback{},
                            [this, e](node::Environment *env, v8::Local<v8::Value> process, v8::Local<v8::Value> require) {
                                if (env == e)  // worker threads run the preload too; they keep node's stdio
                                    installBinding(env, process, require);
                                else  // the same failure shows on the main thread: reported there
                                    installTypeScript(require, false);
                            });
                        if (recorder)
                            recorder->startLateProbes();
                    }
                    v8::Maybe<int> code = stopEarly ? v8::Nothing<int>() : node::SpinEventLoop(e);
                    if (recorder) {
                        recorder->loopEnded();
                        r.traceFastCalls = recorder->fastCalls();
                    }
                    if (profiler) {
                        r.cpuProfile = profiler->stop();
                        profiler.reset();
                    }
                    {
                        std::lock_guard lock(mutex);
                        env = nullptr;
                    }
                    bool stopped;
                    {
                        std::lock_guard lock(mutex);
                        stopped = stopRequested;
                    }
                    if (outOfMemory) {
                        r.end = RunEnd::OutOfMemory;
                        r.exitCode = kOutOfMemoryExitCode;
                        r.error = "out of memory: the script's JavaScript heap reached its limit of "
                                  + std::to_string(options.heapLimitBytes >> 20) + " MB";
                        observer->outputWritten(OutputStream::Stderr,
                                                "\nLoopscope: " + r.error + "; the run was stopped.\n");
                    } else if (exitCalled) {
                        r.end = RunEnd::Exited;
                        r.exitCode = exitCode;
                    } else if (stopped) {
                        r.end = RunEnd::Stopped;
                        r.exitCode = kStoppedExitCode;
                        r.error = "stopped";
                    } else {
                        r.end = RunEnd::Exited;
                        r.exitCode = code.FromMaybe(1);
                    }
                    stdinHandler.Reset();
                    lastUncaught.Reset();
                }
                // Outside the context's scope: from a snapshot the environment owns its context.
                node::FreeEnvironment(e);
            }
        }
        node::FreeIsolateData(isolateData);
    }

    {
        std::lock_guard lock(mutex);
        wakeupOpen = false;
    }
    uv_close(reinterpret_cast<uv_handle_t *>(&wakeup), nullptr);
    if (recorder)
        recorder->closeHandles();

    bool platformFinished = false;
    platform->AddIsolateFinishedCallback(isolate, [](void *data) { *static_cast<bool *>(data) = true; },
                                         &platformFinished);
    EmbedderCompat::disposeIsolate(platform, isolate);
    isolate = nullptr;
    while (!platformFinished)
        uv_run(&loop, UV_RUN_ONCE);
    // Anything a stopped script left open is closed here, so the loop can be freed.
    uv_walk(&loop, [](uv_handle_t *h, void *) { if (!uv_is_closing(h)) uv_close(h, nullptr); }, nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    recorder.reset();
    if (stepper)
        VirtualClock::detach();

    savedState.restore();
    return r;
}

static v8::Local<v8::String> v8String(v8::Isolate *isolate, std::string_view s)
{
    return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal, int(s.size())).ToLocalChecked();
}

void ScriptRun::Private::installBinding(node::Environment *, v8::Local<v8::Value> process,
                                        v8::Local<v8::Value> require)
{
    v8::HandleScope scope(isolate);
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    installTypeScript(require, true);
    v8::Local<v8::External> self = v8::External::New(isolate, this);
    v8::Local<v8::Object> native = v8::Object::New(isolate);
    auto add = [&](const char *name, v8::FunctionCallback fn) {
        v8::Local<v8::Function> f = v8::Function::New(context, fn, self).ToLocalChecked();
        native->Set(context, v8String(isolate, name), f).Check();
    };
    add("write", &Private::jsWrite);
    add("stdinWanted", &Private::jsStdinWanted);
    add("onStdin", &Private::jsOnStdin);
    add("errorSource", &Private::jsErrorSource);
    if (recorder)
        recorder->addTo(context, native);

    const v8::ScriptOrigin origin = EmbedderCompat::scriptOrigin(isolate, v8String(isolate, "loopscope:prelude"));
    v8::ScriptCompiler::Source source(v8String(isolate, kPreludeSource), origin);
    v8::Local<v8::String> names[] = {v8String(isolate, "process"), v8String(isolate, "require"),
                                     v8String(isolate, "native")};
    // A failure here is Loopscope's bug, not the script's: say so on the run's stderr.
    v8::TryCatch tryCatch(isolate);
    v8::Local<v8::Function> prelude;
    v8::Local<v8::Value> args[] = {process, require, native};
    if (!v8::ScriptCompiler::CompileFunction(context, &source, 3, names, 0, nullptr).ToLocal(&prelude)
        || prelude->Call(context, v8::Undefined(isolate), 3, args).IsEmpty()) {
        const v8::String::Utf8Value what(isolate, tryCatch.Exception());
        observer->outputWritten(OutputStream::Stderr,
                                std::string("Loopscope: the runtime prelude failed: ") + (*what ? *what : "?") + "\n");
    } else if (recorder) {
        // The preload is the last thing before the main module: its run is step one.
        recorder->gateMainModule(options.scriptPath);
    }
}

// On the thread being preloaded: the run's own, or one of its worker threads.
void ScriptRun::Private::installTypeScript(v8::Local<v8::Value> require, bool report)
{
    v8::Isolate *current = v8::Isolate::GetCurrent();
    std::string error;
    if (!TypeScriptSupport::install(current->GetCurrentContext(), require, &error) && report)
        observer->outputWritten(OutputStream::Stderr, "Loopscope: TypeScript support failed: " + error + "\n");
}

static ScriptRun::Private *self(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    return static_cast<ScriptRun::Private *>(info.Data().As<v8::External>()->Value());
}

void ScriptRun::Private::jsWrite(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    Private *p = self(info);
    const auto stream = info[0]->Int32Value(info.GetIsolate()->GetCurrentContext()).FromMaybe(1) == 2
                            ? OutputStream::Stderr : OutputStream::Stdout;
    if (info[1]->IsArrayBufferView()) {
        const std::string_view bytes(node::Buffer::Data(info[1]), node::Buffer::Length(info[1]));
        if (p->recorder)
            p->recorder->consoleWrite(int(stream), bytes);
        p->observer->outputWritten(stream, bytes);
    } else {
        const v8::String::Utf8Value text(info.GetIsolate(), info[1]);
        const std::string_view bytes(*text ? *text : "", text.length());
        if (p->recorder)
            p->recorder->consoleWrite(int(stream), bytes);
        p->observer->outputWritten(stream, bytes);
    }
}

void ScriptRun::Private::jsStdinWanted(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    Private *p = self(info);
    p->stdinWanted = info[0]->BooleanValue(info.GetIsolate());
    if (p->stdinWanted && !p->stdinAnnounced) {
        p->stdinAnnounced = true;
        p->observer->stdinRequested();
    }
    p->updateStdinRef();
    // Input may already be waiting; deliver it from the loop, not from inside this call.
    if (p->stdinWanted)
        uv_async_send(&p->wakeup);
}

void ScriptRun::Private::jsOnStdin(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    if (info[0]->IsFunction())
        self(info)->stdinHandler.Reset(info.GetIsolate(), info[0].As<v8::Function>());
}

void ScriptRun::Private::jsErrorSource(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    Private *p = self(info);
    v8::Isolate *isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Value> error = info[0];
    std::string source;
    // A syntax error is reported where the parser stopped, not where it was rethrown; any other
    // error where it was thrown (what the message listener saw); a rejection where it was made.
    const bool isSyntaxError = error->IsNativeError()
        && error.As<v8::Object>()->GetConstructorName()->StringEquals(v8String(isolate, "SyntaxError"));
    if (!isSyntaxError && !p->lastUncaught.IsEmpty() && p->lastUncaught.Get(isolate)->StrictEquals(error))
        source = p->lastUncaughtSource;
    else
        source = errorSourceFromMessage(isolate, context, v8::Exception::CreateMessage(isolate, error));
    info.GetReturnValue().Set(v8String(isolate, source));
}

void ScriptRun::Private::onMessage(v8::Local<v8::Message> message, v8::Local<v8::Value> error)
{
    Private *p = t_run;
    if (!p || !p->isolate)
        return;
    v8::Isolate *isolate = p->isolate;
    p->lastUncaught.Reset(isolate, error);
    p->lastUncaughtSource = errorSourceFromMessage(isolate, isolate->GetCurrentContext(), message);
}

size_t ScriptRun::Private::onNearHeapLimit(void *data, size_t current, size_t)
{
    auto *p = static_cast<Private *>(data);
    if (!p->outOfMemory) {
        p->outOfMemory = true;
        // Terminate the script; the extra room lets V8 unwind instead of aborting the process.
        std::lock_guard lock(p->mutex);
        if (p->env)
            node::Stop(p->env);
        else
            p->isolate->TerminateExecution();
    }
    return current + std::max<size_t>(current / 2, size_t(256) << 20);
}

void ScriptRun::Private::onWakeup(uv_async_t *handle)
{
    static_cast<Private *>(handle->data)->deliverStdin();
}

void ScriptRun::Private::updateStdinRef()
{
    auto *h = reinterpret_cast<uv_handle_t *>(&wakeup);
    // Waiting for input keeps the loop alive, as a reading stdin pipe does under node.
    if (stdinWanted && !stdinEnded)
        uv_ref(h);
    else
        uv_unref(h);
}

void ScriptRun::Private::deliverStdin()
{
    if (!stdinWanted || stdinEnded || stdinHandler.IsEmpty())
        return;
    v8::HandleScope scope(isolate);
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Function> handler = stdinHandler.Get(isolate);
    while (stdinWanted && !stdinEnded) {
        std::string chunk;
        bool end = false;
        {
            std::lock_guard lock(mutex);
            if (!stdinQueue.empty()) {
                chunk = std::move(stdinQueue.front());
                stdinQueue.pop_front();
            } else if (stdinClosed) {
                end = true;
            } else {
                break;
            }
        }
        v8::Local<v8::Value> arg;
        if (end) {
            stdinEnded = true;
            arg = v8::Null(isolate);
        } else {
            arg = node::Buffer::Copy(isolate, chunk.data(), chunk.size()).ToLocalChecked();
        }
        // MakeCallback runs the nextTick and microtask queues afterwards, as for any I/O callback.
        if (node::MakeCallback(isolate, context->Global(), handler, 1, &arg, {0, 0}).IsEmpty())
            break;
    }
    updateStdinRef();
}

} // namespace Loopscope::Runtime
