#include "commandline.h"

#include <charconv>

namespace Loopscope::App {

std::string usageText()
{
    return "Usage: loopscope [--version] [--help]\n"
           "       loopscope FILE\n"
           "       loopscope run [--max-heap MB] [--trace OUT.json[.gz]] [--summary]\n"
           "                     [--cpu-profile OUT.cpuprofile] [--cpu-profile-interval US] FILE [ARGS...]\n"
           "\n"
           "  (no command)     open the IDE on the default lesson; with no display, run that\n"
           "                   lesson headless and print what it did\n"
           "  FILE             open FILE in the IDE (a file name: it has a '.' or a '/')\n"
           "  run FILE         run FILE in the embedded Node.js runtime, as `node FILE` would:\n"
           "                   its output on this terminal, its exit code as ours\n"
           "  --max-heap MB    JavaScript heap limit of the run (default 1024)\n"
           "  --trace OUT      record the event loop and write it to OUT as Chrome trace-event\n"
           "                   JSON (gzip-compressed if OUT ends in .gz); open it in Perfetto\n"
           "  --summary        record the event loop and print a summary after the script's output\n"
           "  --cpu-profile OUT  sample the run with V8's CPU profiler and write OUT as a\n"
           "                   .cpuprofile (Chrome DevTools, speedscope)\n"
           "  --cpu-profile-interval US  microseconds between samples (default 500)\n"
           "  --version        print the versions of Loopscope, Node.js, V8, libuv and Qt\n";
}

static CommandLine fail(std::string message)
{
    CommandLine c;
    c.action = CommandLine::Action::Error;
    c.error = std::move(message);
    return c;
}

CommandLine parseCommandLine(const std::vector<std::string> &args)
{
    CommandLine c;
    if (args.empty())
        return c;
    const std::string &command = args[0];
    if (command == "--version" || command == "-v") {
        c.action = CommandLine::Action::Version;
        return args.size() == 1 ? c : fail("--version takes no arguments");
    }
    if (command == "--help" || command == "-h") {
        c.action = CommandLine::Action::Help;
        return c;
    }
    if (command != "run" && !command.starts_with("-")
        && (command.find('.') != std::string::npos || command.find('/') != std::string::npos)) {
        c.action = CommandLine::Action::Open;
        c.script = command;
        return args.size() == 1 ? c : fail("only one FILE can be opened; to run it with arguments use: run FILE ARGS");
    }
    if (command != "run")
        return fail(command.starts_with("-") ? "bad option: " + command : "unknown command: " + command);

    c.action = CommandLine::Action::Run;
    size_t i = 1;
    // Options come before FILE; everything after FILE belongs to the script, as with node.
    for (; i < args.size() && args[i].starts_with("-"); ++i) {
        const std::string &opt = args[i];
        if (opt == "--") {
            ++i;
            break;
        }
        if (opt == "--max-heap") {
            if (i + 1 >= args.size())
                return fail("--max-heap needs a size in MB");
            const std::string &value = args[++i];
            size_t mb = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), mb);
            if (ec != std::errc() || end != value.data() + value.size() || mb < 16)
                return fail("--max-heap needs a whole number of MB, at least 16: " + value);
            c.heapLimitMb = mb;
            continue;
        }
        if (opt == "--trace") {
            if (i + 1 >= args.size() || args[i + 1].empty())
                return fail("--trace needs an output file");
            c.tracePath = args[++i];
            continue;
        }
        if (opt == "--cpu-profile") {
            if (i + 1 >= args.size() || args[i + 1].empty())
                return fail("--cpu-profile needs an output file");
            c.cpuProfilePath = args[++i];
            continue;
        }
        if (opt == "--cpu-profile-interval") {
            if (i + 1 >= args.size())
                return fail("--cpu-profile-interval needs a number of microseconds");
            const std::string &value = args[++i];
            int us = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), us);
            if (ec != std::errc() || end != value.data() + value.size() || us < 50 || us > 1000000)
                return fail("--cpu-profile-interval needs a whole number of microseconds, 50 to 1000000: " + value);
            c.cpuProfileIntervalUs = us;
            continue;
        }
        if (opt == "--summary") {
            c.summary = true;
            continue;
        }
        // Internal options of the IDE's child runs; not in the usage text.
        if (opt == "--stream") {
            c.stream = true;
            continue;
        }
        if (opt == "--stream-trace") {
            c.streamTrace = true;
            continue;
        }
        if (opt == "--no-source-locations") {
            c.sourceLocations = false;
            continue;
        }
        return fail("bad option: " + opt);
    }
    if ((c.streamTrace || !c.sourceLocations) && !c.stream)
        return fail("--stream-trace and --no-source-locations go with --stream");
    if (c.stream && (c.summary || !c.tracePath.empty()))
        return fail("--stream cannot be combined with --trace or --summary");
    if (i >= args.size())
        return fail("run needs a FILE");
    c.script = args[i];
    c.arguments.assign(args.begin() + long(i) + 1, args.end());
    return c;
}

CommandLine parseNodeCommandLine(const std::vector<std::string> &args)
{
    // Node options (process.execArgv of the parent) are process-wide in an embedded runtime:
    // they are skipped, with the value of those that take one as a separate argument.
    static const char *const takesValue[] = {"-r", "--require", "--import", "--loader",
                                             "--experimental-loader", "--input-type", "--title"};
    CommandLine c;
    c.action = CommandLine::Action::Run;
    size_t i = 0;
    for (; i < args.size() && args[i].starts_with("-"); ++i) {
        if (args[i] == "--") {
            ++i;
            break;
        }
        for (const char *option : takesValue)
            if (args[i] == option)
                ++i;
    }
    if (i >= args.size())
        return fail("a forked child needs a FILE");
    c.script = args[i];
    c.arguments.assign(args.begin() + long(i) + 1, args.end());
    return c;
}

} // namespace Loopscope::App
