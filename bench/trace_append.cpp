// trace_append — how fast the recorder itself can append: events per second of
// TraceWriter::append (stamped with Trace::now(), as the loop thread records) and of
// TraceWriter::appendAt (a given time: the store alone), on one writer, first alone and then with
// a reader thread following the trace as the GUI does (Trace::forEachFrom). This is the ceiling
// the end-to-end figures of bench/trace-benchmarks (docs/benchmarks.md §6) are measured against.
// Not a test: it fails only if records go missing.
//   trace_append [--events N] [--runs N]
#include "trace.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>
#include <vector>

using namespace Loopscope::Runtime;

namespace {

// The writer thread's own CPU time: on a shared machine its wall time mostly measures the others.
double threadCpuSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Appends `events` records the way a promise's init/source/before/after/resolve come in; returns
// the events per second of the writer thread's CPU time, or -1 if the trace does not hold them all.
double run(std::uint64_t events, bool stamped, bool withReader)
{
    Trace trace(std::size_t(events + 4096) * sizeof(TraceRecord) * 2);
    TraceWriter *writer = trace.addWriter("loop");
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> seen{0};
    std::thread reader;
    if (withReader) {
        reader = std::thread([&] {
            std::size_t position = 0;
            std::uint64_t kinds = 0;
            for (;;) {
                const bool last = done.load(std::memory_order_acquire);
                position = trace.forEachFrom(0, position, [&](const TraceRecord &r) { kinds += r.kind != TraceKind::None; });
                if (last)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(16));  // a GUI frame
            }
            seen.store(std::min<std::uint64_t>(position, kinds), std::memory_order_release);
        });
    }
    const double t0 = threadCpuSeconds();
    for (std::uint64_t i = 0; i < events; ++i) {
        const auto kind = TraceKind(5 + (i % 6));
        if (stamped)
            writer->append(kind, 0, 3, i, i);
        else
            writer->appendAt(i, kind, 0, 3, i, i);
    }
    const double t1 = threadCpuSeconds();
    done.store(true, std::memory_order_release);
    if (withReader) {
        reader.join();
        if (seen.load() != events)
            return -1;
    }
    if (trace.recordCount() != events || trace.dropped() != 0)
        return -1;
    return double(events) / (t1 - t0);
}

} // namespace

int main(int argc, char **argv)
{
    std::uint64_t events = 20'000'000;
    int runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--events"))
            events = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--runs"))
            runs = std::atoi(argv[i + 1]);
    }
    std::printf("trace_append: %llu events per run, median of %d runs, %zu-byte records, per second of the writer's CPU time\n",
                static_cast<unsigned long long>(events), runs, sizeof(TraceRecord));
    struct Case { const char *name; bool stamped; bool reader; };
    const Case cases[] = {
        {"append (Trace::now per record)", true, false},
        {"appendAt (store only)", false, false},
        {"append, reader following", true, true},
    };
    for (const Case &c : cases) {
        std::vector<double> rates;
        for (int r = 0; r < runs; ++r) {
            const double rate = run(events, c.stamped, c.reader);
            if (rate < 0) {
                std::fprintf(stderr, "trace_append: records went missing (%s)\n", c.name);
                return 1;
            }
            rates.push_back(rate);
        }
        std::sort(rates.begin(), rates.end());
        const double median = rates[rates.size() / 2];
        std::printf("  %-34s %8.1f M events/s  %6.1f ns/event\n", c.name, median / 1e6, 1e9 / median);
    }
    return 0;
}
