#include "headlessrun.h"

#include "scriptrun.h"

#include <cerrno>
#include <memory>
#include <thread>
#include <unistd.h>

namespace Loopscope::App {

using namespace Loopscope::Runtime;

namespace {

void writeAll(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;  // a closed pipe: the reader has gone, as node would find too
        bytes.remove_prefix(size_t(n));
    }
}

class TerminalObserver final : public RunObserver {
public:
    std::shared_ptr<ScriptRun> run;

    void outputWritten(OutputStream stream, std::string_view bytes) override
    {
        writeAll(stream == OutputStream::Stderr ? STDERR_FILENO : STDOUT_FILENO, bytes);
    }

    void stdinRequested() override
    {
        // Read our stdin only once the script asks for it, so a script that never reads
        // never blocks on a terminal. The thread owns a reference: it may outlive the run.
        std::thread([run = run] {
            char buffer[65536];
            for (;;) {
                const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    break;
                run->writeStdin(std::string(buffer, size_t(n)));
            }
            run->closeStdin();
        }).detach();
    }

    void runFinished(const RunResult &) override {}
};

} // namespace

RunResult runHeadless(const RunOptions &options)
{
    TerminalObserver observer;
    observer.run = std::make_shared<ScriptRun>(options, &observer);
    observer.run->start();
    observer.run->wait();
    RunResult result = observer.run->result();
    if (result.end == RunEnd::Failed)
        writeAll(STDERR_FILENO, "loopscope: " + result.error + "\n");
    return result;
}

} // namespace Loopscope::App
