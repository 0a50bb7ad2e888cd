// Chrome JSON back into a trace: a saved run reads back to the same picture, and malformed
// input is refused with an error that says where and what.
#include "callbacknames.h"
#include "testfiles.h"
#include "traceexport.h"
#include "traceimport.h"
#include "traceruns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <zlib.h>

#include <algorithm>

using namespace Loopscope::Runtime;

class TestTraceImport : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void gzipFile();
    void malformed_data();
    void malformed();
    void brokenGzip();
    void gzipBombIsRefused();
};

// Everything but the derived counters, in file order.
static QJsonArray withoutCounters(const std::string &json)
{
    QJsonArray out;
    for (const QJsonValue &v : QJsonDocument::fromJson(QByteArray::fromStdString(json)).object().value("traceEvents").toArray())
        if (v.toObject().value("ph").toString() != "C")
            out.append(v);
    return out;
}

void TestTraceImport::roundTrip_data()
{
    QTest::addColumn<QString>("script");
    QTest::newRow("io") << QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/02-io-callback.js");
    QTest::newRow("close") << QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/07-close-phase.js");
    QTest::newRow("pool") << QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-readfile.js");
    QTest::newRow("names") << QString();  // kCallbackNamesScript
}

// What the file must keep beyond the slices: close requests with their callbacks' names, and
// which creation sites a derived promise inherited.
struct KeptDetails {
    std::vector<std::pair<std::uint64_t, std::string>> closeRequests;
    int inheritedSites = 0;
    bool operator==(const KeptDetails &) const = default;
};

static KeptDetails keptDetails(const Trace &trace)
{
    KeptDetails kept;
    trace.forEach(0, [&](const TraceRecord &r) {
        if (r.kind == TraceKind::CloseRequest)
            kept.closeRequests.emplace_back(r.b, trace.string(r.a));
        else if (r.kind == TraceKind::AsyncSource && (r.detail & TraceSourceInherited))
            ++kept.inheritedSites;
    });
    return kept;
}

void TestTraceImport::roundTrip()
{
    QFETCH(QString, script);
    QTemporaryDir dir;
    if (script.isEmpty())
        script = Loopscope::Test::writeFile(dir, "names.js", Loopscope::Test::kCallbackNamesScript);
    const auto run = TraceTests::runTraced(script);
    const std::string first = traceToChromeJson(*run.trace);
    Trace back;
    std::string error;
    QVERIFY2(traceFromChromeJson(first, back, &error), error.c_str());
    const std::string second = traceToChromeJson(back);
    const QJsonArray a = withoutCounters(first), b = withoutCounters(second);
    // The export orders slices by when they close; compare as sets of events, then counts.
    QCOMPARE(a.size(), b.size());
    QMultiMap<QString, int> seen;
    for (const QJsonValue &v : a)
        seen.insert(QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)), 0);
    for (const QJsonValue &v : b) {
        const QString key = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        QVERIFY2(seen.contains(key), qPrintable("not in the original: " + key));
        seen.remove(key, 0);
    }
    const TraceSummary s1 = summarizeTrace(*run.trace), s2 = summarizeTrace(back);
    QCOMPARE(s2.callbacks, s1.callbacks);
    QCOMPARE(s2.iterations, s1.iterations);
    QCOMPARE(s2.poolTasks, s1.poolTasks);
    QCOMPARE(s2.consoleWrites, s1.consoleWrites);
    const KeptDetails k1 = keptDetails(*run.trace), k2 = keptDetails(back);
    QVERIFY(k2 == k1);
    if (script.endsWith("07-close-phase.js") || script.endsWith("names.js"))
        QVERIFY(!k1.closeRequests.empty());
    if (script.endsWith("names.js")) {
        QVERIFY(k1.inheritedSites > 0);
        QVERIFY(std::any_of(k1.closeRequests.begin(), k1.closeRequests.end(),
                            [](const auto &r) { return r.second == "onSocketClosed"; }));
    }
}

void TestTraceImport::gzipFile()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/01-main-module.js"));
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/t.json.gz").toStdString();
    std::string error;
    QVERIFY(writeChromeTrace(*run.trace, path, &error));
    Trace back;
    QVERIFY2(readChromeTrace(path, back, &error), error.c_str());
    QCOMPARE(summarizeTrace(back).callbacks, summarizeTrace(*run.trace).callbacks);
    Trace none;
    QVERIFY(!readChromeTrace((dir.path() + "/missing.json").toStdString(), none, &error));
    QVERIFY(error.find("cannot read") != std::string::npos);
}

void TestTraceImport::malformed_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("error");
    const QString named = R"({"ph":"M","name":"thread_name","pid":1,"tid":1,"ts":0,"args":{"name":"loop"}})";
    QTest::newRow("not json") << "{\"traceEvents\":[" << "not JSON";
    QTest::newRow("no events") << "{\"events\":[]}" << "expected an object with a \"traceEvents\" array";
    QTest::newRow("event not object") << "{\"traceEvents\":[3]}" << "event 0: not an object";
    QTest::newRow("no ts") << "{\"traceEvents\":[" + named + R"(,{"ph":"B","pid":1,"tid":1}]})"
                           << "event 1: \"ts\" is missing or not a number";
    QTest::newRow("E without B") << "{\"traceEvents\":[" + named + R"(,{"ph":"E","pid":1,"tid":1,"ts":3}]})"
                                 << "event 1: \"E\" without an open \"B\" on thread 1";
    QTest::newRow("B without E") << "{\"traceEvents\":[" + named
                                        + R"(,{"ph":"B","name":"Timeout","pid":1,"tid":1,"ts":3,"args":{"queue":"timers","asyncId":5}}]})"
                                 << "thread 1 has a \"B\" without its \"E\"";
    QTest::newRow("bad queue") << "{\"traceEvents\":[" + named
                                      + R"(,{"ph":"B","name":"x","pid":1,"tid":1,"ts":3,"args":{"queue":"later","asyncId":5}}]})"
                               << "event 1: args.queue is missing or not a queue name";
    QTest::newRow("bad phase") << "{\"traceEvents\":[" + named
                                      + R"(,{"ph":"X","name":"lunch","cat":"phase","pid":1,"tid":1,"ts":3,"dur":1}]})"
                               << "event 1: unknown loop phase \"lunch\"";
    QTest::newRow("negative dur") << "{\"traceEvents\":[" + named
                                         + R"(,{"ph":"X","name":"poll","cat":"phase","pid":1,"tid":1,"ts":3,"dur":-1}]})"
                                  << "event 1: \"dur\" is missing or negative";
    QTest::newRow("orphan flow end") << "{\"traceEvents\":[" + named + R"(,{"ph":"f","id":9,"pid":1,"tid":1,"ts":3}]})"
                                     << "event 1: flow end without an earlier flow start of the same id";
    // Found by the fuzzer: numbers a record cannot hold used to be converted anyway (undefined
    // behaviour for a negative or huge double).
    QTest::newRow("negative trigger") << "{\"traceEvents\":[" + named
                                             + R"(,{"ph":"B","name":"x","pid":1,"tid":1,"ts":3,"args":{"queue":"timers","asyncId":5,"triggerAsyncId":-2}})"
                                             + R"(,{"ph":"E","pid":1,"tid":1,"ts":4}]})"
                                      << "event 1: args.triggerAsyncId is not a non-negative number";
    QTest::newRow("huge asyncId") << "{\"traceEvents\":[" + named
                                         + R"(,{"ph":"B","name":"x","pid":1,"tid":1,"ts":3,"args":{"queue":"timers","asyncId":1e300}}]})"
                                  << "event 1: args.asyncId is missing or not a number";
    QTest::newRow("negative flow id") << "{\"traceEvents\":[" + named + R"(,{"ph":"s","name":"x","id":-1,"pid":1,"tid":1,"ts":3}]})"
                                      << "event 1: a flow start needs a numeric \"id\"";
    QTest::newRow("huge ts") << "{\"traceEvents\":[" + named + R"(,{"ph":"i","name":"x","pid":1,"tid":1,"ts":1e300}]})"
                             << "event 1: \"ts\" is missing or not a number";
    QTest::newRow("negative blocked") << "{\"traceEvents\":[" + named
                                             + R"(,{"ph":"X","name":"poll","cat":"phase","pid":1,"tid":1,"ts":3,"dur":1,"args":{"blockedMs":-5}}]})"
                                      << "event 1: args.blockedMs is not a non-negative number";
    QTest::newRow("negative delay") << "{\"traceEvents\":[" + named
                                           + R"(,{"ph":"B","name":"Timeout","pid":1,"tid":1,"ts":3,"args":{"queue":"timers","asyncId":5,"delayMs":-1}})"
                                           + R"(,{"ph":"E","pid":1,"tid":1,"ts":4}]})"
                                    << "event 1: args.delayMs is not a non-negative number";
    QTest::newRow("unnamed thread") << R"({"traceEvents":[{"ph":"X","name":"poll","cat":"phase","pid":1,"tid":7,"ts":3,"dur":1}]})"
                                    << "thread 7 has events but no thread_name";
}

void TestTraceImport::malformed()
{
    QFETCH(QString, json);
    QFETCH(QString, error);
    Trace trace;
    std::string message;
    QVERIFY(!traceFromChromeJson(json.toStdString(), trace, &message));
    QVERIFY2(QString::fromStdString(message).contains(error), message.c_str());
    QCOMPARE(trace.recordCount(), 0u);  // nothing appended from an invalid file
    QCOMPARE(trace.writerCount(), size_t(0));
}

static QByteArray gzipped(const QByteArray &data)
{
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);  // 16: gzip
    QByteArray out(int(deflateBound(&z, uLong(data.size()))), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(int(z.total_out));
    deflateEnd(&z);
    return out;
}

// A cut or corrupted .gz is refused with a reason, whole or not.
void TestTraceImport::brokenGzip()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/01-main-module.js"));
    const QByteArray gz = gzipped(QByteArray::fromStdString(traceToChromeJson(*run.trace)));
    std::string error;
    {
        Trace whole;
        QVERIFY2(traceFromFileBytes(gz.toStdString(), whole, &error), error.c_str());
        QVERIFY(whole.recordCount() > 0);
    }
    Trace cut;
    QVERIFY(!traceFromFileBytes(gz.left(gz.size() / 2).toStdString(), cut, &error));
    QVERIFY2(error.find("not valid gzip: truncated") != std::string::npos, error.c_str());
    QCOMPARE(cut.recordCount(), 0u);
    QByteArray corrupt = gz;
    for (int i = 20; i < 60 && i < corrupt.size(); ++i)
        corrupt[i] = char(corrupt[i] ^ 0x5a);
    Trace bad;
    QVERIFY(!traceFromFileBytes(corrupt.toStdString(), bad, &error));
    QVERIFY2(error.find("not valid gzip") != std::string::npos || error.find("not JSON") != std::string::npos,
             error.c_str());
}

// A small .gz that would inflate beyond the cap is refused before it is inflated in full.
void TestTraceImport::gzipBombIsRefused()
{
    const QByteArray zeros(8 << 20, ' ');  // 8 MiB of blanks: about 8 KiB compressed
    const QByteArray bomb = gzipped(zeros);
    QVERIFY(bomb.size() < 64 << 10);
    Trace trace;
    std::string error;
    QVERIFY(!traceFromFileBytes(bomb.toStdString(), trace, &error, std::size_t(1) << 20));
    QVERIFY2(error.find("inflates to more than 1048576 bytes") != std::string::npos, error.c_str());
    // Under the cap the same bytes inflate and are then judged as JSON.
    QVERIFY(!traceFromFileBytes(bomb.toStdString(), trace, &error, std::size_t(16) << 20));
    QVERIFY2(error.find("not JSON") != std::string::npos, error.c_str());
}

QTEST_GUILESS_MAIN(TestTraceImport)
#include "tst_traceimport.moc"
