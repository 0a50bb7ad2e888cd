// The trace buffer: lock-free appends read concurrently, string interning, drop accounting.
#include "trace.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <ctime>
#include <thread>

using namespace Loopscope::Runtime;

class TestTrace : public QObject {
    Q_OBJECT
private slots:
    void recordsAreCompact();
    void internsStrings();
    void concurrentWritersAndReader();
    void dropsAreCountedAndReported();
    void consoleBytesKeepTheHead();
    void appendIsCheap();
    void timeOrderMergesWithoutCopying();
    void timeOrderRefusesAnUnsortedWriter();
};

// forEachInTimeOrder must visit exactly what records() returns, in its order: several writers,
// many equal times (ties keep writer order, then append order), runs across chunk boundaries,
// an empty writer, a writer with a single record.
void TestTrace::timeOrderMergesWithoutCopying()
{
    Trace trace;
    std::vector<TraceWriter *> writers;
    for (const char *name : {"loop", "worker 1", "worker 2", "empty", "worker 3"})
        writers.push_back(trace.addWriter(name));
    std::uint64_t seed = 12345;
    auto next = [&seed] { seed = seed * 6364136223846793005ull + 1442695040888963407ull; return seed >> 33; };
    std::vector<std::uint64_t> times(writers.size(), 1000);
    for (std::uint64_t i = 0; i < 3 * Trace::kChunkRecords + 17; ++i) {
        const std::size_t w = std::array<std::size_t, 4>{0, 1, 2, 4}[next() % 4];
        times[w] += next() % 3;  // often the same time as before, and as other writers'
        writers[w]->appendAt(times[w], TraceKind::CallbackBefore, std::uint8_t(w), 0, i, 0);
    }
    writers[3]->appendAt(0, TraceKind::IterationStart, 0, 0, 1, 0);  // 'empty' gets one, earliest
    const std::vector<TraceRecord> sorted = trace.records();
    std::vector<const TraceRecord *> visited;
    QVERIFY(trace.forEachInTimeOrder([&](const TraceRecord &r) { visited.push_back(&r); }));
    QCOMPARE(visited.size(), sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        QCOMPARE(visited[i]->timeNs, sorted[i].timeNs);
        QCOMPARE(visited[i]->thread, sorted[i].thread);
        QCOMPARE(visited[i]->b, sorted[i].b);
    }
    // The visits are the trace's own records, not copies.
    std::size_t inside = 0;
    trace.forEach(1, [&](const TraceRecord &r) { inside += std::find(visited.begin(), visited.end(), &r) != visited.end(); });
    std::size_t ofWriter1 = 0;
    trace.forEach(1, [&](const TraceRecord &) { ++ofWriter1; });
    QCOMPARE(inside, ofWriter1);
}

void TestTrace::timeOrderRefusesAnUnsortedWriter()
{
    Trace trace;
    TraceWriter *loop = trace.addWriter("loop");
    TraceWriter *worker = trace.addWriter("worker 1");
    loop->appendAt(10, TraceKind::CallbackBefore, 0, 0, 1, 0);
    worker->appendAt(30, TraceKind::PoolStart, 0, 0, 1, 0);
    worker->appendAt(20, TraceKind::PoolFinish, 0, 0, 1, 0);  // earlier than the one before
    int visits = 0;
    QVERIFY(!trace.forEachInTimeOrder([&](const TraceRecord &) { ++visits; }));
    QCOMPARE(visits, 0);
    QCOMPARE(trace.records().size(), std::size_t(3));
}

// The append path is a clock read, a store and a release: far below a microsecond. Prints the
// figure; fails only if it is off by an order of magnitude. Timed in this thread's CPU time:
// on a loaded machine wall time mostly measures the other processes.
void TestTrace::appendIsCheap()
{
    Trace trace;
    TraceWriter *w = trace.addWriter("loop");
    constexpr int kRecords = 1000000;
    auto cpuNs = [] {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    };
    const std::int64_t start = cpuNs();
    for (int i = 0; i < kRecords; ++i)
        w->append(TraceKind::CallbackBefore, 0, 0, std::uint64_t(i));
    const double nsPerRecord = double(cpuNs() - start) / kRecords;
    qInfo("append: %.1f ns per record, %.1f M records/s", nsPerRecord, 1000.0 / nsPerRecord);
    QCOMPARE(trace.recordCount(), std::uint64_t(kRecords));
    QVERIFY(nsPerRecord < 1000);
}

void TestTrace::recordsAreCompact()
{
    QCOMPARE(sizeof(TraceRecord), size_t(32));
}

void TestTrace::internsStrings()
{
    Trace trace;
    const auto a = trace.intern("Timeout");
    const auto b = trace.intern("Immediate");
    QVERIFY(a != 0 && b != 0 && a != b);
    QCOMPARE(trace.intern("Timeout"), a);
    QCOMPARE(trace.intern(""), 0u);
    QCOMPARE(trace.string(b), std::string("Immediate"));
    QCOMPARE(trace.string(9999), std::string());
}

void TestTrace::concurrentWritersAndReader()
{
    Trace trace;
    constexpr int kWriters = 3;
    constexpr std::uint64_t kPerWriter = 50000;  // many chunks each
    std::atomic<int> ready{0};
    std::atomic<bool> done{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            TraceWriter *out = trace.addWriter("writer " + std::to_string(w));
            ++ready;
            for (std::uint64_t i = 0; i < kPerWriter; ++i)
                QVERIFY(out->append(TraceKind::CallbackBefore, 0, std::uint32_t(w), i, i * 3));
        });
    }
    // The reader checks, while the writers run, that every published record is whole and that
    // each writer's records come in order with no gap.
    std::uint64_t passes = 0;
    bool consistent = true;
    std::thread reader([&] {
        while (!done.load()) {
            for (std::uint16_t w = 0; w < trace.writerCount(); ++w) {
                std::uint64_t expected = 0;
                trace.forEach(w, [&](const TraceRecord &r) {
                    if (r.b != expected || r.c != expected * 3 || r.kind != TraceKind::CallbackBefore)
                        consistent = false;
                    ++expected;
                });
            }
            ++passes;
        }
    });
    for (auto &t : writers)
        t.join();
    done = true;
    reader.join();
    QVERIFY(consistent);
    QVERIFY(passes > 0);
    QCOMPARE(trace.writerCount(), size_t(kWriters));
    QCOMPARE(trace.recordCount(), kWriters * kPerWriter);
    QCOMPARE(trace.dropped(), 0u);
    const auto all = trace.records();
    QCOMPARE(all.size(), size_t(kWriters * kPerWriter));
    QVERIFY(std::is_sorted(all.begin(), all.end(),
                           [](const TraceRecord &x, const TraceRecord &y) { return x.timeNs < y.timeNs; }));
}

void TestTrace::dropsAreCountedAndReported()
{
    // A budget of exactly two chunks.
    Trace trace(2 * Trace::kChunkRecords * sizeof(TraceRecord));
    TraceWriter *w = trace.addWriter("loop");
    const std::uint64_t capacity = 2 * Trace::kChunkRecords;
    std::uint64_t accepted = 0;
    for (std::uint64_t i = 0; i < capacity + 100; ++i)
        accepted += w->append(TraceKind::AsyncDestroy, 0, 0, i) ? 1 : 0;
    QCOMPARE(accepted, capacity);
    QCOMPARE(w->dropped(), 100u);
    QCOMPARE(trace.dropped(), 100u);
    QCOMPARE(trace.recordCount(), capacity);
    QCOMPARE(trace.bytesUsed(), size_t(capacity * 32));

    // The budget is shared by all writers of a trace; drops are counted per writer.
    Trace roomy(3 * Trace::kChunkRecords * sizeof(TraceRecord));
    TraceWriter *a = roomy.addWriter("a");
    TraceWriter *b = roomy.addWriter("b");
    for (std::uint64_t i = 0; i < 2 * Trace::kChunkRecords; ++i)
        QVERIFY(b->append(TraceKind::AsyncDestroy, 0, 0, i));
    for (std::uint64_t i = 0; i < Trace::kChunkRecords; ++i)
        QVERIFY(a->append(TraceKind::AsyncDestroy, 0, 0, i));
    QVERIFY(!a->append(TraceKind::AsyncDestroy, 0, 0, 1));  // budget spent
    QVERIFY(!a->append(TraceKind::AsyncDestroy, 0, 0, 2));
    QCOMPARE(a->dropped(), 2u);
    QCOMPARE(b->dropped(), 0u);
    QCOMPARE(roomy.dropped(), 2u);
}

void TestTrace::consoleBytesKeepTheHead()
{
    Trace trace;
    TraceWriter *w = trace.addWriter("loop");
    w->appendConsoleWrite(2, "hello, world: a long line of output\n");
    std::vector<TraceRecord> rs;
    trace.forEach(0, [&](const TraceRecord &r) { rs.push_back(r); });
    QCOMPARE(rs.size(), size_t(2));
    QCOMPARE(rs[0].kind, TraceKind::ConsoleWrite);
    QCOMPARE(int(rs[0].detail), 2);
    QCOMPARE(rs[0].a, 36u);
    QCOMPARE(rs[1].kind, TraceKind::ConsoleBytes);
    char head[20];
    std::memcpy(head, &rs[1].a, 4);
    std::memcpy(head + 4, &rs[1].b, 8);
    std::memcpy(head + 12, &rs[1].c, 8);
    QCOMPARE(std::string(head, 20), std::string("hello, world: a lon"
                                                "g"));
}

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
