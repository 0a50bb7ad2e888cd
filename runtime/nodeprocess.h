#pragma once
// Process-wide Node.js / V8 state: initialised once, torn down once at exit.
// V8 cannot be re-initialised after disposal, so every run in the process shares this.
// Thread-safe: initialize() may be called from any thread, any number of times.

#include <string>
#include <vector>

namespace node { class MultiIsolatePlatform; }

namespace Loopscope::Runtime::NodeProcess {

// Node options for this process (e.g. safe mode's permission flags), parsed by the one
// initialisation. Returns false (and changes nothing) once initialize() has run.
bool setProcessOptions(std::vector<std::string> options);
std::vector<std::string> processOptions();

// Initialises Node and V8 for this process. Returns false with `error` set on failure;
// later calls return the first call's result.
bool initialize(std::string *error = nullptr);

// The platform every run registers its isolate with; null before initialize() succeeded.
node::MultiIsolatePlatform *platform();

// Disposes V8 and the platform. Call at most once, at exit, with no run alive (main() does,
// after the IDE or the headless run has gone). Later initialize() calls fail: V8 cannot restart.
void shutdown();

std::string nodeVersion();   // "v20.19.2"
std::string v8Version();
std::string uvVersion();

} // namespace Loopscope::Runtime::NodeProcess
