#include "nodeprocess.h"

#include "typescriptsupport.h"

#include <node.h>
#include <node_version.h>
#include <uv.h>
#include <v8.h>

#include <memory>
#include <csignal>
#include <mutex>

namespace Loopscope::Runtime::NodeProcess {

namespace {
std::once_flag s_once;
// A unique_ptr from Node 20, a shared_ptr from Node 24: a shared_ptr holds either.
std::shared_ptr<node::InitializationResult> s_result;
bool s_ok = false;
std::string s_error;
std::mutex s_optionsMutex;
bool s_initializing = false;
std::vector<std::string> s_options;
}

bool setProcessOptions(std::vector<std::string> options)
{
    std::lock_guard lock(s_optionsMutex);
    if (s_initializing)
        return false;
    s_options = std::move(options);
    return true;
}

std::vector<std::string> processOptions()
{
    std::lock_guard lock(s_optionsMutex);
    return s_options;
}

bool initialize(std::string *error)
{
    std::call_once(s_once, [] {
        // As node does: a write to a closed pipe or socket is an EPIPE error for the script,
        // not a signal that kills the host.
        std::signal(SIGPIPE, SIG_IGN);
        // Node's own V8 platform and V8 initialisation are fine for us; what we must not let it
        // do is take over the host process: its signal handlers, its stdio modes and its
        // --help/--version printing belong to Loopscope.
        using namespace node::ProcessInitializationFlags;
        const auto flags = static_cast<Flags>(kNoDefaultSignalHandling | kNoStdioInitialization
                                              | kNoPrintHelpOrVersionOutput | kNoAdjustResourceLimits);
        std::vector<std::string> args{"loopscope"};
        {
            std::lock_guard lock(s_optionsMutex);
            s_initializing = true;
            const std::vector<std::string> typescript = TypeScriptSupport::processOptions();
            args.insert(args.end(), typescript.begin(), typescript.end());
            args.insert(args.end(), s_options.begin(), s_options.end());
        }
        s_result = node::InitializeOncePerProcess(args, flags);
        if (!s_result || s_result->early_return() || s_result->exit_code() != 0) {
            s_error = "Node.js failed to initialise";
            if (s_result)
                for (const std::string &e : s_result->errors())
                    s_error += ": " + e;
            return;
        }
        s_ok = true;
    });
    if (!s_ok && error)
        *error = s_error;
    return s_ok;
}

node::MultiIsolatePlatform *platform()
{
    return s_ok ? s_result->platform() : nullptr;
}

void shutdown()
{
    if (!s_ok)
        return;
    s_ok = false;
    s_error = "Node.js has been shut down in this process";  // initialize() reports it from now on
    node::TearDownOncePerProcess();
    s_result.reset();
}

std::string nodeVersion() { return NODE_VERSION; }
std::string v8Version() { return v8::V8::GetVersion(); }
std::string uvVersion() { return uv_version_string(); }

} // namespace Loopscope::Runtime::NodeProcess
