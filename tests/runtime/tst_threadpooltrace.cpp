// Thread-pool lanes: work submitted on the loop, started and finished on named workers,
// completed on the loop; the pool's size limits how many run at once.
#include "threadpooltrace.h"
#include "traceexport.h"
#include "traceruns.h"

#include <QtTest>

#include <map>
#include <set>

using namespace Loopscope::Runtime;

class TestThreadPoolTrace : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // libuv reads it once, when the pool starts: before any run in this process.
        qputenv("UV_THREADPOOL_SIZE", "4");
    }
    void fourOfSixStartTogether();
    void readFileStepsRunOnWorkers();
};

namespace {
struct Work {
    std::string what;
    std::uint64_t submit = 0, start = 0, finish = 0, complete = 0;
    int startWriter = -1, finishWriter = -1, submitWriter = -1, completeWriter = -1;
};

std::map<std::uint64_t, Work> poolWork(const Trace &trace)
{
    std::map<std::uint64_t, Work> work;
    for (std::size_t w = 0; w < trace.writerCount(); ++w) {
        trace.forEach(std::uint16_t(w), [&](const TraceRecord &r) {
            switch (r.kind) {
            case TraceKind::PoolSubmit:
                work[r.b].what = trace.string(r.a);
                work[r.b].submit = r.timeNs;
                work[r.b].submitWriter = int(w);
                break;
            case TraceKind::PoolStart: work[r.b].start = r.timeNs; work[r.b].startWriter = int(w); break;
            case TraceKind::PoolFinish: work[r.b].finish = r.timeNs; work[r.b].finishWriter = int(w); break;
            case TraceKind::PoolComplete: work[r.b].complete = r.timeNs; work[r.b].completeWriter = int(w); break;
            default: break;
            }
        });
    }
    return work;
}
}

void TestThreadPoolTrace::fourOfSixStartTogether()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-pbkdf2.js"));
    QCOMPARE(run.out, std::string("done\n"));
    QVERIFY2(ThreadPoolTrace::available(), "this executable does not carry the pool interceptions");
    const Trace &trace = *run.trace;
    std::vector<Work> jobs;
    for (auto &[id, w] : poolWork(trace))
        if (w.what == "work")
            jobs.push_back(w);
    QCOMPARE(jobs.size(), size_t(6));
    std::sort(jobs.begin(), jobs.end(), [](const Work &a, const Work &b) { return a.start < b.start; });
    std::uint64_t firstFinish = UINT64_MAX;
    std::set<int> firstWorkers;
    for (const Work &w : jobs) {
        QCOMPARE(trace.writerName(std::uint16_t(w.submitWriter)), std::string("loop"));
        QCOMPARE(trace.writerName(std::uint16_t(w.completeWriter)), std::string("loop"));
        QVERIFY(QString::fromStdString(trace.writerName(std::uint16_t(w.startWriter))).startsWith("worker "));
        QCOMPARE(w.finishWriter, w.startWriter);
        QVERIFY(w.submit <= w.start && w.start < w.finish && w.finish <= w.complete);
        firstFinish = std::min(firstFinish, w.finish);
    }
    for (int i = 0; i < 4; ++i) {
        QVERIFY2(jobs[i].start < firstFinish, "the first four start before any finishes");
        firstWorkers.insert(jobs[i].startWriter);
    }
    QCOMPARE(firstWorkers.size(), size_t(4));
    for (int i = 4; i < 6; ++i) {
        QVERIFY2(jobs[i].start >= firstFinish, "the other two wait for a free worker");
        QVERIFY(firstWorkers.count(jobs[i].startWriter));  // a pool of four: no fifth thread
    }
    const TraceSummary s = summarizeTrace(trace);
    QCOMPARE(s.poolTasks, 6u);
    QVERIFY(s.maxPoolQueueWaitNs >= jobs[4].start - jobs[4].submit);
}

void TestThreadPoolTrace::readFileStepsRunOnWorkers()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-readfile.js"));
    QCOMPARE(run.out, std::string("read\n"));
    const Trace &trace = *run.trace;
    QStringList steps;
    for (auto &[id, w] : poolWork(trace)) {  // ids grow in submission order
        steps << QString::fromStdString(w.what);
        QVERIFY(QString::fromStdString(trace.writerName(std::uint16_t(w.startWriter))).startsWith("worker "));
        QVERIFY(w.complete >= w.finish);
    }
    QCOMPARE(steps, (QStringList{"fs.open", "fs.fstat", "fs.read", "fs.close"}));
}

QTEST_GUILESS_MAIN(TestThreadPoolTrace)
#include "tst_threadpooltrace.moc"
