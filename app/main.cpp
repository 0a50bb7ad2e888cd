// loopscope — the command line. With a display, no arguments or a FILE open the IDE; `run`,
// `--version`, `--help` and the no-display default never create a QApplication.
//
// Built twice: as `loopscope`, which links no GUI library (so `run` starts as fast as it can)
// and hands the IDE's actions over to `loopscope-ide` (app/idelauncher.h); and, with
// LOOPSCOPE_WITH_IDE, as `loopscope-ide`, which opens the window itself.

#include "classroompolicy.h"
#include "commandline.h"
#include "cpuprofilefile.h"
#include "headlessrun.h"
#include "idelauncher.h"
#include "lessoncatalog.h"
#include "lessonlocator.h"
#include "nodeprocess.h"
#include "streamrun.h"
#include "trace.h"
#include "traceexport.h"

#ifdef LOOPSCOPE_WITH_IDE
#include "ideapp.h"
#endif

#include <QtGlobal>

#include <cstdio>
#include <cstdlib>
#include <iostream>

using namespace Loopscope;

static int openIde(int &argc, char **argv, const std::string &fileToOpen)
{
#ifdef LOOPSCOPE_WITH_IDE
    return App::runIde(argc, argv, fileToOpen);
#else
    Q_UNUSED(argc);
    Q_UNUSED(fileToOpen);
    return App::startIde(argv);
#endif
}

static int runScript(const App::CommandLine &cl)
{
    Runtime::RunOptions options;
    options.scriptPath = cl.script;
    options.arguments = cl.arguments;
    options.heapLimitBytes = cl.heapLimitMb << 20;
    if (cl.stream) {
        if (cl.streamTrace)
            options.trace = std::make_shared<Runtime::Trace>();
        options.traceSourceLocations = cl.sourceLocations;
        return App::runStreamed(options);
    }
    if (!cl.tracePath.empty() || cl.summary)
        options.trace = std::make_shared<Runtime::Trace>();
    options.cpuProfile = !cl.cpuProfilePath.empty();
    options.cpuProfileIntervalUs = cl.cpuProfileIntervalUs;
    const Runtime::RunResult result = App::runHeadless(options);
    if (options.cpuProfile) {
        std::string error = "the CPU profiler could not be started; no profile was written";
        if (!result.cpuProfile || !Runtime::writeCpuProfile(*result.cpuProfile, cl.cpuProfilePath, &error)) {
            std::cerr << "loopscope: " << error << "\n";
            return result.exitCode ? result.exitCode : 1;
        }
    }
    if (options.trace && cl.summary)
        std::cout << Runtime::formatTraceSummary(Runtime::summarizeTrace(*options.trace)) << std::flush;
    if (options.trace && !cl.tracePath.empty()) {
        std::string error;
        if (!Runtime::writeChromeTrace(*options.trace, cl.tracePath, &error)) {
            std::cerr << "loopscope: " << error << "\n";
            return result.exitCode ? result.exitCode : 1;
        }
    }
    return result.exitCode;
}

namespace {
// V8 and Node's platform are torn down once, after everything else in main() has gone: the
// IDE's window and its run controller (which join their run threads) or the headless run.
// Declared first in main() so that every return path passes through it.
struct NodeTeardownAtExit {
    ~NodeTeardownAtExit() { Runtime::NodeProcess::shutdown(); }
};
} // namespace

int main(int argc, char **argv)
{
    const NodeTeardownAtExit nodeTeardown;
    const std::vector<std::string> args(argv + 1, argv + argc);
    // Started by a script's child_process.fork(): behave as the node it expects.
    const bool forkedByNode = std::getenv("NODE_CHANNEL_FD") != nullptr;
    const App::CommandLine cl = forkedByNode ? App::parseNodeCommandLine(args) : App::parseCommandLine(args);
    // `loopscope run script.js` of a lesson that asks for a pool size (lesson.json
    // "threadPoolSize") gets it, as the IDE's selector would; libuv reads the variable when the
    // pool first starts, well after this. A size the caller set wins.
    if (cl.action == App::CommandLine::Action::Run && !cl.stream && !forkedByNode
        && !qEnvironmentVariableIsSet("UV_THREADPOOL_SIZE")) {
        if (const auto lesson = App::LessonCatalog::lessonForScript(QString::fromStdString(cl.script));
            lesson && lesson->threadPoolSize > 0)
            qputenv("UV_THREADPOOL_SIZE", QByteArray::number(lesson->threadPoolSize));
    }
    // The administrator's safe mode binds every run of this process (the IDE's, `run`, and the
    // IDE's child runs): Node takes its permission flags once, before the first run.
    if (cl.action != App::CommandLine::Action::Error && cl.action != App::CommandLine::Action::Help
        && cl.action != App::CommandLine::Action::Version) {
        QString error;
        if (!App::ClassroomPolicy::load().applyToRuntime(&error)) {
            std::cerr << "loopscope: " << error.toStdString() << "\n";
            return 1;
        }
    }
    switch (cl.action) {
    case App::CommandLine::Action::Error:
        std::cerr << "loopscope: " << cl.error << "\n\n" << App::usageText();
        return 2;
    case App::CommandLine::Action::Help:
        std::cout << App::usageText();
        return 0;
    case App::CommandLine::Action::Version:
        std::cout << "Loopscope " << LOOPSCOPE_VERSION << "\n"
                  << "Node.js " << Runtime::NodeProcess::nodeVersion() << "\n"
                  << "V8 " << Runtime::NodeProcess::v8Version() << "\n"
                  << "libuv " << Runtime::NodeProcess::uvVersion() << "\n"
                  << "Qt " << qVersion() << "\n";
        return 0;
    case App::CommandLine::Action::Run:
        return runScript(cl);
    case App::CommandLine::Action::Open:
        if (!App::displayAvailable()) {
            std::cerr << "loopscope: no display to open " << cl.script << " on (DISPLAY is not set);"
                      << " to run it here: loopscope run " << cl.script << "\n";
            return 2;
        }
        return openIde(argc, argv, cl.script);
    case App::CommandLine::Action::Default:
        if (App::displayAvailable())
            return openIde(argc, argv, {});
        break;
    }

    const std::string lesson = App::defaultLessonScript();
    if (lesson.empty()) {
        std::cerr << "loopscope: the lessons folder was not found (set LOOPSCOPE_LESSONS_DIR)\n";
        return 1;
    }
    std::cout << "Loopscope " << LOOPSCOPE_VERSION << ": running the default lesson headless\n"
              << "Lesson: " << App::defaultLessonTitle() << "\n"
              << "Script: " << lesson << "\n"
              << "--- output ---" << std::endl;
    Runtime::RunOptions options;
    options.scriptPath = lesson;
    const Runtime::RunResult result = App::runHeadless(options);
    std::cout << "--- " << Runtime::runEndName(result.end) << " with code " << result.exitCode
              << " in " << int(result.durationMs) << " ms" << std::endl;
    return result.exitCode;
}
