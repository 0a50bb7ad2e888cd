// The Chrome trace-event JSON obeys the format's rules (docs: "Trace Event Format"): every event
// has ph/pid/tid/ts; B/E pairs balance per thread in time order; X slices have a duration and
// nest with each other and with B/E slices (contained or disjoint, never crossing); every flow
// end has an earlier start with the same id; each thread used is named; counters are numbers.
#include "traceexport.h"
#include "traceruns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <map>
#include <set>

using namespace Loopscope::Runtime;

class TestTraceExport : public QObject {
    Q_OBJECT
private slots:
    void followsTheFormat_data();
    void followsTheFormat();
    void gzipRoundTrip();
    void writtenInPiecesIsTheWholeJson();
    void savingCopiesNoRecords();
    void writerOutOfTimeOrderStillExports();
    void summaryCountsWhatRan();
    void dropsAreShown();
};

void TestTraceExport::dropsAreShown()
{
    Trace trace(Trace::kChunkRecords * sizeof(TraceRecord));  // one chunk
    TraceWriter *w = trace.addWriter("loop");
    for (std::size_t i = 0; i < Trace::kChunkRecords + 7; ++i)
        w->append(TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Poll));
    const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(traceToChromeJson(trace))).object();
    QCOMPARE(doc.value("otherData").toObject().value("dropped").toInt(), 7);
    int shown = 0;
    for (const QJsonValue &v : doc.value("traceEvents").toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value("name").toString() == "records dropped") {
            QCOMPARE(e.value("args").toObject().value("count").toInt(), 7);
            QCOMPARE(e.value("tid").toInt(), 1);
            ++shown;
        }
    }
    QCOMPARE(shown, 1);
    QVERIFY(formatTraceSummary(summarizeTrace(trace)).find("events dropped                          7") != std::string::npos);
}

namespace {
struct Span { qint64 begin, end; QString what; };  // ns

// Timestamps are µs printed with three decimals: whole nanoseconds, compared as integers.
qint64 ns(double micros) { return qint64(std::llround(micros * 1000.0)); }

// Two spans on one thread may be disjoint or one inside the other, never crossing.
bool crosses(const Span &a, const Span &b)
{
    const bool disjoint = a.end <= b.begin || b.end <= a.begin;
    const bool aInB = b.begin <= a.begin && a.end <= b.end;
    const bool bInA = a.begin <= b.begin && b.end <= a.end;
    return !(disjoint || aInB || bInA);
}
}

void TestTraceExport::followsTheFormat_data()
{
    QTest::addColumn<QString>("script");
    for (const char *s : {"01-main-module.js", "02-io-callback.js", "06-immediate-chain.js", "07-close-phase.js",
                          "08-errors.js", "10-exit-code.js"})
        QTest::newRow(s) << QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/") + s;
    // Worker tracks: pool work as X slices on threads of their own.
    QTest::newRow("pool-pbkdf2.js") << QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-pbkdf2.js");
}

void TestTraceExport::followsTheFormat()
{
    QFETCH(QString, script);
    const auto run = TraceTests::runTraced(script);
    const std::string json = traceToChromeJson(*run.trace);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.isObject());
    const QJsonArray events = doc.object().value("traceEvents").toArray();
    QVERIFY(events.size() > 10);

    std::map<int, std::vector<double>> openB;
    std::map<int, std::vector<Span>> spans;
    std::set<int> named, used;
    std::map<qint64, double> flowStarts;
    int flowEnds = 0, phases = 0, callbacks = 0, counters = 0, closeRequests = 0;
    std::map<int, double> lastBE;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        const QString ph = e.value("ph").toString();
        QVERIFY2(ph.size() == 1, qPrintable(ph));
        QVERIFY(e.value("pid").isDouble());
        QVERIFY(e.value("tid").isDouble());
        QVERIFY(e.value("ts").isDouble());
        const int tid = e.value("tid").toInt();
        const double ts = e.value("ts").toDouble();
        QVERIFY(ts >= 0);
        if (ph == "M") {
            if (e.value("name").toString() == "thread_name") {
                QVERIFY(!e.value("args").toObject().value("name").toString().isEmpty());
                named.insert(tid);
            }
            continue;
        }
        used.insert(tid);
        if (ph == "B" || ph == "E") {
            QVERIFY2(ts >= lastBE[tid], "B/E events of a thread must be in time order");
            lastBE[tid] = ts;
            if (ph == "B") {
                QVERIFY(!e.value("name").toString().isEmpty());
                QVERIFY(!e.value("args").toObject().value("queue").toString().isEmpty());
                openB[tid].push_back(ts);
                ++callbacks;
            } else {
                QVERIFY2(!openB[tid].empty(), "E without B");
                spans[tid].push_back({ns(openB[tid].back()), ns(ts), "callback"});
                openB[tid].pop_back();
            }
        } else if (ph == "X") {
            QVERIFY(e.value("dur").isDouble());
            QVERIFY(e.value("dur").toDouble() >= 0);
            spans[tid].push_back({ns(ts), ns(ts) + ns(e.value("dur").toDouble()), e.value("name").toString()});
            if (e.value("cat").toString() == "phase")
                ++phases;
        } else if (ph == "s") {
            const qint64 id = qint64(e.value("id").toDouble());
            QVERIFY2(!flowStarts.count(id), "flow ids are unique");
            flowStarts[id] = ts;
        } else if (ph == "f") {
            const qint64 id = qint64(e.value("id").toDouble());
            QVERIFY2(flowStarts.count(id), "a flow end needs its start");
            QVERIFY(flowStarts[id] <= ts);
            QCOMPARE(e.value("bp").toString(), QString("e"));
            ++flowEnds;
        } else if (ph == "C") {
            const QJsonObject args = e.value("args").toObject();
            QVERIFY(!args.isEmpty());
            for (const QJsonValue &a : args)
                QVERIFY(a.isDouble() && a.toDouble() >= 0);
            ++counters;
        } else {
            QCOMPARE(ph, QString("i"));
            QCOMPARE(e.value("s").toString(), QString("t"));
            if (e.value("cat").toString() == "close") {
                QVERIFY(e.value("args").toObject().value("asyncId").isDouble());
                ++closeRequests;
            }
        }
    }
    for (auto &[tid, open] : openB)
        QVERIFY2(open.empty(), "every B has its E");
    for (int tid : used)
        QVERIFY2(named.count(tid), "every thread used is named");
    for (auto &[tid, list] : spans) {
        for (size_t i = 0; i < list.size(); ++i)
            for (size_t j = i + 1; j < list.size(); ++j)
                QVERIFY2(!crosses(list[i], list[j]),
                         qPrintable(QString("%1 [%2, %3] crosses %4 [%5, %6]")
                                        .arg(list[i].what).arg(list[i].begin).arg(list[i].end)
                                        .arg(list[j].what).arg(list[j].begin).arg(list[j].end)));
    }
    QVERIFY(phases > 0);
    if (script.endsWith("pool-pbkdf2.js"))
        QVERIFY2(used.size() >= 5, "the loop and four workers");
    // The destroyed sockets' close(callback), as instants on the loop's track.
    if (script.endsWith("07-close-phase.js"))
        QVERIFY(closeRequests >= 1);
    if (!script.endsWith("09-emitter-sync.js")) {
        QVERIFY(callbacks > 0);
        QVERIFY(flowEnds > 0);
        QVERIFY(counters > 0);
    }
}

void TestTraceExport::gzipRoundTrip()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/01-main-module.js"));
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/t.json.gz").toStdString();
    std::string error;
    QVERIFY(writeChromeTrace(*run.trace, path, &error));
    gzFile f = gzopen(path.c_str(), "rb");
    QVERIFY(f);
    std::string back;
    char buf[4096];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        back.append(buf, size_t(n));
    gzclose(f);
    QCOMPARE(back, traceToChromeJson(*run.trace));
    QVERIFY(!writeChromeTrace(*run.trace, "/nonexistent-dir/t.json", &error));
    QVERIFY(!error.empty());
}

// A file is written a piece at a time (about 1 MiB each, between events): for a trace several
// pieces long, plain and gzip files hold exactly the JSON built whole.
void TestTraceExport::writtenInPiecesIsTheWholeJson()
{
    Trace trace;
    TraceWriter *w = trace.addWriter("loop");
    const std::uint32_t timeout = trace.intern("Timeout");
    for (std::uint64_t id = 1; id <= 30000; ++id) {
        w->append(TraceKind::AsyncInit, 0, timeout, id, 0);
        w->append(TraceKind::CallbackBefore, std::uint8_t(CallbackQueue::Timers), 0, id);
        w->append(TraceKind::CallbackAfter, std::uint8_t(CallbackQueue::Timers), 0, id);
    }
    const std::string whole = traceToChromeJson(trace);
    QVERIFY2(whole.size() > 3 * (std::size_t(1) << 20), "the trace must take several pieces");
    QTemporaryDir dir;
    std::string error;
    const std::string plain = (dir.path() + "/t.json").toStdString();
    QVERIFY(writeChromeTrace(trace, plain, &error));
    QFile file(QString::fromStdString(plain));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().toStdString() == whole);
    const std::string gz = (dir.path() + "/t.json.gz").toStdString();
    QVERIFY(writeChromeTrace(trace, gz, &error));
    gzFile f = gzopen(gz.c_str(), "rb");
    QVERIFY(f);
    std::string back;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        back.append(buf, size_t(n));
    gzclose(f);
    QVERIFY(back == whole);
}

namespace {
// This process's peak resident memory (KiB) since the last resetPeak().
long peakKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    return 0;
}

bool resetPeak()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}
} // namespace

// Saving merges the writers' records where they are: a big trace is not copied first (at 10 M
// callbacks a copy was ~1.3 GB). 2 M records (64 MB) saved to /dev/null must not raise the
// process's peak memory by half of that.
void TestTraceExport::savingCopiesNoRecords()
{
    Trace trace(std::size_t(1) << 30);
    TraceWriter *loop = trace.addWriter("loop");
    TraceWriter *worker = trace.addWriter("worker 1");
    constexpr std::uint64_t kRecords = 2000000;
    for (std::uint64_t i = 0; i < kRecords / 2; ++i) {
        loop->appendAt(2 * i, TraceKind::PhaseEnter, std::uint8_t(i % 2 ? LoopPhase::Poll : LoopPhase::Check), 0, 0, 0);
        worker->appendAt(2 * i + 1, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers), 0, 0, 0);
    }
    const long recordsKb = long(kRecords * sizeof(TraceRecord) / 1024);
    QVERIFY2(resetPeak(), "needs /proc/self/clear_refs (Linux 4.0 on) to measure the peak");
    const long before = peakKb();
    QVERIFY(before > recordsKb);  // the trace itself is resident
    std::string error;
    QVERIFY2(writeChromeTrace(trace, "/dev/null", &error), error.c_str());
    const long grew = peakKb() - before;
    qInfo("saving %llu records (%ld KiB) raised the peak by %ld KiB", static_cast<unsigned long long>(kRecords),
          recordsKb, grew);
    QVERIFY2(grew < recordsKb / 2, qPrintable(QStringLiteral("peak grew by %1 KiB").arg(grew)));
}

// A trace whose writer holds records out of time order (appendAt with earlier times, as an
// importer or a test may write) is sorted first, as before, and loses nothing.
void TestTraceExport::writerOutOfTimeOrderStillExports()
{
    Trace trace;
    TraceWriter *loop = trace.addWriter("loop");
    TraceWriter *worker = trace.addWriter("worker 1");
    const std::uint32_t fs = trace.intern("fs");
    loop->appendAt(1000, TraceKind::PoolSubmit, 0, fs, 7, 0);
    worker->appendAt(5000, TraceKind::PoolFinish, 0, 0, 7, 0);
    worker->appendAt(2000, TraceKind::PoolStart, 0, 0, 7, 0);  // earlier than the one before
    loop->appendAt(6000, TraceKind::PoolComplete, 0, 0, 7, 0);
    const QJsonObject doc = QJsonDocument::fromJson(QByteArray::fromStdString(traceToChromeJson(trace))).object();
    QCOMPARE(doc.value("otherData").toObject().value("records").toInt(), 4);
    bool workSlice = false;
    for (const QJsonValue &v : doc.value("traceEvents").toArray()) {
        const QJsonObject e = v.toObject();
        if (e.value("ph").toString() == "X" && e.value("tid").toInt() == 2) {
            QCOMPARE(e.value("ts").toDouble(), 1.0);   // 2000 ns after the first record
            QCOMPARE(e.value("dur").toDouble(), 3.0);
            workSlice = true;
        }
    }
    QVERIFY(workSlice);
}

void TestTraceExport::summaryCountsWhatRan()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/06-immediate-chain.js"));
    const TraceSummary s = summarizeTrace(*run.trace);
    // Three immediates in two check phases: at least two iterations, exactly three check callbacks.
    QCOMPARE(s.callbacksByQueue[int(CallbackQueue::Check)], 3u);
    QVERIFY(s.iterations >= 2);
    QCOMPARE(s.consoleWrites, 5u);
    QCOMPARE(s.dropped, 0u);
    QVERIFY(s.events > 0 && s.bytes / s.events <= 48);
    const std::string text = formatTraceSummary(s);
    QVERIFY(text.find("loop iterations") != std::string::npos);
    QVERIFY(text.find("from check") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestTraceExport)
#include "tst_traceexport.moc"
