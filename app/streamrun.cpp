#include "streamrun.h"

#include "runstream.h"
#include "scriptrun.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace Loopscope::App {

using namespace Loopscope::Runtime;

namespace {

// Frames from several threads (the run's, the trace pump's) go out whole, one at a time.
class FrameSink {
public:
    explicit FrameSink(int fd) : m_fd(fd) {}
    void write(std::string_view bytes)
    {
        std::lock_guard lock(m_mutex);
        while (!bytes.empty()) {
            const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return;  // the IDE has gone; the closed control pipe stops the run
            bytes.remove_prefix(std::size_t(n));
        }
    }

private:
    std::mutex m_mutex;
    const int m_fd;
};

class StreamObserver final : public RunObserver {
public:
    explicit StreamObserver(FrameSink &sink) : m_sink(sink) {}
    void outputWritten(OutputStream stream, std::string_view bytes) override
    {
        m_sink.write(RunStream::outputFrame(stream, bytes));
    }
    void stdinRequested() override { m_sink.write(RunStream::frame(RunStream::Frame::StdinRequested)); }
    void runFinished(const RunResult &) override {}

private:
    FrameSink &m_sink;
};

// Moves fd `from` to a private descriptor and puts /dev/null (stdin) or stderr (stdout) in its
// place: stray writes to fd 1 (a native module, a child with inherited stdio) can then never
// corrupt the frame stream, and no subprocess inherits the control pipe.
int takeOver(int from, int replacement)
{
    const int kept = ::fcntl(from, F_DUPFD_CLOEXEC, 3);
    if (kept < 0)
        return -1;
    if (::dup2(replacement, from) < 0)
        return -1;
    return kept;
}

} // namespace

int runStreamed(const RunOptions &options)
{
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int control = takeOver(STDIN_FILENO, devNull);
    const int out = takeOver(STDOUT_FILENO, STDERR_FILENO);
    if (devNull >= 0)
        ::close(devNull);
    if (control < 0 || out < 0)
        return 1;

    FrameSink sink(out);
    sink.write(RunStream::kMagic);
    StreamObserver observer(sink);
    ScriptRun run(options, &observer);

    // The IDE's requests: stdin bytes, end of stdin, stop. End of the pipe (the IDE died or
    // closed it) stops the run. Detached: it may sit in read() after the run ends.
    std::thread([&run, control] {
        RunStream::FrameReader reader;
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(control, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            reader.feed(buffer, std::size_t(n));
            RunStream::Frame type;
            std::string payload;
            while (reader.next(&type, &payload)) {
                if (type == RunStream::Frame::StdinData)
                    run.writeStdin(std::move(payload));
                else if (type == RunStream::Frame::StdinClose)
                    run.closeStdin();
                else if (type == RunStream::Frame::Stop)
                    run.stop();
            }
        }
        run.stop();
    }).detach();

    // The trace goes out as it grows, every few milliseconds, so the IDE's panes follow live.
    std::mutex pumpMutex;
    std::condition_variable pumpWake;
    bool runDone = false;
    std::thread pump;
    if (options.trace) {
        pump = std::thread([&] {
            TracePump tracePump(options.trace.get());
            std::unique_lock lock(pumpMutex);
            while (!runDone) {
                pumpWake.wait_for(lock, std::chrono::milliseconds(10));
                lock.unlock();
                const std::string frames = tracePump.take();
                if (!frames.empty())
                    sink.write(frames);
                lock.lock();
            }
            lock.unlock();
            sink.write(tracePump.take());  // everything recorded up to the end
        });
    }

    run.start();
    run.wait();
    if (pump.joinable()) {
        {
            std::lock_guard lock(pumpMutex);
            runDone = true;
        }
        pumpWake.notify_all();
        pump.join();
    }
    sink.write(RunStream::resultFrame(run.result()));
    // The control thread may be blocked in read(): leave without unwinding it.
    std::fflush(nullptr);
    ::_exit(0);
}

} // namespace Loopscope::App
