// runloop_memory — does the process grow when it runs scripts one after another, as the IDE does?
// Runs one small script RUNS times (default 200) sequentially in this one process through
// Loopscope::Runtime::ScriptRun, and prints the resident set size (from /proc/self/statm) at a
// few checkpoints, the growth per run between run 10 and the last run, and the time per run.
// Not a test: it fails only if a run fails or prints something unexpected.
//   runloop_memory [--runs N] [SCRIPT]
#include "nodeprocess.h"
#include "scriptrun.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <malloc.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace Loopscope::Runtime;

namespace {

double rssMb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

class CollectingObserver final : public RunObserver {
public:
    std::string out, err;
    void outputWritten(OutputStream stream, std::string_view bytes) override
    {
        (stream == OutputStream::Stderr ? err : out).append(bytes);
    }
    void runFinished(const RunResult &) override {}
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv)
{
    int runs = 200;
    std::string script = LOOPSCOPE_BENCH_SCRIPTS "/small-run.js";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc)
            runs = std::atoi(argv[++i]);
        else if (!a.empty() && a[0] != '-')
            script = a;
        else {
            std::fprintf(stderr, "usage: runloop_memory [--runs N] [SCRIPT]\n");
            return 2;
        }
    }
    if (runs < 1) {
        std::fprintf(stderr, "runloop_memory: --runs needs a positive number\n");
        return 2;
    }

    const std::vector<int> checkpoints{1, 10, 50, 100, 150, 200, 500, 1000};
    std::printf("runloop_memory: %d sequential runs of %s in one process\n", runs, script.c_str());
    std::printf("RSS before the first run: %.1f MB\n", rssMb());
    std::printf("%8s %10s %12s\n", "after run", "RSS MB", "run ms");

    std::string firstOut;
    std::vector<double> durations, wall;
    double rssAt10 = 0, rssAtEnd = 0;
    for (int run = 1; run <= runs; ++run) {
        CollectingObserver observer;
        RunOptions options;
        options.scriptPath = script;
        const auto begin = std::chrono::steady_clock::now();
        {
            ScriptRun scriptRun(options, &observer);
            scriptRun.start();
            scriptRun.wait();
            const RunResult result = scriptRun.result();
            if (result.end != RunEnd::Exited || result.exitCode != 0) {
                std::fprintf(stderr, "runloop_memory: run %d ended %s with code %d: %s\n%s", run,
                             runEndName(result.end), result.exitCode, result.error.c_str(),
                             observer.err.c_str());
                return 1;
            }
            durations.push_back(result.durationMs);
        }
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
        if (run == 1)
            firstOut = observer.out;
        if (observer.out != firstOut || !observer.err.empty() || firstOut.empty()) {
            std::fprintf(stderr, "runloop_memory: run %d printed something else:\n%s%s", run,
                         observer.out.c_str(), observer.err.c_str());
            return 1;
        }
        const double rss = rssMb();
        if (run == 10)
            rssAt10 = rss;
        if (run == runs)
            rssAtEnd = rss;
        if (run == runs || std::find(checkpoints.begin(), checkpoints.end(), run) != checkpoints.end())
            std::printf("%8d %10.1f %12.1f\n", run, rss, wall.back());
    }

    std::printf("script output: %s", firstOut.c_str());
    if (runs > 10)
        std::printf("RSS growth from run 10 to run %d: %+.1f MB (%+.1f KB per run)\n", runs,
                    rssAtEnd - rssAt10, (rssAtEnd - rssAt10) * 1024.0 / (runs - 10));
    malloc_trim(0);
    std::printf("RSS after run %d and malloc_trim(0): %.1f MB\n", runs, rssMb());
    std::printf("time per run (ScriptRun start..wait): first %.1f ms, median %.1f ms, median of runs 2.. "
                "(thread start to teardown, RunResult::durationMs) %.1f ms\n",
                wall.front(), median(wall),
                median(std::vector<double>(durations.begin() + (durations.size() > 1), durations.end())));
    NodeProcess::shutdown();
    return 0;
}
