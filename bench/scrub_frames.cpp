// scrub_frames — what one frame of scrubbing costs on a large trace: the cursor moves, the
// timeline and the thread-pool pane follow (model update), and the pane paints into a QImage.
// The trace is built with TraceWriter::appendAt (EVENTS records: iterations with all six
// phases, timer callbacks, a thread-pool task on one of four workers with its completion
// callback, console writes), indexed once, then scrubbed across in FRAMES even steps and stepped
// callback by callback. Prints the median, 95th percentile and max frame time (target < 16 ms).
// Not a test: it fails only if the trace or the pane is not what was built.
//   scrub_frames [--events N] [--frames N]
#include "threadpoolwidget.h"
#include "threadpoolview.h"
#include "trace.h"
#include "tracecursor.h"
#include "traceindex.h"
#include "tracescrubber.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <cstring>
#include <vector>

using namespace Loopscope;
using Runtime::CallbackQueue;
using Runtime::LoopPhase;
using Runtime::TraceKind;

namespace {

// About 50 records per iteration, 50 µs of loop time each.
std::shared_ptr<Runtime::Trace> buildTrace(std::uint64_t events)
{
    auto trace = std::make_shared<Runtime::Trace>(std::size_t(1) << 30);
    Runtime::TraceWriter *loop = trace->addWriter("loop");
    Runtime::TraceWriter *workers[4];
    for (int w = 0; w < 4; ++w)
        workers[w] = trace->addWriter("worker " + std::to_string(w + 1));
    const std::uint32_t timeout = trace->intern("Timeout"), pbkdf2 = trace->intern("PBKDF2REQUEST");
    const std::uint32_t work = trace->intern("work"), file = trace->intern("/bench/app.js");
    std::uint64_t t = 1'000'000, asyncId = 10, workId = 1;
    std::uint32_t iteration = 0;
    auto callback = [&](CallbackQueue queue, std::uint64_t id) {
        loop->appendAt(t += 200, TraceKind::CallbackBefore, std::uint8_t(queue), 0, id, 0);
        loop->appendAt(t += 800, TraceKind::CallbackAfter, std::uint8_t(queue), 0, id, 0);
    };
    while (trace->recordCount() < events) {
        ++iteration;
        loop->appendAt(t += 100, TraceKind::IterationStart, 0, 0, iteration, 0);
        loop->appendAt(t += 100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers), 0, 0, 0);
        for (int k = 0; k < 8; ++k) {  // timers made in an earlier iteration, run now
            loop->appendAt(t += 50, TraceKind::AsyncInit, 0, timeout, ++asyncId, 1);
            loop->appendAt(t, TraceKind::AsyncSource, 0, file, (std::uint64_t(12 + k) << 32) | 3, 0);
            callback(CallbackQueue::Timers, asyncId);
        }
        loop->appendAt(t += 100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Pending), 0, 0, 0);
        loop->appendAt(t += 100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::IdlePrepare), 0, 0, 0);
        // A pool task: submitted, run on a worker for 30 µs, completed in this poll phase.
        const std::uint64_t id = workId++;
        const std::uint64_t requestId = ++asyncId;
        loop->appendAt(t += 100, TraceKind::AsyncInit, 0, pbkdf2, requestId, 1);
        loop->appendAt(t, TraceKind::PoolSubmit, 0, work, id, 0);
        Runtime::TraceWriter *worker = workers[id % 4];
        worker->appendAt(t + 500, TraceKind::PoolStart, 0, 0, id, 0);
        worker->appendAt(t + 30'000, TraceKind::PoolFinish, 0, 0, id, 0);
        loop->appendAt(t += 100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Poll), 0, 0, 0);
        t += 31'000;
        loop->appendAt(t, TraceKind::PoolComplete, 0, 0, id, 0);
        callback(CallbackQueue::Poll, requestId);
        loop->appendConsoleWrite(1, "hash done\n");
        loop->appendAt(t += 100, TraceKind::PollEnd, 0, 0, 25'000, 0);
        loop->appendAt(t += 100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Check), 0, 0, 0);
        loop->appendAt(t += 100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Close), 0, 0, 0);
        loop->appendAt(t += 100, TraceKind::IterationEnd, 0, 0, iteration, 0);
    }
    return trace;
}

// CPU time of this thread: what a frame costs the GUI thread, apart from other processes that
// compete for the cores (the machine may be shared); wall time is reported beside it.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Stats {
    double median = 0, p95 = 0, max = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], ms.back()};
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QApplication::setStyle(QStringLiteral("Fusion"));
    std::uint64_t events = 1'000'000;
    int frames = 600;
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--events"))
            events = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--frames"))
            frames = std::atoi(argv[++i]);
    }

    QElapsedTimer clock;
    clock.start();
    const auto trace = buildTrace(events);
    const double buildMs = clock.nsecsElapsed() / 1e6;
    clock.restart();
    Ui::TraceCursor cursor;
    cursor.setTrace(trace, false);  // indexes the whole trace
    const double indexMs = clock.nsecsElapsed() / 1e6;
    const Runtime::TraceIndex &index = *cursor.index();

    Ui::TraceScrubber scrubber(&cursor);
    ThreadPool::ThreadPoolWidget pane(&cursor);
    pane.resize(1200, 420);
    QImage image(QSize(1200, 360), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> cpu;
    auto frame = [&](auto &&move) {
        QElapsedTimer f;
        f.start();
        const double c0 = threadCpuMs();
        move();  // cursor → timeline and pane (model update) through their signals
        QPainter painter(&image);
        pane.view()->paint(painter, image.rect());
        painter.end();
        cpu.push_back(threadCpuMs() - c0);
        return f.nsecsElapsed() / 1e6;
    };

    std::vector<double> scrub, step;
    const std::uint64_t span = cursor.endNs() - cursor.startNs();
    for (int i = 0; i < frames; ++i)
        scrub.push_back(frame([&] { cursor.moveTo(cursor.startNs() + span * std::uint64_t(i) / std::uint64_t(std::max(1, frames - 1))); }));
    const std::vector<double> scrubCpu = std::exchange(cpu, {});
    cursor.moveToCallback(int(index.callbacks().size() / 2));
    for (int i = 0; i < frames; ++i)
        step.push_back(frame([&] { cursor.nextCallback(); }));
    const std::vector<double> stepCpu = std::exchange(cpu, {});

    const Stats s = stats(scrub), k = stats(step), sc = stats(scrubCpu), kc = stats(stepCpu);
    std::printf("trace: %llu records (%llu callbacks, %zu phases, %zu pool tasks), built in %.0f ms, indexed in %.0f ms\n",
                (unsigned long long)trace->recordCount(), (unsigned long long)index.callbacks().size(),
                index.phases().size(), index.poolTasks().size(), buildMs, indexMs);
    std::printf("pane: %dx%d QImage, %d lanes\n", image.width(), image.height(), pane.model().laneCount());
    std::printf("scrub across (%d frames):     wall median %.2f ms, p95 %.2f ms, max %.2f ms; CPU median %.2f ms, p95 %.2f ms, max %.2f ms\n",
                frames, s.median, s.p95, s.max, sc.median, sc.p95, sc.max);
    std::printf("step by callback (%d frames): wall median %.2f ms, p95 %.2f ms, max %.2f ms; CPU median %.2f ms, p95 %.2f ms, max %.2f ms\n",
                frames, k.median, k.p95, k.max, kc.median, kc.p95, kc.max);
    std::printf("target < 16 ms per frame (CPU max): %s\n", sc.max < 16 && kc.max < 16 ? "met" : "NOT met");
    if (index.poolTasks().empty() || pane.model().laneCount() != 4 || index.callbacks().empty()) {
        std::fprintf(stderr, "scrub_frames: the trace is not what was built\n");
        return 1;
    }
    return 0;
}
