#pragma once
// commandline — what `loopscope ...` was asked to do. Parsing is separate from doing, so the
// grammar is testable and every error reads the same.
//
//   loopscope                        the IDE on the default lesson (headless: run that lesson)
//   loopscope run [--max-heap MB] [--trace OUT.json[.gz]] [--summary] FILE [ARGS...]
//   loopscope --version | --help

#include <cstddef>
#include <string>
#include <vector>

namespace Loopscope::App {

struct CommandLine {
    enum class Action { Default, Run, Version, Help, Error };
    Action action = Action::Default;
    std::string script;                  // Run: the main module
    std::vector<std::string> arguments;  // Run: process.argv[2...]
    std::size_t heapLimitMb = 1024;      // --max-heap MB
    std::string tracePath;               // --trace OUT.json[.gz]: write a Chrome trace there
    bool summary = false;                // --summary: print the trace's summary after the run
    std::string error;                   // Error: what was wrong, for the usage message
};

CommandLine parseCommandLine(const std::vector<std::string> &args);  // args without argv[0]
std::string usageText();

} // namespace Loopscope::App
