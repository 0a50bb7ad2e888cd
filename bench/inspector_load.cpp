// inspector_load — what loading a large trace into the async inspector costs (issue 6): a
// synthetic trace of N callbacks is built in memory with TraceWriter::appendAt, as a run would
// leave it — each callback's resource created (AsyncInit + AsyncSource: a type, a file and line)
// one callback earlier, then its before/after; loop iterations with their phases every 100
// callbacks. Timed: the inspector's load (TraceIndex + LOD tracks + counters: InspectorModel),
// then a search over all callbacks, the timeline's paint at 30 zoom levels (into an offscreen
// widget, 1600 px; thread CPU time, after one untimed first paint), and a live step: 10 000 more callbacks appended, one update.
// Reports wall and thread CPU time and resident memory (the trace's own records are built
// before the first reading). Also, at --import-callbacks (default 1 M), the JSON import of a
// saved trace: writing it, then reading it back.
// Opening a saved file, measured apart: --export-file writes the synthetic trace of N callbacks
// (plain JSON, or gzip when the name ends in .gz) and stops; --load-file, in a fresh process,
// imports it (the streaming importer) and loads it into the inspector model, reporting time,
// peak resident memory (VmHWM) and its ratio to the trace's own record bytes.
// Not a test: it fails only if what was loaded is not what was built.
// With --live-batch N it follows a live run instead (followLiveRun): every update timed.
//   inspector_load [--callbacks N] [--import-callbacks N] [--with-resources 0|1]
//   inspector_load --export-file PATH [--callbacks N] [--with-resources 0|1]
//   inspector_load --load-file PATH [--callbacks N (expected)]
//   inspector_load [--callbacks N] [--with-resources 0|1] --live-batch N [--live-slice RECORDS]
#include "callbackfilter.h"
#include "constants.h"
#include "inspectormodel.h"
#include "timelinewidget.h"
#include "trace.h"
#include "traceindex.h"
#include "traceexport.h"
#include "traceimport.h"
#include "processmemory.h"

#include <QApplication>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>


using namespace Loopscope;
using Runtime::CallbackQueue;
using Runtime::LoopPhase;
using Runtime::TraceKind;

namespace {

long peakRssMb()
{
    FILE *f = std::fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && std::fgets(line, sizeof line, f))
        if (!std::strncmp(line, "VmHWM:", 6))
            kb = std::strtol(line + 6, nullptr, 10);
    if (f)
        std::fclose(f);
    return kb / 1024;
}

double cpuMs()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Builder {
    Runtime::Trace &trace;
    Runtime::TraceWriter *w;
    bool resources;
    std::uint32_t types[3], files[4];
    std::uint64_t t = 1'000'000'000;
    std::uint64_t next = 0;  // callbacks built so far

    explicit Builder(Runtime::Trace &tr, bool withResources)
        : trace(tr), w(tr.addWriter("loop")), resources(withResources)
    {
        types[0] = tr.intern("Timeout");
        types[1] = tr.intern("PROMISE");
        types[2] = tr.intern("FSREQCALLBACK");
        for (int f = 0; f < 4; ++f)
            files[f] = tr.intern("/srv/app/module" + std::to_string(f) + ".js");
    }
    void add(std::uint64_t count)
    {
        const CallbackQueue queues[] = {CallbackQueue::Timers, CallbackQueue::Microtask, CallbackQueue::Poll};
        for (std::uint64_t end = next + count; next < end; ++next) {
            const std::uint64_t i = next;
            if (i % 100 == 0) {
                w->appendAt(t, TraceKind::IterationStart, 0, 0, i / 100 + 1, 0);
                w->appendAt(t, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers), 0, 0, 0);
            }
            if (i % 100 == 40)
                w->appendAt(t, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Poll), 0, 0, 0);
            const std::uint64_t id = i + 10;
            if (resources) {
                // Made during the previous callback (its trigger), run now.
                w->appendAt(t, TraceKind::AsyncInit, 0, types[i % 3], id, id - 1);
                w->appendAt(t, TraceKind::AsyncSource, 0, files[i % 4], (std::uint64_t(10 + i % 50) << 32) | 3,
                            i % 3 == 0 ? 2 : ~std::uint64_t(0));
            }
            const auto q = queues[i % 3];
            w->appendAt(t += 500, TraceKind::CallbackBefore, std::uint8_t(q), 0, id, 0);
            w->appendAt(t += 2000 + (i % 7) * 300, TraceKind::CallbackAfter, std::uint8_t(q), 0, id, 0);
            if (i % 100 == 99)
                w->appendAt(t, TraceKind::IterationEnd, 0, 0, i / 100 + 1, 0);
        }
    }
};

std::uint64_t argValue(int argc, char **argv, const char *name, std::uint64_t fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], name))
            return std::strtoull(argv[i + 1], nullptr, 10);
    return fallback;
}

const char *argText(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], name))
            return argv[i + 1];
    return nullptr;
}

int exportFile(const std::string &path, std::uint64_t callbacks, bool withResources)
{
    QElapsedTimer wall;
    wall.start();
    Runtime::Trace trace(std::size_t(8) << 30);
    Builder(trace, withResources).add(callbacks);
    std::string error;
    if (!Runtime::writeChromeTrace(trace, path, &error)) {  // written in pieces, as `run --trace` does
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::printf("exported %llu callbacks: file %.0f MB, in %lld ms\n", (unsigned long long)callbacks,
                double(QFileInfo(QString::fromStdString(path)).size()) / 1048576.0, (long long)wall.elapsed());
    return 0;
}

int loadFile(const std::string &path, std::uint64_t expectedCallbacks)
{
    const long startMb = Loopscope::Test::residentKb() / 1024;
    QElapsedTimer wall;
    wall.start();
    double cpu = cpuMs();
    auto trace = std::make_shared<Runtime::Trace>(std::size_t(8) << 30);
    std::string error;
    if (!Runtime::readChromeTrace(path, *trace, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    const qint64 importWall = wall.elapsed();
    const double importCpu = cpuMs() - cpu;
    const long importPeak = peakRssMb();
    const double traceMb = double(trace->bytesUsed()) / 1048576.0;
    const double fileMb = double(QFileInfo(QString::fromStdString(path)).size()) / 1048576.0;
    std::printf("import of %s (%.0f MB): %llu records (%.0f MB of records) in %lld ms wall, %.0f ms CPU (%.0f MB/s of file); "
                "peak resident %ld MB (%.2f x the records; %ld MB before)\n",
                QFileInfo(QString::fromStdString(path)).fileName().toUtf8().constData(), fileMb,
                (unsigned long long)trace->recordCount(), traceMb, (long long)importWall, importCpu,
                fileMb / (importCpu / 1000.0), importPeak, double(importPeak - startMb) / traceMb, startMb);
    wall.restart();
    cpu = cpuMs();
    Inspector::InspectorModel model(trace);
    std::printf("inspector load after it: %lld ms wall, %.0f ms CPU; peak resident, file opened and shown: %ld MB\n",
                (long long)wall.elapsed(), cpuMs() - cpu, peakRssMb());
    if (expectedCallbacks && model.index().callbacks().size() != expectedCallbacks) {
        std::fprintf(stderr, "indexed %zu callbacks, expected %llu\n", model.index().callbacks().size(),
                     (unsigned long long)expectedCallbacks);
        return 1;
    }
    return 0;
}

// --live-batch N: a live run followed the way the pane does (InspectorWidget::refresh every
// 100 ms: the model's update, then the search's, in slices of LiveUpdateRecords records, one per
// event-loop turn), from an empty trace to `callbacks`, N more callbacks per tick. What counts
// is the worst slice: it holds the GUI thread. --live-slice 0 reads each tick whole instead.
int followLiveRun(std::uint64_t callbacks, std::uint64_t batch, bool withResources, std::size_t slice)
{
    auto trace = std::make_shared<Runtime::Trace>(std::size_t(8) << 30);
    Builder builder(*trace, withResources);
    Inspector::InspectorModel model(trace);
    Inspector::CallbackFilter filter;
    filter.setModel(&model);
    filter.setQuery(QStringLiteral("module2"), Inspector::CallbackFilter::Field::File);
    std::vector<double> cpu, wall;
    std::uint64_t worstAt = 0;
    QElapsedTimer clock;
    std::size_t ticks = 0;
    while (builder.next < callbacks) {
        builder.add(std::min(batch, callbacks - builder.next));
        ++ticks;
        do {
            clock.start();
            const double before = cpuMs();
            model.update(slice ? slice : std::size_t(-1));
            filter.update();
            cpu.push_back(cpuMs() - before);
            wall.push_back(double(clock.nsecsElapsed()) / 1e6);
            if (cpu.back() >= *std::max_element(cpu.begin(), cpu.end()))
                worstAt = builder.next;
        } while (model.behind());
    }
    if (model.index().callbacks().size() != callbacks)
        return 1;
    const double worstWall = *std::max_element(wall.begin(), wall.end());
    std::vector<double> sorted = cpu;
    std::sort(sorted.begin(), sorted.end());
    std::printf("live: %zu ticks of %llu callbacks up to %llu, read in %zu updates of %s records: thread CPU per update "
                "median %.2f ms, 99th %.2f ms, worst %.2f ms (at %llu callbacks), %zu over 16 ms; worst wall %.1f ms; "
                "%ld MB peak resident\n",
                ticks, (unsigned long long)batch, (unsigned long long)callbacks, cpu.size(),
                slice ? std::to_string(slice).c_str() : "all new", sorted[sorted.size() / 2],
                sorted[sorted.size() * 99 / 100], sorted.back(), (unsigned long long)worstAt,
                size_t(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), 16.0)), worstWall, peakRssMb());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const std::uint64_t callbacks = argValue(argc, argv, "--callbacks", 10'000'000);
    const std::uint64_t importCallbacks = argValue(argc, argv, "--import-callbacks", 1'000'000);
    const bool withResources = argValue(argc, argv, "--with-resources", 1) != 0;
    if (const char *path = argText(argc, argv, "--export-file"))
        return exportFile(path, callbacks, withResources);
    if (const char *path = argText(argc, argv, "--load-file"))
        return loadFile(path, argValue(argc, argv, "--callbacks", 0));
    if (const std::uint64_t batch = argValue(argc, argv, "--live-batch", 0))
        return followLiveRun(callbacks, batch, withResources,
                             argValue(argc, argv, "--live-slice", Inspector::Constants::LiveUpdateRecords));

    auto trace = std::make_shared<Runtime::Trace>(std::size_t(8) << 30);
    Builder builder(*trace, withResources);
    builder.add(callbacks);
    const std::uint64_t records = trace->recordCount();
    std::printf("trace: %llu callbacks, %llu records (%.0f MB of records)%s\n", (unsigned long long)callbacks,
                (unsigned long long)records, double(trace->bytesUsed()) / 1048576.0,
                withResources ? ", each with its resource's init and source" : "");

    QElapsedTimer wall;
    double cpu = cpuMs();
    {
        // The index alone, to see what the tracks and counters add on top of it.
        Runtime::TraceIndex index(trace);
        index.update();
        std::printf("index alone: %.0f ms CPU\n", cpuMs() - cpu);
    }
    const long before = Loopscope::Test::residentKb();
    wall.start();
    cpu = cpuMs();
    Inspector::InspectorModel model(trace);
    std::printf("load (index + LOD tracks + counters): %lld ms wall, %.0f ms CPU, +%ld MB resident\n",
                (long long)wall.elapsed(), cpuMs() - cpu, (Loopscope::Test::residentKb() - before) / 1024);
    if (model.index().callbacks().size() != callbacks) {
        std::fprintf(stderr, "indexed %zu callbacks, built %llu\n", model.index().callbacks().size(),
                     (unsigned long long)callbacks);
        return 1;
    }

    Inspector::CallbackFilter filter;
    filter.setModel(&model);
    cpu = cpuMs();
    filter.setQuery(QStringLiteral("module2"), Inspector::CallbackFilter::Field::File);
    std::printf("search by file over all callbacks: %.0f ms CPU, %d matches\n", cpuMs() - cpu, filter.matchCount());
    if (withResources && std::uint64_t(filter.matchCount()) != callbacks / 4 + (callbacks % 4 > 2 ? 1 : 0))
        return 1;  // callbacks i with i % 4 == 2 were made in module2.js

    Inspector::TimelineWidget timeline;
    timeline.resize(1600, 520);
    timeline.setModel(&model);
    QImage image(timeline.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> frames;
    // The first paint of any widget sets up fonts and glyphs: timed apart, not as a frame.
    cpu = cpuMs();
    timeline.render(&image);
    std::printf("first paint (with font set-up): %.1f ms CPU\n", cpuMs() - cpu);
    // Thread CPU per frame: what the frame costs, whatever else the machine is doing.
    for (int step = 0; step < 30; ++step) {
        cpu = cpuMs();
        timeline.render(&image);
        frames.push_back(cpuMs() - cpu);
        timeline.viewport().zoom(0.43, 1.6);
    }
    timeline.selectCallback(int(callbacks / 2));
    timeline.revealCallback(int(callbacks / 2));
    cpu = cpuMs();
    timeline.render(&image);
    frames.push_back(cpuMs() - cpu);
    std::printf("frames (ms CPU, zoomed out → in, then the selection):");
    for (double f : frames)
        std::printf(" %.1f", f);
    std::printf("\n");
    std::sort(frames.begin(), frames.end());
    std::printf("timeline frame (thread CPU) at 1600 px, 30 zoom levels + a selection with arrows: median %.2f ms, worst %.2f ms\n",
                frames[frames.size() / 2], frames.back());

    // Live: the trace grows by 10 000 callbacks; the update reads only those.
    builder.add(10'000);
    wall.restart();
    cpu = cpuMs();
    model.update();
    filter.update();
    std::printf("live update after 10 000 more callbacks: %.1f ms CPU, %lld ms wall\n", cpuMs() - cpu,
                (long long)wall.elapsed());
    if (model.index().callbacks().size() != callbacks + 10'000)
        return 1;

    std::printf("peak resident so far (trace + index + widget): %ld MB\n", peakRssMb());
    if (importCallbacks) {
        auto small = std::make_shared<Runtime::Trace>(std::size_t(2) << 30);
        Builder(*small, withResources).add(importCallbacks);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("t.json")).toStdString();
        std::string error;
        wall.restart();
        if (!Runtime::writeChromeTrace(*small, path, &error)) {
            std::fprintf(stderr, "%s\n", error.c_str());
            return 1;
        }
        const qint64 writeMs = wall.elapsed();
        const long beforeImport = Loopscope::Test::residentKb();
        wall.restart();
        auto read = std::make_shared<Runtime::Trace>(std::size_t(2) << 30);
        if (!Runtime::readChromeTrace(path, *read, &error)) {
            std::fprintf(stderr, "%s\n", error.c_str());
            return 1;
        }
        const qint64 importMs = wall.elapsed();
        const long peak = Loopscope::Test::residentKb();
        Inspector::InspectorModel imported(read);
        std::printf("file of %llu callbacks: written in %lld ms; imported in %lld ms (+%ld MB), loaded in %lld ms more\n",
                    (unsigned long long)importCallbacks, (long long)writeMs, (long long)importMs,
                    (peak - beforeImport) / 1024, (long long)(wall.elapsed() - importMs));
        if (imported.index().callbacks().size() != importCallbacks)
            return 1;
    }
    return 0;
}
