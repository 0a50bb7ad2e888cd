#pragma once
// commandline — what `loopscope ...` was asked to do. Parsing is separate from doing, so the
// grammar is testable and every error reads the same.
//
//   loopscope                        the IDE on the default lesson (headless: run that lesson)
//   loopscope FILE                   the IDE on FILE
//   loopscope run [--max-heap MB] [--trace OUT.json[.gz]] [--summary]
//                 [--cpu-profile OUT.cpuprofile] [--cpu-profile-interval US] FILE [ARGS...]
//   loopscope --version | --help
//   loopscope run --stream [--stream-trace [--no-source-locations]] [--max-heap MB] FILE [ARGS...]
//                                    internal: a run the IDE started in a child process (its
//                                    output, trace and result as frames; app/streamrun.h)
//   loopscope [node options] FILE [ARGS...]   when started by child_process.fork()

#include <cstddef>
#include <string>
#include <vector>

namespace Loopscope::App {

struct CommandLine {
    enum class Action { Default, Open, Run, Version, Help, Error };
    Action action = Action::Default;
    std::string script;                  // Run: the main module; Open: the file to edit
    std::vector<std::string> arguments;  // Run: process.argv[2...]
    std::size_t heapLimitMb = 1024;      // --max-heap MB
    std::string tracePath;               // --trace OUT.json[.gz]: write a Chrome trace there
    bool summary = false;                // --summary: print the trace's summary after the run
    std::string cpuProfilePath;          // --cpu-profile OUT.cpuprofile: sample the run, write it there
    int cpuProfileIntervalUs = 500;      // --cpu-profile-interval US
    bool stream = false;                 // --stream: frames on stdout for the IDE (internal)
    bool streamTrace = false;            // --stream-trace: record and stream the trace too
    bool sourceLocations = true;         // --no-source-locations: trace without them (faster)
    std::string error;                   // Error: what was wrong, for the usage message
};

CommandLine parseCommandLine(const std::vector<std::string> &args);  // args without argv[0]

// A script's child_process.fork() runs process.execPath, which is loopscope, with node's
// command line: [node options...] FILE [ARGS...]. Node marks such children with
// NODE_CHANNEL_FD; main() then parses with this, and the child runs FILE as `node` would.
CommandLine parseNodeCommandLine(const std::vector<std::string> &args);
std::string usageText();

} // namespace Loopscope::App
