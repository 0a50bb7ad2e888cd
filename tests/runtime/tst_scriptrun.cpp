// ScriptRun: a real Node.js environment per run, on its own thread, in this process.
#include "nodeprocess.h"
#include "scriptrun.h"
#include "testfiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace Loopscope::Runtime;

namespace {

// Collects what a run writes, in order, with the stream of each chunk.
class Capture final : public RunObserver {
public:
    struct Chunk { OutputStream stream; std::string bytes; };

    void outputWritten(OutputStream stream, std::string_view bytes) override
    {
        std::lock_guard lock(m_mutex);
        m_chunks.push_back({stream, std::string(bytes)});
    }
    void stdinRequested() override { m_stdinRequested = true; }
    void runFinished(const RunResult &) override
    {
        m_finishedCalls++;
        if (m_run)  // what a caller of result() sees from inside the callback
            m_endSeenInCallback = m_run->result().end;
    }
    ScriptRun *m_run = nullptr;
    std::atomic<RunEnd> m_endSeenInCallback{RunEnd::Failed};

    std::string text(OutputStream stream) const
    {
        std::lock_guard lock(m_mutex);
        std::string all;
        for (const Chunk &c : m_chunks)
            if (c.stream == stream)
                all += c.bytes;
        return all;
    }
    std::vector<Chunk> chunks() const
    {
        std::lock_guard lock(m_mutex);
        return m_chunks;
    }
    std::atomic<bool> m_stdinRequested{false};
    std::atomic<int> m_finishedCalls{0};

private:
    mutable std::mutex m_mutex;
    std::vector<Chunk> m_chunks;
};

std::string dataPath(const char *name)
{
    return std::string(LOOPSCOPE_TEST_DATA) + "/" + name;
}

// Writes `source` to a fresh file and returns its path.
std::string scriptFile(QTemporaryDir &dir, const char *name, const std::string &source)
{
    return Loopscope::Test::writeFile(dir, QString::fromUtf8(name), QByteArray::fromStdString(source)).toStdString();
}

RunResult runToEnd(const std::string &script, Capture &capture, RunOptions options = {})
{
    options.scriptPath = script;
    ScriptRun run(options, &capture);
    capture.m_run = &run;
    run.start();
    run.wait();
    return run.result();
}

long residentKb()
{
    QFile statm("/proc/self/statm");
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLong() * (sysconf(_SC_PAGESIZE) / 1024) : -1;
}

} // namespace

class TestScriptRun : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        std::string error;
        QVERIFY2(NodeProcess::initialize(&error), error.c_str());
        QVERIFY(m_dir.isValid());
    }

    void outputArrivesInOrderTaggedWithItsStream()
    {
        Capture c;
        const RunResult r = runToEnd(dataPath("interleaved.js"), c);
        QCOMPARE(r.end, RunEnd::Exited);
        QCOMPARE(r.exitCode, 0);
        std::vector<std::pair<OutputStream, std::string>> got;
        for (const auto &chunk : c.chunks())
            got.emplace_back(chunk.stream, chunk.bytes);
        const std::vector<std::pair<OutputStream, std::string>> expected{
            {OutputStream::Stdout, "out 1\n"}, {OutputStream::Stderr, "err 1\n"},
            {OutputStream::Stdout, "out 2\n"}, {OutputStream::Stderr, "err 2\n"},
            {OutputStream::Stdout, "out 3\n"}, {OutputStream::Stderr, "err 3\n"}};
        QCOMPARE(got, expected);
        QCOMPARE(c.m_finishedCalls.load(), 1);
        QCOMPARE(c.m_endSeenInCallback.load(), RunEnd::Exited);
    }

    void exitCodesAreNodes_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("stderrContains");
        QTest::newRow("normal end") << QByteArray("console.log(1)") << 0 << QByteArray();
        QTest::newRow("process.exit(3)") << QByteArray("setTimeout(() => process.exit(3), 1); setInterval(() => {}, 1000)") << 3 << QByteArray();
        QTest::newRow("process.exitCode") << QByteArray("process.exitCode = 9") << 9 << QByteArray();
        QTest::newRow("uncaught throw") << QByteArray("setTimeout(() => { throw new RangeError('bad range') }, 1)") << 1
                                        << QByteArray("RangeError: bad range");
        QTest::newRow("unhandled rejection") << QByteArray("Promise.reject(new Error('nobody'))") << 1
                                             << QByteArray("Error: nobody");
        QTest::newRow("process.abort") << QByteArray("process.abort(); setTimeout(() => {}, 1000)") << 134 << QByteArray();
        QTest::newRow("SIGTERM to itself") << QByteArray("process.kill(process.pid); setTimeout(() => {}, 1000)") << 143 << QByteArray();
        QTest::newRow("SIGKILL to itself") << QByteArray("process.kill(process.pid, 'SIGKILL')") << 137 << QByteArray();
        QTest::newRow("SIGUSR2 with a listener") << QByteArray("process.on('SIGUSR2', () => { console.log('got it'); process.exit(4); }); process.kill(process.pid, 'SIGUSR2'); setTimeout(() => {}, 5000)") << 4 << QByteArray();
        QTest::newRow("warning") << QByteArray("process.emitWarning('careful now')") << 0 << QByteArray("Warning: careful now");
        QTest::newRow("infinite recursion") << QByteArray("function down(n) { return down(n + 1) + 1 } down(0)") << 1
                                            << QByteArray("RangeError: Maximum call stack size exceeded");
        QTest::newRow("throw in a worker") << QByteArray("const { Worker } = require('worker_threads'); new Worker(\"throw new Error('worker boom')\", { eval: true })") << 1
                                           << QByteArray("Error: worker boom");
        QTest::newRow("handled uncaught") << QByteArray("process.on('uncaughtException', () => {}); throw new Error('x')") << 0
                                          << QByteArray();
    }
    void exitCodesAreNodes()
    {
        QFETCH(QByteArray, source);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, stderrContains);
        Capture c;
        const RunResult r = runToEnd(scriptFile(m_dir, "exit.js", source.toStdString()), c);
        QCOMPARE(r.end, RunEnd::Exited);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(c.text(OutputStream::Stderr).find(stderrContains.toStdString()) != std::string::npos,
                 c.text(OutputStream::Stderr).c_str());
    }

    // The host survives: process.exit never reaches the real exit().
    void processExitDoesNotEndTheHost()
    {
        Capture c;
        runToEnd(scriptFile(m_dir, "bye.js", "process.exit(0)"), c);
        Capture again;
        const RunResult r = runToEnd(scriptFile(m_dir, "hi.js", "console.log('still here')"), again);
        QCOMPARE(again.text(OutputStream::Stdout), std::string("still here\n"));
        QCOMPARE(r.exitCode, 0);
    }

    void stopEndsABusyLoopQuickly()
    {
        const std::string busy = scriptFile(m_dir, "busy.js", "console.log('spinning'); while (true) {}");
        std::vector<double> latencies;
        for (int i = 0; i < 5; ++i) {
            Capture c;
            RunOptions o;
            o.scriptPath = busy;
            ScriptRun run(o, &c);
            run.start();
            QTRY_VERIFY_WITH_TIMEOUT(c.text(OutputStream::Stdout) == "spinning\n", 10000);
            QTest::qWait(50);  // well inside the loop
            QElapsedTimer t;
            t.start();
            run.stop();
            run.wait();
            latencies.push_back(t.nsecsElapsed() / 1e6);
            QCOMPARE(run.result().end, RunEnd::Stopped);
        }
        std::sort(latencies.begin(), latencies.end());
        qInfo("stop latency of while(true){} until the run has fully ended, 5 runs: "
              "min %.1f ms, median %.1f ms, max %.1f ms",
              latencies.front(), latencies[2], latencies.back());
        QVERIFY2(latencies[2] < 100, "median stop latency over 100 ms");
    }

    void stopBeforeAndAfterAreHarmless()
    {
        Capture c;
        RunOptions o;
        o.scriptPath = scriptFile(m_dir, "never.js", "console.log('ran')");
        ScriptRun run(o, &c);
        run.stop();  // before start: the run ends at once, without running the script
        run.start();
        run.wait();
        QCOMPARE(run.result().end, RunEnd::Stopped);
        QCOMPARE(c.text(OutputStream::Stdout), std::string());
        run.stop();
        run.stop();
    }

    void theNextRunStartsClean()
    {
        const QString elsewhere = QDir::tempPath();
        const std::string before = QDir::currentPath().toStdString();
        Capture first;
        runToEnd(scriptFile(m_dir, "dirty.js",
                            "globalThis.leftover = 1; process.chdir(" + ("'" + elsewhere.toStdString() + "'")
                                + "); process.env.LOOPSCOPE_LEFTOVER = 'yes'; setInterval(() => {}, 10); "
                                  "setTimeout(() => process.exit(0), 20)"),
                 first);
        QCOMPARE(QDir::currentPath().toStdString(), before);
        Capture second;
        runToEnd(scriptFile(m_dir, "clean.js",
                            "console.log(typeof leftover, process.env.LOOPSCOPE_LEFTOVER === undefined)"),
                 second);
        QCOMPARE(second.text(OutputStream::Stdout), std::string("undefined true\n"));
    }

    void twoHundredRunsDoNotGrowMemory()
    {
        const std::string script = scriptFile(m_dir, "small.js",
            "const a = []; for (let i = 0; i < 1e4; i++) a.push({ i }); "
            "setTimeout(() => Promise.resolve(a.length).then((n) => console.log(n)), 1)");
        long afterTen = 0;
        QElapsedTimer t;
        for (int i = 1; i <= 200; ++i) {
            Capture c;
            const RunResult r = runToEnd(script, c);
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(c.text(OutputStream::Stdout), std::string("10000\n"));
            if (i == 10) {
                afterTen = residentKb();
                t.start();
            }
        }
        const long afterAll = residentKb();
        const double growthMb = (afterAll - afterTen) / 1024.0;
        qInfo("200 runs: resident %.1f MB after run 10, %.1f MB after run 200 (growth %.1f MB), %.1f ms per run",
              afterTen / 1024.0, afterAll / 1024.0, growthMb, t.elapsed() / 190.0);
        QVERIFY2(growthMb < 50, "resident memory grew by 50 MB or more");
    }

    void heapExhaustionEndsTheRunNotTheHost()
    {
        Capture c;
        RunOptions o;
        o.heapLimitBytes = size_t(128) << 20;
        const RunResult r = runToEnd(scriptFile(m_dir, "oom.js", "const a = []; for (;;) a.push(new Array(1e6).fill(1))"), c, o);
        QCOMPARE(r.end, RunEnd::OutOfMemory);
        QVERIFY(r.error.find("out of memory") != std::string::npos);
        QVERIFY(c.text(OutputStream::Stderr).find("out of memory") != std::string::npos);
        Capture after;
        QCOMPARE(runToEnd(scriptFile(m_dir, "after.js", "console.log('alive')"), after).exitCode, 0);
        QCOMPARE(after.text(OutputStream::Stdout), std::string("alive\n"));
    }

    void esModulesRunAsTheMainModule()
    {
        Capture c;
        const RunResult r = runToEnd(dataPath("esm-main.mjs"), c);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(c.text(OutputStream::Stdout), std::string("esm esm-main.mjs 42\n"));
    }

    void nodeModulesResolveNextToTheScript()
    {
        Capture c;
        RunOptions o;
        o.arguments = {"--flag", "two words"};
        const RunResult r = runToEnd(dataPath("app-with-deps/main.js"), c, o);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(c.text(OutputStream::Stdout),
                 std::string("hello, node_modules, from lib\ntrue main.js\n[\"--flag\",\"two words\"]\n"));
    }

    void builtinsBehaveAsUnderNode()
    {
        Capture c;
        const RunResult r = runToEnd(dataPath("builtins.js"), c);
        QCOMPARE(r.exitCode, 0);
        const std::string out = c.text(OutputStream::Stdout);
        for (const char *line : {"zlib 90\n", "crypto 2d711642\n", "fs true\n", "worker said 42\n",
                                 "hello from a worker\n", "net pong\n"})
            QVERIFY2(out.find(line) != std::string::npos, (std::string("missing ") + line + " in:\n" + out).c_str());
    }

    void stdinIsFedByTheEmbedder()
    {
        Capture c;
        RunOptions o;
        o.scriptPath = dataPath("stdin-echo.js");
        ScriptRun run(o, &c);
        run.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.m_stdinRequested.load(), 10000);
        run.writeStdin("first line\n");
        run.writeStdin("second");
        run.closeStdin();
        run.wait();
        QCOMPARE(run.result().exitCode, 0);
        QCOMPARE(c.text(OutputStream::Stdout), std::string("got \"first line\\nsecond\"\n"));
    }

    // A script that never reads stdin must not be kept alive by it.
    void unreadStdinDoesNotKeepTheRunAlive()
    {
        Capture c;
        RunOptions o;
        o.scriptPath = scriptFile(m_dir, "nostdin.js", "process.stdin; console.log('done')");
        ScriptRun run(o, &c);
        run.start();
        run.wait();
        QCOMPARE(c.text(OutputStream::Stdout), std::string("done\n"));
    }

    void aMissingScriptIsNodesError()
    {
        Capture c;
        const RunResult r = runToEnd("/nonexistent/loopscope/script.js", c);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(c.text(OutputStream::Stderr).find("Cannot find module '/nonexistent/loopscope/script.js'") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestScriptRun)
#include "tst_scriptrun.moc"
