// Chrome JSON back into a trace: a saved run reads back to the same picture, and malformed
// input is refused with an error that says where and what.
#include "callbacknames.h"
#include "jsonstreamreader.h"
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
    // The streaming parser (JsonStreamReader).
    void everyChunkBoundary();
    void exportedRunInSmallPieces();
    void chromeExtrasAndNestingAreSkipped();
    void hugeNumbersAreRefusedAsCounts();
    void invalidEndAppendsNothing();
    void truncatedGzipAnywhere();
    void gzipRatioGuard();
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

namespace {

// Hands out bytes in pieces whose sizes come from `piece` (called with the piece's index).
class PieceSource final : public JsonByteSource {
public:
    PieceSource(const std::string &bytes, std::function<std::size_t(int)> piece) : m_bytes(bytes), m_piece(std::move(piece)) {}
    std::size_t read(char *buffer, std::size_t capacity, std::string *) override
    {
        const std::size_t n = std::min({capacity, m_bytes.size() - m_at, std::max<std::size_t>(1, m_piece(m_count++))});
        std::memcpy(buffer, m_bytes.data() + m_at, n);
        m_at += n;
        return n;
    }

private:
    const std::string &m_bytes;
    std::function<std::size_t(int)> m_piece;
    std::size_t m_at = 0;
    int m_count = 0;
};

// Every kind of event the importer reads, with escapes, surrogate pairs, fields it does not know
// (nested), an instant of a category it ignores, a counter, and top-level keys besides the events.
const char kHandWritten[] = R"({"displayTimeUnit":"ns","traceEvents":[
{"ph":"M","name":"thread_name","pid":1,"tid":1,"ts":0,"args":{"name":"loop \"main\""}},
{"ph":"M","name":"thread_name","pid":1,"tid":2,"ts":0,"args":{"name":"worker 1"}},
{"ph":"X","name":"iteration 1","cat":"loop","pid":1,"tid":1,"ts":1.5,"dur":100},
{"ph":"X","name":"poll","cat":"phase","pid":1,"tid":1,"ts":2,"dur":50.25,"args":{"blockedMs":0.125}},
{"ph":"s","name":"Timeout\u00e9","id":7,"pid":1,"tid":1,"ts":3,"cat":"flow"},
{"ph":"B","name":"Timeout\u00e9","pid":1,"tid":1,"ts":60,"args":{"queue":"timers","asyncId":7,"triggerAsyncId":1,
  "delayMs":10,"repeat":true,"source":"/srv/caf\u00e9 app.js:12:5","function":"tick\ud83d\ude00",
  "extra":[null,false,true,-0.5e-3,{"deep":[[1E2,"\/\b\f\r"]]}]}},
{"ph":"f","id":7,"pid":1,"tid":1,"ts":60,"bp":"e"},
{"ph":"i","name":"stdout","cat":"console","pid":1,"tid":1,"ts":61,"args":{"length":5,"text":"h\u00e9\n\t\\"}},
{"ph":"i","name":"submit fs.read","cat":"threadpool","pid":1,"tid":1,"ts":62,"args":{"work":3}},
{"ph":"X","name":"fs.read","cat":"threadpool","pid":1,"tid":2,"ts":63,"dur":2,"args":{"work":3}},
{"ph":"i","name":"complete fs.read","cat":"threadpool","pid":1,"tid":1,"ts":66,"args":{"work":3}},
{"ph":"E","pid":1,"tid":1,"ts":70},
{"ph":"i","name":"mark","cat":"devtools.timeline","pid":1,"tid":1,"ts":71,"s":"t"},
{"ph":"C","name":"queues","pid":1,"tid":1,"ts":72,"args":{"timers":1}}
],"metadata":{"source":"hand-written","nested":[[[{}]]]}})";

bool importPieces(const std::string &json, const std::function<std::size_t(int)> &piece, Trace &into, std::string *error)
{
    PieceSource source(json, piece);
    return traceFromJsonStream(source, into, error);
}

std::string recordsOf(const Trace &trace)
{
    std::string out;
    for (const TraceRecord &r : trace.records())
        out += std::to_string(r.timeNs) + " " + traceKindName(r.kind) + " " + std::to_string(r.detail) + " "
               + std::to_string(r.thread) + " " + std::to_string(r.a) + " " + std::to_string(r.b) + " "
               + std::to_string(r.c) + "\n";
    return out;
}

} // namespace

// The hand-written file read whole, then split at every byte (so inside every token), then a
// byte at a time: the same records every time, and the right ones.
void TestTraceImport::everyChunkBoundary()
{
    const std::string json = kHandWritten;
    Trace whole;
    std::string error;
    QVERIFY2(traceFromChromeJson(json, whole, &error), error.c_str());
    const std::string expected = recordsOf(whole);
    QCOMPARE(whole.writerCount(), size_t(2));
    QCOMPARE(whole.writerName(0), std::string("loop \"main\""));
    QCOMPARE(whole.writerName(1), std::string("worker 1"));
    // Imported times start one second after the file's zero (traceimport: 0 reads as "not yet").
    const std::uint64_t origin = 1'000'000'000;
    int checked = 0;
    for (const TraceRecord &r : whole.records()) {
        switch (r.kind) {
        case TraceKind::AsyncInit:
            QCOMPARE(whole.string(r.a), std::string("Timeout\xC3\xA9"));
            QCOMPARE(r.b, 7u);
            QCOMPARE(r.c, 1u);  // the trigger, from the callback's args
            QCOMPARE(r.timeNs, origin + 3000u);
            ++checked;
            break;
        case TraceKind::AsyncSource:
            QCOMPARE(whole.string(r.a), std::string("/srv/caf\xC3\xA9 app.js"));
            QCOMPARE(r.b, (std::uint64_t(12) << 32) | 5);
            QCOMPARE(r.c, std::uint64_t(10 << 1 | 1));
            ++checked;
            break;
        case TraceKind::AsyncName:
            QCOMPARE(whole.string(r.a), std::string("tick\xF0\x9F\x98\x80"));
            ++checked;
            break;
        case TraceKind::PollEnd:
            QCOMPARE(r.b, 125000u);
            QCOMPARE(r.timeNs, origin + 52250u);
            ++checked;
            break;
        case TraceKind::CallbackAfter:
            QCOMPARE(r.b, 7u);  // the matching B's asyncId
            ++checked;
            break;
        case TraceKind::ConsoleBytes: {
            char head[20];
            std::memcpy(head, &r.a, 4);
            std::memcpy(head + 4, &r.b, 8);
            std::memcpy(head + 12, &r.c, 8);
            QCOMPARE(std::string(head, 6), std::string("h\xC3\xA9\n\t\\"));
            ++checked;
            break;
        }
        case TraceKind::PoolFinish:
            QCOMPARE(r.thread, std::uint16_t(1));
            ++checked;
            break;
        default: break;
        }
    }
    QCOMPARE(checked, 7);
    for (std::size_t split = 1; split < json.size(); ++split) {
        Trace piece;
        QVERIFY2(importPieces(json, [split](int i) { return i == 0 ? split : std::size_t(1) << 30; }, piece, &error),
                 error.c_str());
        QVERIFY2(recordsOf(piece) == expected, qPrintable(QStringLiteral("split at byte %1").arg(split)));
    }
    Trace bytewise;
    QVERIFY2(importPieces(json, [](int) { return std::size_t(1); }, bytewise, &error), error.c_str());
    QCOMPARE(recordsOf(bytewise), expected);
}

// A real run's export, fed in pieces of 1 to 13 bytes, reads back to the same trace.
void TestTraceImport::exportedRunInSmallPieces()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-readfile.js"));
    const std::string json = traceToChromeJson(*run.trace);
    Trace whole, pieces;
    std::string error;
    QVERIFY2(traceFromChromeJson(json, whole, &error), error.c_str());
    QVERIFY2(importPieces(json, [](int i) { return std::size_t(1 + i % 13); }, pieces, &error), error.c_str());
    QVERIFY2(whole.recordCount() > 30, qPrintable(QString::number(whole.recordCount())));
    QVERIFY(whole.writerCount() > 1);  // the loop and pool workers
    QCOMPARE(recordsOf(pieces), recordsOf(whole));
    QCOMPARE(traceToChromeJson(pieces), traceToChromeJson(whole));
}

void TestTraceImport::chromeExtrasAndNestingAreSkipped()
{
    const std::string named = R"({"ph":"M","name":"thread_name","pid":1,"tid":1,"ts":0,"args":{"name":"loop"}})";
    const std::string nested = std::string(1000, '[') + std::string(1000, ']');
    Trace trace;
    std::string error;
    // An unknown field nested 1000 deep, an args that is not an object, an unknown instant.
    QVERIFY2(traceFromChromeJson(R"({"traceEvents":[)" + named + R"(,{"ph":"i","name":"x","cat":"v8","pid":1,"tid":1,"ts":3,"stack":)"
                                     + nested + R"(,"args":[1]}],"otherData":{"version":"chrome"}})",
                                 trace, &error),
             error.c_str());
    QCOMPARE(trace.writerCount(), size_t(1));
    QCOMPARE(trace.recordCount(), 0u);
    // A console write without its text (found by the fuzzer: the absent text was a null pointer).
    Trace console;
    QVERIFY2(traceFromChromeJson(R"({"traceEvents":[)" + named
                                     + R"(,{"ph":"i","name":"stdout","cat":"console","pid":1,"tid":1,"ts":3,"args":{"length":2}}]})",
                                 console, &error),
             error.c_str());
    QCOMPARE(console.recordCount(), 2u);
    // Past the nesting limit: refused as not JSON, not a crash.
    const std::string tooDeep = std::string(100000, '[') + std::string(100000, ']');
    Trace deep;
    QVERIFY(!traceFromChromeJson(R"({"traceEvents":[)" + named + R"(,{"ph":"i","stack":)" + tooDeep + "}]}", deep, &error));
    QVERIFY2(error.find("not JSON: too deeply nested") != std::string::npos, error.c_str());
    QCOMPARE(deep.writerCount(), size_t(0));
    // More threads than a trace can have writers: refused while reading, not at the end.
    std::string many = R"({"traceEvents":[)";
    for (int tid = 0; tid < 65537; ++tid)
        many += (tid ? "," : "") + std::string(R"({"ph":"M","name":"thread_name","tid":)") + std::to_string(tid)
                + R"(,"ts":0,"args":{"name":"t"}})";
    Trace crowded;
    QVERIFY(!traceFromChromeJson(many + "]}", crowded, &error));
    QCOMPARE(error, std::string("too many threads"));
    QCOMPARE(crowded.writerCount(), size_t(0));
        // "traceEvents" twice is ambiguous: refused.
    Trace twice;
    QVERIFY(!traceFromChromeJson(R"({"traceEvents":[],"traceEvents":[]})", twice, &error));
    QVERIFY2(error.find("more than one \"traceEvents\"") != std::string::npos, error.c_str());
    // Valid JSON that is not an object of events: not a trace.
    Trace array;
    QVERIFY(!traceFromChromeJson("[1,2]", array, &error));
    QVERIFY2(error.find("not a trace") != std::string::npos, error.c_str());
    QVERIFY(!traceFromChromeJson("[1,2", array, &error));
    QVERIFY2(error.find("not JSON") != std::string::npos, error.c_str());
}

void TestTraceImport::hugeNumbersAreRefusedAsCounts()
{
    const std::string named = R"({"ph":"M","name":"thread_name","pid":1,"tid":1,"ts":0,"args":{"name":"loop"}})";
    const std::string digits(400, '9');
    struct Row { std::string event, error; };
    const Row rows[] = {
        {R"({"ph":"i","name":"x","pid":1,"tid":1,"ts":1e400})", "event 1: \"ts\" is missing or not a number"},
        {R"({"ph":"i","name":"x","pid":1,"tid":1,"ts":)" + digits + "}", "event 1: \"ts\" is missing or not a number"},
        {R"({"ph":"i","name":"x","pid":1,"tid":1,"ts":-1e400})", "event 1: \"ts\" is missing or not a number"},
        {R"({"ph":"B","name":"x","pid":1,"tid":1,"ts":3,"args":{"queue":"timers","asyncId":)" + digits + "}}",
         "event 1: args.asyncId is missing or not a number"},
        {R"({"ph":"X","name":"poll","cat":"phase","pid":1,"tid":1,"ts":3,"dur":1e309})", "event 1: \"dur\" is missing or negative"},
    };
    for (const Row &row : rows) {
        Trace trace;
        std::string error;
        QVERIFY(!traceFromChromeJson("{\"traceEvents\":[" + named + "," + row.event + "]}", trace, &error));
        QVERIFY2(error.find(row.error) != std::string::npos, error.c_str());
        QCOMPARE(trace.recordCount(), 0u);
    }
    // 2^53 is the largest count: accepted, as before.
    Trace edge;
    std::string error;
    QVERIFY2(traceFromChromeJson("{\"traceEvents\":[" + named
                                     + R"(,{"ph":"i","name":"submit x","cat":"threadpool","pid":1,"tid":1,"ts":0,"args":{"work":9007199254740992}}]})",
                                 edge, &error),
             error.c_str());
    QCOMPARE(edge.records().at(0).b, std::uint64_t(1) << 53);
}

// A valid file cut before its last byte: everything was read, nothing is appended.
void TestTraceImport::invalidEndAppendsNothing()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/02-io-callback.js"));
    std::string json = traceToChromeJson(*run.trace);
    while (!json.empty() && json.back() != '}')
        json.pop_back();
    json.pop_back();
    Trace trace;
    std::string error;
    QVERIFY(!traceFromChromeJson(json, trace, &error));
    QVERIFY2(error.find("not JSON: unexpected end at byte " + std::to_string(json.size())) != std::string::npos, error.c_str());
    QCOMPARE(trace.recordCount(), 0u);
    QCOMPARE(trace.writerCount(), size_t(0));
    Trace junk;
    QVERIFY(!traceFromChromeJson(json + "}} junk", junk, &error));
    QVERIFY2(error.find("unexpected data after the value") != std::string::npos, error.c_str());
    QCOMPARE(junk.recordCount(), 0u);
}

// A .gz cut anywhere — inside its header, its deflate data or its trailer — is truncated, from
// bytes and from a file, and appends nothing.
void TestTraceImport::truncatedGzipAnywhere()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/02-io-callback.js"));
    const QByteArray gz = gzipped(QByteArray::fromStdString(traceToChromeJson(*run.trace)));
    QVERIFY(gz.size() > 64);
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/cut.json.gz").toStdString();
    for (const int cut : {3, 10, 11, 20, int(gz.size()) / 3, int(gz.size()) - 9, int(gz.size()) - 8, int(gz.size()) - 4,
                          int(gz.size()) - 1}) {
        const QByteArray part = gz.left(cut);
        Trace trace;
        std::string error;
        QVERIFY(!traceFromFileBytes(part.toStdString(), trace, &error));
        QVERIFY2(error == "not valid gzip: truncated", qPrintable(QStringLiteral("cut at %1: %2").arg(cut).arg(error.c_str())));
        QCOMPARE(trace.recordCount(), 0u);
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(part);
        file.close();
        Trace fromFile;
        QVERIFY(!readChromeTrace(path, fromFile, &error));
        QCOMPARE(error, path + ": not valid gzip: truncated");
        QCOMPARE(fromFile.writerCount(), size_t(0));
    }
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(gz);
    file.close();
    Trace whole;
    std::string error;
    QVERIFY2(readChromeTrace(path, whole, &error), error.c_str());
    QCOMPARE(summarizeTrace(whole).callbacks, summarizeTrace(*run.trace).callbacks);
}

// Without a cap from the caller, a gzip stream may inflate to 200 times its size, and always to
// 64 MiB: 128 MiB of blanks (~130 KiB compressed) is refused at 64 MiB, not inflated in full.
void TestTraceImport::gzipRatioGuard()
{
    z_stream z{};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
    const QByteArray blanks(1 << 20, ' ');
    QByteArray bomb;
    char out[1 << 16];
    for (int mb = 0; mb < 128; ++mb) {
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(blanks.data()));
        z.avail_in = uInt(blanks.size());
        do {
            z.next_out = reinterpret_cast<Bytef *>(out);
            z.avail_out = sizeof out;
            deflate(&z, mb == 127 ? Z_FINISH : Z_NO_FLUSH);
            bomb.append(out, int(sizeof out - z.avail_out));
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    QVERIFY(bomb.size() < 1 << 20);
    Trace trace;
    std::string error;
    QVERIFY(!traceFromFileBytes(bomb.toStdString(), trace, &error));
    QCOMPARE(error, std::string("not a trace: it inflates to more than 67108864 bytes"));
    // The first 60 MiB of the same blanks are under the floor: inflated, then judged as JSON.
    const QByteArray small = gzipped(QByteArray(60 << 20, ' '));
    QVERIFY(!traceFromFileBytes(small.toStdString(), trace, &error));
    QVERIFY2(error.find("not JSON: unexpected end") != std::string::npos, error.c_str());
}

QTEST_GUILESS_MAIN(TestTraceImport)
#include "tst_traceimport.moc"
