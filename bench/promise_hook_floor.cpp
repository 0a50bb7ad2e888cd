// promise_hook_floor — what a promise hook costs before it records anything (issue 4,
// docs/benchmarks.md §6). Runs one script in an embedded Node (the same libnode and V8 as
// loopscope, node's CommonEnvironmentSetup) with one of these installed for the whole run:
//   none      no hook
//   cpp       an empty C++ per-isolate hook (v8::Isolate::SetPromiseHook), what the traced
//             run used until session 4
//   cppstack  the same, capturing one stack frame on each init (a root promise's site capture)
//   cppsample the same, taking V8's raw stack sample (3 frames, nothing summarized) on each init
//   js        empty JS hooks through v8.promiseHooks.createHook (V8's per-context hooks, called
//             from the builtins with no runtime call)
// and, for the async_hooks resources (timers, immediates, ticks, I/O requests), registered the
// way the recorder's prelude registers its hooks (node's async_hooks, without node's JS promise
// hooks):
//   hooks       empty JS init/before/after/destroy hooks
//   hooksnative each hook calls an empty native function (a plain API callback): one call into
//               C++ per event, as the recorder makes, recording nothing
//   hookssample hooksnative, plus V8's raw stack sample of FLOOR_FRAMES frames (default 8: about
//               the depth the recorder samples under node's timer frames, 9.2 k Ir a sample) in each init,
//               and a sample of FLOOR_PROMISE_FRAMES frames (default 3) for each root promise (a
//               derived one inherits its parent's site): every resource sampled as often as the
//               recorder samples it, the least the site cache's exact key costs
// It prints the script's wall and thread CPU time. Run it several times alternating modes.
//   promise_hook_floor MODE SCRIPT [ARGS...]
#include <node.h>
#include <v8.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace {

double threadCpuSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

void emptyHook(v8::PromiseHookType, v8::Local<v8::Promise>, v8::Local<v8::Value>) {}

int g_frames = 0;  // keeps the capture from being optimised away
void stackHook(v8::PromiseHookType type, v8::Local<v8::Promise> promise, v8::Local<v8::Value>)
{
    if (type != v8::PromiseHookType::kInit)
        return;
    v8::Isolate *isolate = promise->GetIsolate();
    v8::HandleScope scope(isolate);
    v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, 1, v8::StackTrace::kScriptId);
    if (stack->GetFrameCount() > 0)
        g_frames += stack->GetFrame(isolate, 0)->GetLineNumber() > 0;
}

int envInt(const char *name, int fallback)
{
    const char *value = std::getenv(name);
    return value ? std::atoi(value) : fallback;
}

// The raw frames of the stack (return addresses, or bytecode array + offset), as V8's sampling
// profiler walks it: no frame is summarized. What the recorder's site cache is keyed on.
std::size_t g_samples = 0;  // keeps the samples from being optimised away
void takeSample(v8::Isolate *isolate, int frames)
{
    void *sample[16];
    v8::RegisterState state;
    state.pc = nullptr;
    state.fp = __builtin_frame_address(0);
    state.sp = &sample;
    v8::SampleInfo info;
    isolate->GetStackSample(state, sample, std::size_t(std::clamp(frames, 1, 16)), &info);
    g_samples += info.frames_count;
}

int g_promiseFrames = 3;  // cppsample: FLOOR_FRAMES; hookssample: FLOOR_PROMISE_FRAMES
void sampleHook(v8::PromiseHookType type, v8::Local<v8::Promise> promise, v8::Local<v8::Value>)
{
    if (type == v8::PromiseHookType::kInit)
        takeSample(promise->GetIsolate(), g_promiseFrames);
}

// hookssample's promise hook: the root promise's sample, as the recorder takes it.
void promiseSampleHook(v8::PromiseHookType type, v8::Local<v8::Promise> promise, v8::Local<v8::Value> parent)
{
    // A derived promise (then, await) takes its parent's site in a free run: no sample.
    if (type == v8::PromiseHookType::kInit && !parent->IsPromise())
        takeSample(promise->GetIsolate(), g_promiseFrames);
}

void emptyNative(const v8::FunctionCallbackInfo<v8::Value> &) {}

// hookssample's init: one raw sample as deep as the recorder's for node's resources.
int g_initFrames = 8;
void sampleNative(const v8::FunctionCallbackInfo<v8::Value> &info)
{
    takeSample(info.GetIsolate(), g_initFrames);
}

// Registers hooks as the prelude does (runtime/js/prelude.js §5): into node's hook arrays, with
// node's JS promise hooks left off. `init` and `other` name globals the floor script defines.
const char *kRegisterHooks =
    "{ const require = globalThis.require;\n"
    "  const { getHookArrays, enableHooks, symbols, constants } = require('internal/async_hooks');\n"
    "  const { kInit, kBefore, kAfter, kDestroy, kTotals } = constants;\n"
    "  const [hooks, fields] = getHookArrays();\n"
    "  const wasEnabled = fields[kTotals] > 0;\n"
    "  for (const k of [kInit, kBefore, kAfter, kDestroy]) { fields[k] += 1; fields[kTotals] += 1; }\n"
    "  const init = globalThis.__floorInit, other = globalThis.__floorOther;\n"
    "  delete globalThis.__floorInit; delete globalThis.__floorOther;\n"
    "  hooks.push({ [symbols.init_symbol]: (id, type, trigger) => { init(id, trigger); },\n"
    "               [symbols.before_symbol]: (id) => { other(id); },\n"
    "               [symbols.after_symbol]: (id) => { other(id); },\n"
    "               [symbols.destroy_symbol]: (id) => { other(id); } });\n"
    "  if (!wasEnabled) enableHooks(); }\n";

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s none|cpp|cppstack|cppsample|js|hooks|hooksnative|hookssample SCRIPT [ARGS...]\n", argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    const bool asyncHooks = mode == "hooks" || mode == "hooksnative" || mode == "hookssample";
    if (mode != "none" && mode != "cpp" && mode != "cppstack" && mode != "js" && mode != "cppsample" && !asyncHooks) {
        std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
        return 2;
    }
    std::vector<std::string> args{argv[0]};
    if (asyncHooks)
        args.emplace_back("--expose-internals");  // the hooks are registered as the prelude does
    for (int i = 2; i < argc; ++i)
        args.emplace_back(argv[i]);
    const auto init = node::InitializeOncePerProcess(
        args, static_cast<node::ProcessInitializationFlags::Flags>(
                  node::ProcessInitializationFlags::kNoInitializeV8
                  | node::ProcessInitializationFlags::kNoInitializeNodeV8Platform));
    if (init->exit_code() != 0)
        return init->exit_code();
    std::unique_ptr<node::MultiIsolatePlatform> platform = node::MultiIsolatePlatform::Create(1);
    v8::V8::InitializePlatform(platform.get());
    v8::V8::Initialize();

    int exitCode = 0;
    {
        std::vector<std::string> errors;
        std::unique_ptr<node::CommonEnvironmentSetup> setup =
            node::CommonEnvironmentSetup::Create(platform.get(), &errors, init->args(), init->exec_args());
        if (!setup) {
            for (const std::string &e : errors)
                std::fprintf(stderr, "%s\n", e.c_str());
            return 1;
        }
        v8::Isolate *isolate = setup->isolate();
        node::Environment *env = setup->env();
        v8::Locker locker(isolate);
        v8::Isolate::Scope isolateScope(isolate);
        v8::HandleScope handleScope(isolate);
        v8::Context::Scope contextScope(setup->context());
        if (mode == "cpp")
            isolate->SetPromiseHook(&emptyHook);
        else if (mode == "cppsample") {
            g_promiseFrames = envInt("FLOOR_FRAMES", 3);
            isolate->SetPromiseHook(&sampleHook);
        }
        else if (mode == "cppstack")
            isolate->SetPromiseHook(&stackHook);
        if (asyncHooks) {
            g_initFrames = envInt("FLOOR_FRAMES", 8);
            g_promiseFrames = envInt("FLOOR_PROMISE_FRAMES", 3);
            v8::Local<v8::Context> context = setup->context();
            auto set = [&](const char *name, v8::FunctionCallback callback) {
                v8::Local<v8::Value> f = callback
                    ? v8::Local<v8::Value>(v8::Function::New(context, callback).ToLocalChecked())
                    : v8::Local<v8::Value>(v8::Undefined(isolate));
                context->Global()->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), f).Check();
            };
            set("__floorInit", mode == "hooks" ? nullptr : mode == "hooksnative" ? &emptyNative : &sampleNative);
            set("__floorOther", mode == "hooks" ? nullptr : &emptyNative);
            if (mode == "hookssample")
                isolate->SetPromiseHook(&promiseSampleHook);
        }
        std::string prologue;
        if (mode == "js")
            prologue = "{ const f = () => {}; require('v8').promiseHooks.createHook({ init: f, before: f, after: f, settled: f }); }\n";
        else if (mode == "hooks")
            prologue = std::string("globalThis.__floorInit = globalThis.__floorOther = () => {};\n") + kRegisterHooks;
        else if (asyncHooks)
            prologue = kRegisterHooks;
        const std::string main =
            "const publicRequire = require('module').createRequire(process.cwd() + '/');\n"
            "globalThis.require = publicRequire;\n"
            + prologue + "publicRequire(require('path').resolve(process.argv[1]));\n";
        const auto wall0 = std::chrono::steady_clock::now();
        const double cpu0 = threadCpuSeconds();
        if (node::LoadEnvironment(env, main.c_str()).IsEmpty())
            return 1;
        exitCode = node::SpinEventLoop(env).FromMaybe(1);
        const double cpu = threadCpuSeconds() - cpu0;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        isolate->SetPromiseHook(nullptr);
        std::fprintf(stderr, "promise_hook_floor mode=%s wall_ms=%.1f thread_cpu_ms=%.1f frames=%zu\n", mode.c_str(),
                     wall * 1e3, cpu * 1e3, g_samples + std::size_t(g_frames));
        node::Stop(env);
    }
    v8::V8::Dispose();
    v8::V8::DisposePlatform();
    node::TearDownOncePerProcess();
    return exitCode;
}
