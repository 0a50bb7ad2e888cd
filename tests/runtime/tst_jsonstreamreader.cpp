// The streaming JSON reader the trace importer is built on: whatever the chunks the bytes
// arrive in, it reads what Qt's own parser reads, and refuses what is not JSON with a reason.
#include "jsonstreamreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <functional>

using namespace Loopscope::Runtime;

namespace {

// Hands out `bytes` in pieces whose sizes come from `piece` (called with the piece's index).
class PieceSource final : public JsonByteSource {
public:
    PieceSource(QByteArray bytes, std::function<std::size_t(int)> piece) : m_bytes(std::move(bytes)), m_piece(std::move(piece)) {}
    std::size_t read(char *buffer, std::size_t capacity, std::string *) override
    {
        const std::size_t left = std::size_t(m_bytes.size()) - m_at;
        const std::size_t n = std::min({capacity, left, std::max<std::size_t>(1, m_piece(m_count++))});
        std::memcpy(buffer, m_bytes.constData() + m_at, n);
        m_at += n;
        return n;
    }

private:
    QByteArray m_bytes;
    std::function<std::size_t(int)> m_piece;
    std::size_t m_at = 0;
    int m_count = 0;
};

// Builds a QJsonValue from the reader, so it can be compared with QJsonDocument's.
QJsonValue readValue(JsonStreamReader &reader)
{
    switch (reader.peek()) {
    case JsonStreamReader::Type::Object: {
        QJsonObject object;
        reader.beginObject();
        std::string key;
        while (reader.nextKey(key))
            object.insert(QString::fromStdString(key), readValue(reader));
        return object;
    }
    case JsonStreamReader::Type::Array: {
        QJsonArray array;
        reader.beginArray();
        while (reader.nextElement())
            array.append(readValue(reader));
        return array;
    }
    case JsonStreamReader::Type::String: {
        std::string s;
        reader.readString(s);
        return QString::fromStdString(s);
    }
    case JsonStreamReader::Type::Number: {
        double d = 0;
        reader.readNumber(d);
        return d;
    }
    case JsonStreamReader::Type::Bool: {
        bool b = false;
        reader.readBool(b);
        return b;
    }
    case JsonStreamReader::Type::Null: reader.readNull(); return QJsonValue(QJsonValue::Null);
    default:
        reader.skipValue();  // fails with the reader's reason
        return QJsonValue(QJsonValue::Undefined);
    }
}

// The document read whole, or an error.
QJsonValue parse(const QByteArray &json, const std::function<std::size_t(int)> &piece, std::string *error,
                 std::size_t buffer = 4096)
{
    PieceSource source(json, piece);
    JsonStreamReader reader(source, buffer);
    QJsonValue value = readValue(reader);
    if (!reader.failed())
        reader.atEnd();
    *error = reader.error();
    return reader.failed() ? QJsonValue(QJsonValue::Undefined) : value;
}

std::size_t whole(int) { return std::size_t(1) << 30; }

} // namespace

class TestJsonStreamReader : public QObject {
    Q_OBJECT
private slots:
    void readsWhatQtReads_data();
    void readsWhatQtReads();
    void refusesWhatIsNotJson_data();
    void refusesWhatIsNotJson();
    void deepNesting();
    void hugeNumbers();
    void loneSurrogatesBecomeReplacementCharacters();
    void skipValueChecksWhatItSkips();
};

void TestJsonStreamReader::readsWhatQtReads_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("escapes") << QByteArray(R"({"s":"a\"b\\c\/d\b\f\n\r\te"})");
    QTest::newRow("unicode escapes") << QByteArray(R"(["\u00e9\u4E2D\u0000x", "\u0041"])");
    QTest::newRow("surrogate pair") << QByteArray(R"(["\ud83d\ude00 and \uD834\uDD1E"])");
    QTest::newRow("raw UTF-8") << QByteArray("[\"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\"]");
    QTest::newRow("numbers") << QByteArray("[0,-0,1.5,-2e-3,1E+2,123456789012,-9007199254740992,1e308,5e-324,0.1]");
    QTest::newRow("literals") << QByteArray("[true,false,null,[],{},[[]],{\"a\":{}}]");
    QTest::newRow("whitespace") << QByteArray(" \r\n\t{ \"a\" :\n[ 1 ,\t2 ] , \"b\" : { } }\n ");
    QTest::newRow("a trace event") << QByteArray(
        R"({"traceEvents":[{"ph":"B","name":"Timeout","pid":1,"tid":1,"ts":12.345,)"
        R"("args":{"queue":"timers","asyncId":5,"source":"/srv/a b.js:3:14","repeat":false,"x":[1,{"y":null}]}}]})");
}

// Every split point of the document (two pieces), one byte at a time, and a buffer of one byte:
// the same value as Qt's parser, whatever the chunking.
void TestJsonStreamReader::readsWhatQtReads()
{
    QFETCH(QByteArray, json);
    QJsonParseError qtError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &qtError);
    QCOMPARE(qtError.error, QJsonParseError::NoError);
    const QJsonValue expected = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    std::string error;
    QCOMPARE(parse(json, whole, &error), expected);
    QVERIFY2(error.empty(), error.c_str());
    for (int split = 1; split < json.size(); ++split) {
        const QJsonValue got = parse(json, [split](int i) { return i == 0 ? std::size_t(split) : whole(i); }, &error);
        QVERIFY2(got == expected, qPrintable(QStringLiteral("split at byte %1: %2").arg(split).arg(QString::fromStdString(error))));
    }
    QCOMPARE(parse(json, [](int) { return std::size_t(1); }, &error), expected);
    QCOMPARE(parse(json, [](int i) { return std::size_t(1 + i % 5); }, &error, 1), expected);
}

void TestJsonStreamReader::refusesWhatIsNotJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray("") << "unexpected end at byte 0";
    QTest::newRow("cut") << QByteArray(R"({"a":[1,2)") << "unexpected end at byte 9";
    QTest::newRow("trailing comma") << QByteArray("[1,]") << "unexpected character at byte 3";
    QTest::newRow("leading comma") << QByteArray("[,1]") << "unexpected character at byte 1";
    QTest::newRow("no colon") << QByteArray(R"({"a" 1})") << "expected ':' at byte 5";
    QTest::newRow("unquoted key") << QByteArray("{a:1}") << "expected a string key at byte 1";
    QTest::newRow("leading zero") << QByteArray("[01]") << "malformed number";
    QTest::newRow("bare point") << QByteArray("[1.]") << "malformed number";
    QTest::newRow("lone minus") << QByteArray("[-]") << "malformed number";
    QTest::newRow("plus") << QByteArray("[+1]") << "unexpected character at byte 1";
    QTest::newRow("control character") << QByteArray("[\"a\x01\"]") << "control character in a string at byte 3";
    QTest::newRow("bad escape") << QByteArray(R"(["\q"])") << "bad escape in a string";
    QTest::newRow("bad \\u") << QByteArray(R"(["\u12G4"])") << "bad \\u escape";
    QTest::newRow("overlong UTF-8") << QByteArray("[\"\xC0\x80\"]") << "invalid UTF-8 in a string";
    QTest::newRow("encoded surrogate") << QByteArray("[\"\xED\xA0\x80\"]") << "invalid UTF-8 in a string";
    QTest::newRow("cut UTF-8") << QByteArray("[\"\xE4\xB8\"]") << "invalid UTF-8 in a string";
    QTest::newRow("bad literal") << QByteArray("[tru]") << "unknown literal";
    QTest::newRow("trailing data") << QByteArray(R"({"a":1} x)") << "unexpected data after the value at byte 8";
    QTest::newRow("unterminated") << QByteArray(R"(["abc)") << "unterminated string";
    QTest::newRow("two values") << QByteArray("[1 2]") << "expected ',' or ']' at byte 3";
}

// Refused at every split point, with the same reason and byte.
void TestJsonStreamReader::refusesWhatIsNotJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    std::string error;
    QCOMPARE(parse(json, whole, &error), QJsonValue(QJsonValue::Undefined));
    QVERIFY2(QString::fromStdString(error).startsWith("not JSON: ") && QString::fromStdString(error).contains(reason),
             error.c_str());
    const std::string first = error;
    for (int split = 1; split < json.size(); ++split) {
        parse(json, [split](int i) { return i == 0 ? std::size_t(split) : whole(i); }, &error);
        QCOMPARE(error, first);
    }
    parse(json, [](int) { return std::size_t(1); }, &error, 1);
    QCOMPARE(error, first);
}

void TestJsonStreamReader::deepNesting()
{
    std::string error;
    const int limit = JsonStreamReader::kMaxDepth;
    const QByteArray deepest = QByteArray(limit, '[') + QByteArray(limit, ']');
    QVERIFY(parse(deepest, whole, &error).isArray());
    QVERIFY2(error.empty(), error.c_str());
    const QByteArray tooDeep = QByteArray(limit + 1, '[') + QByteArray(limit + 1, ']');
    QVERIFY(parse(tooDeep, whole, &error).isUndefined());
    QVERIFY2(error.find("too deeply nested at byte 1025") != std::string::npos, error.c_str());
    // Skipping is iterative: a million brackets cost no stack, only the refusal.
    const QByteArray hostile = "{\"x\":" + QByteArray(1'000'000, '[');
    PieceSource source(hostile, whole);
    JsonStreamReader reader(source);
    std::string key;
    QVERIFY(reader.beginObject());
    QVERIFY(reader.nextKey(key));
    QVERIFY(!reader.skipValue());
    QVERIFY2(reader.error().find("too deeply nested") != std::string::npos, reader.error().c_str());
}

// Numbers past a double's range read as infinity or zero (the importer then refuses them as
// counts); a 400-digit integer is a number, not an error.
void TestJsonStreamReader::hugeNumbers()
{
    std::string error;
    const QByteArray digits(400, '7');
    const QJsonArray values = parse("[1e400,-1e400,1e-400," + digits + ",-" + digits + ",0." + digits + "]", whole, &error).toArray();
    QVERIFY2(error.empty(), error.c_str());
    QCOMPARE(values.size(), 6);
    QVERIFY(std::isinf(values[0].toDouble()) && values[0].toDouble() > 0);
    QVERIFY(std::isinf(values[1].toDouble()) && values[1].toDouble() < 0);
    QCOMPARE(values[2].toDouble(), 0.0);
    QVERIFY(std::isinf(values[3].toDouble()));
    QVERIFY(std::isinf(values[4].toDouble()) && values[4].toDouble() < 0);
    QCOMPARE(values[5].toDouble(), 0.7777777777777778);
    // Integers past 2^53 are the nearest double, as QJsonValue::toDouble() gives them.
    QCOMPARE(parse("[9007199254740993]", whole, &error).toArray().at(0).toDouble(),
             QJsonDocument::fromJson("[9007199254740993]").array().at(0).toDouble());
    // A number split across reads is still one number.
    const QJsonValue split = parse("[123456.789e-3]", [](int) { return std::size_t(1); }, &error).toArray().at(0);
    QCOMPARE(split.toDouble(), 123.456789);
}

void TestJsonStreamReader::loneSurrogatesBecomeReplacementCharacters()
{
    std::string error;
    const QJsonArray got = parse(R"(["\ud800", "\udc00x", "\ud800\n", "\ud800\u0041", "\ud800\ud83d\ude00", "a\udbff"])",
                                 whole, &error).toArray();
    QVERIFY2(error.empty(), error.c_str());
    const QString fffd(QChar(0xFFFD));
    QCOMPARE(got[0].toString(), fffd);
    QCOMPARE(got[1].toString(), fffd + "x");
    QCOMPARE(got[2].toString(), fffd + "\n");
    QCOMPARE(got[3].toString(), fffd + "A");
    QCOMPARE(got[4].toString(), fffd + QString::fromUtf8("\xF0\x9F\x98\x80"));
    QCOMPARE(got[5].toString(), "a" + fffd);
}

void TestJsonStreamReader::skipValueChecksWhatItSkips()
{
    const QByteArray good = R"({"skip":{"a":[1,"two",{"b":null}],"c":true},"keep":7})";
    PieceSource source(good, [](int) { return std::size_t(3); });
    JsonStreamReader reader(source, 2);
    std::string key;
    double keep = 0;
    QVERIFY(reader.beginObject());
    QVERIFY(reader.nextKey(key));
    QCOMPARE(key, std::string("skip"));
    QVERIFY(reader.skipValue());
    QVERIFY(reader.nextKey(key));
    QCOMPARE(key, std::string("keep"));
    QVERIFY(reader.readNumber(keep));
    QCOMPARE(keep, 7.0);
    QVERIFY(!reader.nextKey(key));
    QVERIFY(!reader.failed());
    QVERIFY(reader.atEnd());

    PieceSource badSource(QByteArray(R"({"skip":[1,{"a" 2}],"keep":7})"), whole);
    JsonStreamReader bad(badSource);
    QVERIFY(bad.beginObject());
    QVERIFY(bad.nextKey(key));
    QVERIFY(!bad.skipValue());
    QVERIFY2(bad.error() == "not JSON: expected ':' at byte 16", bad.error().c_str());
}

QTEST_GUILESS_MAIN(TestJsonStreamReader)
#include "tst_jsonstreamreader.moc"
