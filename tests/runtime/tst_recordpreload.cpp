// The plain-node preload (resources/record/loopscope-record.js): every ordering conformance
// script run by Debian's node with `--require` prints exactly what it prints without, and the
// trace it leaves imports into Loopscope with the script's callbacks in order and its console
// writes.
#include "conformanceorder.h"
#include "trace.h"
#include "traceimport.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace Loopscope::Runtime;

class TestRecordPreload : public QObject {
    Q_OBJECT
private slots:
    void conformance_data();
    void conformance();
    void defaultFileName();
};

struct NodeRun {
    QByteArray out, err;
    int exitCode = -1;
};

static NodeRun runNode(const QString &script, const QStringList &preArgs, const QProcessEnvironment &env)
{
    QProcess node;
    node.setProcessEnvironment(env);
    node.setWorkingDirectory(QFileInfo(script).canonicalPath());
    node.start(QStringLiteral(LOOPSCOPE_NODE), preArgs + QStringList{QFileInfo(script).fileName()});
    if (!node.waitForFinished(120000))
        return {};
    return {node.readAllStandardOutput(), node.readAllStandardError(), node.exitCode()};
}

void TestRecordPreload::conformance_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("traceName");
    for (const ConformanceOrder::Script &s : ConformanceOrder::scripts()) {
        // Without phase probes the preload places a callback by its resource type, and a
        // handle's close callback by its close request: the same sequence as Loopscope's.
        const QStringList expected = s.expected;
        // Half the scripts write their trace compressed.
        const QString name = s.file.left(2) + (s.file.at(1).digitValue() % 2 ? ".json.gz" : ".json");
        QTest::newRow(qPrintable(s.file.left(2))) << s.file << expected << name;
    }
}

void TestRecordPreload::conformance()
{
    QFETCH(QString, script);
    QFETCH(QStringList, expected);
    QFETCH(QString, traceName);
    const QString path = QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR) + "/" + script;
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString traceFile = dir.filePath(traceName);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const NodeRun plain = runNode(path, {}, env);
    env.insert("LOOPSCOPE_RECORD_FILE", traceFile);
    const NodeRun recorded = runNode(path, {"--require", QStringLiteral(LOOPSCOPE_RECORD_PRELOAD)}, env);
    QVERIFY2(plain.exitCode >= 0 && recorded.exitCode >= 0, "node did not finish");
    QCOMPARE(recorded.out, plain.out);
    QCOMPARE(recorded.err, plain.err);
    QCOMPARE(recorded.exitCode, plain.exitCode);

    Trace trace;
    std::string error;
    QVERIFY2(readChromeTrace(traceFile.toStdString(), trace, &error), error.c_str());
    QCOMPARE(trace.writerCount(), std::size_t(1));
    QCOMPARE(trace.writerName(0), std::string("loop"));

    const std::uint32_t fileId = trace.find(QFileInfo(path).canonicalFilePath().toStdString());
    std::map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> resources;  // asyncId → type, file
    std::uint64_t lastInit = 0, stdoutBytes = 0, stderrBytes = 0;
    QByteArray heads;
    QStringList actual;
    const TraceRecord *previous = nullptr;
    std::vector<TraceRecord> records;
    trace.forEach(0, [&](const TraceRecord &r) { records.push_back(r); });
    for (const TraceRecord &r : records) {
        if (r.kind == TraceKind::AsyncInit) {
            resources[r.b] = {r.a, 0};
            lastInit = r.b;
        } else if (r.kind == TraceKind::AsyncSource) {
            resources[lastInit].second = r.a;
        } else if (r.kind == TraceKind::CallbackBefore) {
            auto it = resources.find(r.b);
            if (it != resources.end() && fileId != 0 && it->second.second == fileId)
                actual << QString("%1 %2").arg(callbackQueueName(CallbackQueue(r.detail)),
                                               QString::fromStdString(trace.string(it->second.first)));
        } else if (r.kind == TraceKind::ConsoleWrite) {
            (r.detail == 2 ? stderrBytes : stdoutBytes) += r.a;
        } else if (r.kind == TraceKind::ConsoleBytes && previous && r.detail == 0 && previous->detail == 1) {
            char head[20];
            std::memcpy(head, &r.a, 4);
            std::memcpy(head + 4, &r.b, 8);
            std::memcpy(head + 12, &r.c, 8);
            heads.append(head, qMin<qsizetype>(qsizetype(previous->a), qsizetype(qstrnlen(head, 20))));
        }
        previous = &r;
    }
    QCOMPARE(actual, expected);
    // Every byte the script printed went through process.stdout, and each write's head is the
    // start of what it printed. (Node prints an uncaught error's report from C++, past stderr.)
    QCOMPARE(stdoutBytes, std::uint64_t(plain.out.size()));
    QVERIFY(stderrBytes <= std::uint64_t(plain.err.size()));
    if (!plain.out.isEmpty()) {
        QVERIFY(!heads.isEmpty());
        // Heads of one-line writes such as console.log's: all of them, in order, when short.
        const QList<QByteArray> lines = plain.out.split('\n');
        QVERIFY2(heads.startsWith(lines.first().left(19)), heads.constData());
    }
}

// Without LOOPSCOPE_RECORD_FILE the trace goes to loopscope-trace-<pid>.json in the working
// directory, and still imports.
void TestRecordPreload::defaultFileName()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile script(dir.filePath("app.js"));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("setTimeout(() => console.log('done'), 5);\n");
    script.close();
    QProcess node;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("LOOPSCOPE_RECORD_FILE");
    node.setProcessEnvironment(env);
    node.setWorkingDirectory(dir.path());
    node.start(QStringLiteral(LOOPSCOPE_NODE), {"--require", QStringLiteral(LOOPSCOPE_RECORD_PRELOAD), "app.js"});
    QVERIFY(node.waitForStarted(30000));
    const qint64 pid = node.processId();
    QVERIFY(node.waitForFinished(120000));
    QCOMPARE(node.readAllStandardOutput(), QByteArray("done\n"));
    const QString expectedFile = dir.filePath(QString("loopscope-trace-%1.json").arg(pid));
    QVERIFY2(QFileInfo::exists(expectedFile), qPrintable(expectedFile));
    Trace trace;
    std::string error;
    QVERIFY2(readChromeTrace(expectedFile.toStdString(), trace, &error), error.c_str());
    bool timeoutInTimers = false;
    const std::uint32_t timeout = trace.find("Timeout");
    std::map<std::uint64_t, std::uint32_t> types;
    trace.forEach(0, [&](const TraceRecord &r) {
        if (r.kind == TraceKind::AsyncInit)
            types[r.b] = r.a;
        if (r.kind == TraceKind::CallbackBefore && timeout && types[r.b] == timeout
            && CallbackQueue(r.detail) == CallbackQueue::Timers)
            timeoutInTimers = true;
    });
    QVERIFY(timeoutInTimers);
}

QTEST_GUILESS_MAIN(TestRecordPreload)
#include "tst_recordpreload.moc"
