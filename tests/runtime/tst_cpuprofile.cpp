// The CPU profiler end to end: V8's samples become a consistent tree, the hot function of a
// CPU-bound script is named with its source line, samples sit on the trace clock inside the
// callback that ran them, and .cpuprofile files (ours and `node --cpu-prof`'s) read back.

#include "cpuprofile.h"
#include "cpuprofilefile.h"
#include "runtypes.h"
#include "scriptrun.h"
#include "trace.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <map>

using namespace Loopscope::Runtime;

namespace {

struct Quiet final : RunObserver {
    std::string out, err;
    void outputWritten(OutputStream s, std::string_view bytes) override
    {
        (s == OutputStream::Stderr ? err : out).append(bytes);
    }
    void runFinished(const RunResult &) override {}
};

const QString hotScript = QStringLiteral(LOOPSCOPE_TEST_DATA "/profile/hot.js");

RunResult profiledRun(const QString &script, std::shared_ptr<Trace> trace = nullptr, int intervalUs = 500,
                      std::string *out = nullptr)
{
    RunOptions options;
    options.scriptPath = QFileInfo(script).canonicalFilePath().toStdString();
    options.cpuProfile = true;
    options.cpuProfileIntervalUs = intervalUs;
    options.trace = std::move(trace);
    Quiet observer;
    ScriptRun run(options, &observer);
    run.start();
    run.wait();
    if (out)
        *out = observer.out + observer.err;
    return run.result();
}

// The node whose own samples cover the most time.
const CpuProfileNode *hottest(const CpuProfile &p)
{
    const auto self = p.selfTimesUs();
    size_t best = 0;
    for (size_t i = 0; i < p.nodes.size(); ++i) {
        const std::string &name = p.nodes[i].callFrame.functionName;
        if (!name.empty() && name.front() == '(')
            continue;  // (root), (program), (idle), (garbage collector)
        if (self[i] > self[best] || p.nodes[best].callFrame.functionName.front() == '(')
            best = i;
    }
    return &p.nodes[best];
}

// Per node: total = own samples + children's totals, and the root's total = all samples.
void checkTotals(const CpuProfile &p)
{
    const auto self = p.selfSampleCounts();
    const auto total = p.totalSampleCounts();
    const auto index = p.indexById();
    QCOMPARE(total[0], std::int64_t(p.samples.size()));
    for (size_t i = 0; i < p.nodes.size(); ++i) {
        std::int64_t sum = self[i];
        for (int child : p.nodes[i].children)
            sum += total[size_t(index.at(child))];
        QCOMPARE(total[i], sum);
        QCOMPARE(std::int64_t(p.nodes[i].hitCount), self[i]);  // what the .cpuprofile says too
    }
    const auto totalTime = p.totalTimesUs();
    QVERIFY(totalTime[0] > 0);
    QVERIFY(totalTime[0] <= p.endTime - p.startTime);
}

} // namespace

class TestCpuProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void profileOfCpuBoundScriptNamesItsHotFunction()
    {
        std::string output;
        const RunResult r = profiledRun(hotScript, nullptr, 500, &output);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(output, std::string("hot true\n"));
        QVERIFY(r.cpuProfile);
        const CpuProfile &p = *r.cpuProfile;
        std::string error;
        QVERIFY2(p.validate(&error), error.c_str());
        QCOMPARE(p.samplingIntervalUs, 500);
        // 300 ms at 500 µs: ~600 samples on an idle machine; a loaded one starves V8's sampler
        // thread (measured: a quarter of that at load 13), so only a floor is asserted.
        QVERIFY2(p.samples.size() >= 30, std::to_string(p.samples.size()).c_str());
        const CpuProfileNode *hot = hottest(p);
        QCOMPARE(hot->callFrame.functionName, std::string("hotLoop"));
        QVERIFY(QString::fromStdString(hot->callFrame.url).endsWith(QLatin1String("profile/hot.js")));
        QCOMPARE(hot->callFrame.lineNumber, 3);  // 0-based: `function hotLoop` is line 4
        QCOMPARE(p.nodes[0].callFrame.functionName, std::string("(root)"));
        // hotLoop runs under onTimer: its parent in the tree.
        const auto parents = p.parentIndexes();
        const int hotIndex = int(hot - p.nodes.data());
        QCOMPARE(p.nodes[size_t(parents[size_t(hotIndex)])].callFrame.functionName, std::string("onTimer"));
    }

    void treeTotalsEqualSampleCounts()
    {
        const RunResult r = profiledRun(hotScript, nullptr, 200);
        QVERIFY(r.cpuProfile);
        checkTotals(*r.cpuProfile);
    }

    void samplesSitOnTheTraceClockInsideTheirCallback()
    {
        auto trace = std::make_shared<Trace>();
        const std::uint64_t before = Trace::now();
        const RunResult r = profiledRun(hotScript, trace);
        const std::uint64_t after = Trace::now();
        QVERIFY(r.cpuProfile);
        const CpuProfile &p = *r.cpuProfile;
        QCOMPARE(p.traceOffsetNs, std::int64_t(0));  // Linux: V8's TimeTicks are CLOCK_MONOTONIC
        const auto times = p.sampleTimesUs();
        for (std::int64_t t : times) {
            QVERIFY(p.toTraceNs(t) >= before);
            QVERIFY(p.toTraceNs(t) <= after);
        }
        // The Timeout callback that ran hotLoop, from the trace.
        std::uint64_t cbStart = 0, cbEnd = 0;
        for (const TraceRecord &rec : trace->records()) {
            if (rec.kind == TraceKind::CallbackBefore && CallbackQueue(rec.detail) == CallbackQueue::Timers && !cbStart)
                cbStart = rec.timeNs;
            else if (rec.kind == TraceKind::CallbackAfter && CallbackQueue(rec.detail) == CallbackQueue::Timers
                     && cbStart && !cbEnd)
                cbEnd = rec.timeNs;
        }
        QVERIFY(cbStart && cbEnd > cbStart);
        const auto index = p.indexById();
        int hotSamples = 0;
        for (size_t i = 0; i < p.samples.size(); ++i) {
            if (p.nodes[size_t(index.at(p.samples[i]))].callFrame.functionName != "hotLoop")
                continue;
            ++hotSamples;
            const std::uint64_t ns = p.toTraceNs(times[i]);
            QVERIFY2(ns >= cbStart && ns <= cbEnd + 1'000'000,
                     qPrintable(QStringLiteral("sample at %1 outside the callback [%2, %3]").arg(ns).arg(cbStart).arg(cbEnd)));
        }
        QVERIFY(hotSamples > 10);
    }

    void cpuProfileFileRoundTrip()
    {
        const RunResult r = profiledRun(hotScript, nullptr, 500);
        QVERIFY(r.cpuProfile);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("run.cpuprofile")).toStdString();
        std::string error;
        QVERIFY2(writeCpuProfile(*r.cpuProfile, path, &error), error.c_str());
        CpuProfile back;
        QVERIFY2(readCpuProfile(path, back, &error), error.c_str());
        const CpuProfile &p = *r.cpuProfile;
        QCOMPARE(back.nodes.size(), p.nodes.size());
        for (size_t i = 0; i < p.nodes.size(); ++i) {
            QCOMPARE(back.nodes[i].id, p.nodes[i].id);
            QVERIFY(back.nodes[i].callFrame == p.nodes[i].callFrame);
            QCOMPARE(back.nodes[i].hitCount, p.nodes[i].hitCount);
            QCOMPARE(back.nodes[i].children, p.nodes[i].children);
        }
        QCOMPARE(back.samples, p.samples);
        QCOMPARE(back.timeDeltas, p.timeDeltas);
        QCOMPARE(back.startTime, p.startTime);
        QCOMPARE(back.endTime, p.endTime);
        QCOMPARE(back.totalTimesUs(), p.totalTimesUs());
        // And the bytes are stable: writing what was read gives the same file.
        QCOMPARE(cpuProfileToJson(back), cpuProfileToJson(p));
    }

    void formatRulesOfOurOutput()
    {
        // Chrome DevTools' Profiler.Profile: scriptId is a string, ids positive, children ids.
        CpuProfile p;
        p.nodes = {{1, {"(root)", "", 0, -1, -1}, 0, {2}}, {2, {"f \"q\"\n", "file:///a.js", 7, 2, 4}, 2, {}}};
        p.samples = {2, 2};
        p.timeDeltas = {10, 20};
        p.startTime = 100;
        p.endTime = 150;
        const std::string json = cpuProfileToJson(p);
        QVERIFY(json.find("\"scriptId\":\"7\"") != std::string::npos);
        QVERIFY(json.find("\"functionName\":\"f \\\"q\\\"\\n\"") != std::string::npos);
        CpuProfile back;
        std::string error;
        QVERIFY2(cpuProfileFromJson(json, back, &error), error.c_str());
        QCOMPARE(back.nodes[1].callFrame.functionName, std::string("f \"q\"\n"));
        // Samples at 110 and 130: each lasts until the next one, the last until endTime (150).
        QCOMPARE(back.selfTimesUs()[1], std::int64_t(20 + 20));
    }

    void importsNodeCpuProf()
    {
        QTemporaryDir dir;
        QProcess node;
        node.setWorkingDirectory(dir.path());
        node.start(QStringLiteral(LOOPSCOPE_NODE),
                   {QStringLiteral("--cpu-prof"), QStringLiteral("--cpu-prof-dir=") + dir.path(),
                    QStringLiteral("--cpu-prof-name=node.cpuprofile"), hotScript, QStringLiteral("200")});
        QVERIFY(node.waitForFinished(120000));
        QCOMPARE(node.exitCode(), 0);
        CpuProfile p;
        std::string error;
        QVERIFY2(readCpuProfile(dir.filePath(QStringLiteral("node.cpuprofile")).toStdString(), p, &error), error.c_str());
        QVERIFY(p.samples.size() > 20);
        QCOMPARE(hottest(p)->callFrame.functionName, std::string("hotLoop"));
        const auto total = p.totalSampleCounts();
        QCOMPARE(total[0], std::int64_t(p.samples.size()));
    }

    void malformedFilesGiveClearErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const QByteArray node1 = R"({"id":1,"callFrame":{"functionName":"root","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1}})";
        QTest::newRow("not json") << QByteArray("{\"nodes\": [") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("top level is not a JSON object");
        QTest::newRow("no nodes") << QByteArray("{}") << QStringLiteral("\"nodes\" is missing");
        QTest::newRow("empty nodes") << QByteArray(R"({"nodes":[],"startTime":0,"endTime":0})")
                                     << QStringLiteral("no nodes");
        QTest::newRow("bad id") << QByteArray(R"({"nodes":[{"id":"x"}],"startTime":0,"endTime":0})")
                                << QStringLiteral("nodes[0].id");
        QTest::newRow("no callFrame") << QByteArray(R"({"nodes":[{"id":1}],"startTime":0,"endTime":0})")
                                      << QStringLiteral("nodes[0].callFrame is missing");
        QTest::newRow("url number")
            << QByteArray(R"({"nodes":[{"id":1,"callFrame":{"functionName":"","url":5,"lineNumber":0,"columnNumber":0}}],"startTime":0,"endTime":0})")
            << QStringLiteral("nodes[0].callFrame.url");
        QTest::newRow("missing child") << QByteArray(R"({"nodes":[)" + node1.chopped(1) + R"(,"children":[9]}],"startTime":0,"endTime":1})")
                                       << QStringLiteral("child 9 that is not in the profile");
        QTest::newRow("cycle") << QByteArray(R"({"nodes":[)" + node1 + R"(,{"id":2,"callFrame":{"functionName":"a","url":"","lineNumber":0,"columnNumber":0},"children":[3]},{"id":3,"callFrame":{"functionName":"b","url":"","lineNumber":0,"columnNumber":0},"children":[2]}],"startTime":0,"endTime":1})")
                               << QStringLiteral("node 2 is not under the root node");
        QTest::newRow("two parents") << QByteArray(R"({"nodes":[)" + node1.chopped(1) + R"(,"children":[2,3]},{"id":2,"callFrame":{"functionName":"a","url":"","lineNumber":0,"columnNumber":0},"children":[3]},{"id":3,"callFrame":{"functionName":"b","url":"","lineNumber":0,"columnNumber":0}}],"startTime":0,"endTime":1})")
                                     << QStringLiteral("node 3 has more than one parent");
        QTest::newRow("unknown sample") << QByteArray(R"({"nodes":[)" + node1 + R"(],"startTime":0,"endTime":1,"samples":[4],"timeDeltas":[1]})")
                                        << QStringLiteral("sample 0 names node 4");
        QTest::newRow("deltas short") << QByteArray(R"({"nodes":[)" + node1 + R"(],"startTime":0,"endTime":1,"samples":[1,1],"timeDeltas":[1]})")
                                      << QStringLiteral("differ in length");
        QTest::newRow("fractional time") << QByteArray(R"({"nodes":[)" + node1 + R"(],"startTime":0.5,"endTime":1})")
                                         << QStringLiteral("\"startTime\"");
        QTest::newRow("huge number") << QByteArray(R"({"nodes":[)" + node1 + R"(],"startTime":1e300,"endTime":1})")
                                     << QStringLiteral("\"startTime\"");
    }

    void malformedFilesGiveClearErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        CpuProfile p;
        std::string error;
        QVERIFY(!cpuProfileFromJson(json.toStdString(), p, &error));
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
        QVERIFY(p.isEmpty());  // nothing half-read
    }

    void missingFileIsAnError()
    {
        CpuProfile p;
        std::string error;
        QVERIFY(!readCpuProfile("/nonexistent/x.cpuprofile", p, &error));
        QVERIFY(error.find("cannot read") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCpuProfile)
#include "tst_cpuprofile.moc"
