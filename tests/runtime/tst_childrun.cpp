// Runs with a thread-pool size of their own, in a child `loopscope run --stream` process,
// through RunController: the same output (node's), the same signals and a trace that shows the
// pool size asked for; stdout/stderr order, stop, stdin and crashes as an in-process run has them.

#include "runcontroller.h"
#include "trace.h"
#include "testfiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <map>
#include <set>

using namespace Loopscope::Runtime;

class TestChildRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString script(const QString &name, const QByteArray &source)
    {
        return Loopscope::Test::writeFile(m_dir, name, source);
    }

    static QList<OutputChunk> merged(const QSignalSpy &spy)
    {
        QList<OutputChunk> all;
        for (const QList<QVariant> &args : spy)
            for (const OutputChunk &c : args.at(0).value<QList<OutputChunk>>()) {
                if (!all.isEmpty() && all.last().stream == c.stream)
                    all.last().bytes += c.bytes;
                else
                    all.append(c);
            }
        return all;
    }

    static QByteArray joined(const QSignalSpy &spy, OutputStream stream)
    {
        QByteArray bytes;
        for (const OutputChunk &c : merged(spy))
            if (c.stream == stream)
                bytes += c.bytes;
        return bytes;
    }

    static void configure(RunController &controller, int poolSize)
    {
        controller.setChildExecutable(QStringLiteral(LOOPSCOPE_EXECUTABLE));
        controller.setThreadPoolSize(poolSize);
    }

    // The most pool jobs running at one time, from PoolStart/PoolFinish on the worker writers.
    struct PoolUse {
        int workersUsed = 0;
        int busyAtOnce = 0;
        int submits = 0;
        bool submitsNamed = true;
    };
    static PoolUse poolUse(const Trace &trace)
    {
        PoolUse use;
        std::vector<std::pair<std::uint64_t, int>> events;  // time, +1 start / -1 finish
        std::set<std::uint16_t> workers;
        for (const TraceRecord &r : trace.records()) {
            if (r.kind == TraceKind::PoolStart) {
                events.emplace_back(r.timeNs, +1);
                workers.insert(r.thread);
            } else if (r.kind == TraceKind::PoolFinish) {
                events.emplace_back(r.timeNs, -1);
            } else if (r.kind == TraceKind::PoolSubmit) {
                ++use.submits;
                use.submitsNamed &= !trace.string(r.a).empty();
            }
        }
        std::sort(events.begin(), events.end());  // at equal times a finish (-1) comes first
        int busy = 0;
        for (const auto &e : events)
            use.busyAtOnce = std::max(use.busyAtOnce, busy += e.second);
        use.workersUsed = int(workers.size());
        for (std::uint16_t w : workers)
            if (!QString::fromStdString(trace.writerName(w)).startsWith("worker "))
                use.workersUsed = -1;  // PoolStart belongs on a worker's own writer
        return use;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(QStringLiteral(LOOPSCOPE_EXECUTABLE)));
        QVERIFY2(RunController::processThreadPoolSize() == 4, "run the test without UV_THREADPOOL_SIZE set");
    }

    void poolSizePerRun_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("jobs");
        QTest::addColumn<int>("size");
        // The pool lesson's 6 x pbkdf2: with 8 workers only 6 can be busy at once ...
        const QString six = QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-pbkdf2.js");
        QTest::newRow("6 jobs, pool 2 (child process)") << six << 6 << 2;
        QTest::newRow("6 jobs, pool 4 (in process)") << six << 6 << 4;
        QTest::newRow("6 jobs, pool 8 (child process)") << six << 6 << 8;
        // ... so 12 jobs show all 8 busy together.
        const QString twelve = QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-sized.js");
        QTest::newRow("12 jobs, pool 2 (child process)") << twelve << 12 << 2;
        QTest::newRow("12 jobs, pool 4 (in process)") << twelve << 12 << 4;
        QTest::newRow("12 jobs, pool 8 (child process)") << twelve << 12 << 8;
    }

    void poolSizePerRun()
    {
        QFETCH(QString, script);
        QFETCH(int, jobs);
        QFETCH(int, size);
        const QString path = script;

        RunController controller;
        configure(controller, size);
        controller.setTracing(true, false);
        QSignalSpy started(&controller, &RunController::runStarted);
        QSignalSpy traceStarted(&controller, &RunController::traceStarted);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(controller.run(path));
        QCOMPARE(controller.isChildRun(), size != 4);
        QCOMPARE(started.count(), 1);
        QCOMPARE(traceStarted.count(), 1);
        QVERIFY(finished.wait(120000));
        const qint64 ms = clock.elapsed();
        const RunResult result = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Exited);
        QCOMPARE(result.exitCode, 0);

        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("UV_THREADPOOL_SIZE", QString::number(size));
        node.setProcessEnvironment(env);
        node.start(QStringLiteral(LOOPSCOPE_NODE), {path});
        QVERIFY(node.waitForFinished(120000));
        QCOMPARE(joined(output, OutputStream::Stdout), node.readAllStandardOutput());
        QCOMPARE(joined(output, OutputStream::Stderr), QByteArray());

        const std::shared_ptr<Trace> trace = controller.trace();
        QVERIFY(trace);
        const PoolUse use = poolUse(*trace);
        qInfo("%d jobs, pool size %d: %d workers used, %d jobs at once, %d submits, %lld ms, %llu records",
              jobs, size, use.workersUsed, use.busyAtOnce, use.submits, qlonglong(ms),
              qulonglong(trace->recordCount()));
        QCOMPARE(use.submits, jobs);
        QVERIFY(use.submitsNamed);
        QCOMPARE(use.workersUsed, std::min(size, jobs));
        QCOMPARE(use.busyAtOnce, std::min(size, jobs));
        QCOMPARE(trace->writerName(0), std::string("loop"));
    }

    void outputOrderMatchesInProcess()
    {
        const QString path = script("mixed.js",
            "for (let i = 0; i < 50; i++) {\n"
            "  process.stdout.write('o' + i + ' ');\n"
            "  if (i % 3 === 0) process.stderr.write('e' + i + ' ');\n"
            "  if (i % 7 === 0) console.error('line', i);\n"
            "}\n"
            "setImmediate(() => { console.log('immediate'); console.error('late'); process.exitCode = 5; });\n"
            "Promise.resolve().then(() => process.stderr.write('micro\\n'));\n");
        QList<OutputChunk> sequences[2];
        RunResult results[2];
        for (int child = 0; child < 2; ++child) {
            RunController controller;
            configure(controller, child ? 2 : 0);
            QSignalSpy output(&controller, &RunController::outputAvailable);
            QSignalSpy finished(&controller, &RunController::runFinished);
            QVERIFY(controller.run(path));
            QCOMPARE(controller.isChildRun(), bool(child));
            QVERIFY(finished.wait(60000));
            sequences[child] = merged(output);
            results[child] = finished.at(0).at(0).value<RunResult>();
        }
        QVERIFY(sequences[0].size() > 30);  // really interleaved
        QCOMPARE(sequences[1].size(), sequences[0].size());
        for (int i = 0; i < sequences[0].size(); ++i) {
            QCOMPARE(sequences[1][i].stream, sequences[0][i].stream);
            QCOMPARE(sequences[1][i].bytes, sequences[0][i].bytes);
        }
        QCOMPARE(results[1].end, results[0].end);
        QCOMPARE(results[1].exitCode, 5);
        QCOMPARE(results[0].exitCode, 5);
    }

    void stopChildBusyLoop()
    {
        RunController controller;
        configure(controller, 2);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QVERIFY(controller.run(script("busy.js", "console.log('spinning');\nwhile (true) {}\n")));
        QVERIFY(controller.isChildRun());
        QVERIFY(output.wait(60000));  // the script is in its loop now
        QElapsedTimer t;
        t.start();
        controller.stop();
        QVERIFY(t.elapsed() < 100);  // stop() only asks
        QVERIFY(finished.wait(20000));
        qInfo("child busy loop stopped in %lld ms", qlonglong(t.elapsed()));
        const auto result = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Stopped);  // the child stopped the script itself, no kill
        QCOMPARE(result.exitCode, 130);
        QVERIFY(!controller.isRunning());

        // Runs again after a stop, in a child again.
        QVERIFY(controller.run(script("again.js", "console.log('again')\n")));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(1).at(0).value<RunResult>().exitCode, 0);
        QVERIFY(joined(output, OutputStream::Stdout).endsWith("again\n"));
    }

    void stopKillsAChildThatDoesNotEnd()
    {
        // A child that never answers a stop (it ignores its control pipe): killed after the grace.
        const QString fake = script("deaf-child.sh", "#!/bin/sh\nexec sleep 600\n");
        QFile::setPermissions(fake, QFile::permissions(fake) | QFileDevice::ExeOwner);
        RunController controller;
        controller.setChildExecutable(fake);
        controller.setThreadPoolSize(3);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QVERIFY(controller.run(script("any.js", "")));
        QTest::qWait(200);
        QElapsedTimer t;
        t.start();
        controller.stop();
        QVERIFY(finished.wait(30000));
        const auto result = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Stopped);
        QVERIFY(QString::fromStdString(result.error).contains("killed"));
        QVERIFY(t.elapsed() >= 1900);
    }

    void destroyingTheControllerEndsTheChild()
    {
        // Application exit with a pool-size run going: no child process may be left behind.
        auto controller = std::make_unique<RunController>();
        configure(*controller, 2);
        QSignalSpy output(controller.get(), &RunController::outputAvailable);
        QVERIFY(controller->run(script("pid.js", "console.log(process.pid);\nwhile (true) {}\n")));
        QVERIFY(output.wait(60000));
        const pid_t pid = pid_t(joined(output, OutputStream::Stdout).trimmed().toLongLong());
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, 0), 0);  // alive, spinning
        QElapsedTimer t;
        t.start();
        controller.reset();
        qInfo("controller with a spinning child destroyed in %lld ms", qlonglong(t.elapsed()));
        QCOMPARE(::kill(pid, 0), -1);
        QCOMPARE(errno, ESRCH);
    }

    void stdinRoundTripThroughChild()
    {
        RunController controller;
        configure(controller, 3);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSignalSpy asked(&controller, &RunController::stdinRequested);
        QObject::connect(&controller, &RunController::stdinRequested, &controller, [&] {
            controller.writeStdin("hello ");
            controller.writeStdin("child\n");
            controller.closeStdin();
        });
        QVERIFY(controller.run(QStringLiteral(LOOPSCOPE_TEST_DATA "/stdin-echo.js")));
        QVERIFY(controller.isChildRun());
        QVERIFY(finished.wait(60000));
        QCOMPARE(asked.count(), 1);
        QCOMPARE(joined(output, OutputStream::Stdout), QByteArray("got \"hello child\\n\"\n"));
        QCOMPARE(finished.at(0).at(0).value<RunResult>().exitCode, 0);
    }

    void argumentsAndWorkingDirectoryReachTheChild()
    {
        RunController controller;
        configure(controller, 2);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        const QString path = script("args.js",
            "console.log(process.argv.slice(2).join('|'), process.cwd(), process.env.UV_THREADPOOL_SIZE);\n");
        QVERIFY(controller.run(path, {"a b", "--c"}, QDir::tempPath()));
        QVERIFY(finished.wait(60000));
        QCOMPARE(joined(output, OutputStream::Stdout),
                 QByteArray("a b|--c " + QDir(QDir::tempPath()).canonicalPath().toUtf8() + " 2\n"));
    }

    void childCrashIsAClearError()
    {
        // A child that starts the protocol and then dies of a signal.
        const QString crasher = script("crashing-child.sh",
            "#!/bin/sh\nprintf 'LOOPSCOPE-RUNSTREAM 1\\n'\nkill -SEGV $$\n");
        QFile::setPermissions(crasher, QFile::permissions(crasher) | QFileDevice::ExeOwner);
        RunController controller;
        controller.setChildExecutable(crasher);
        controller.setThreadPoolSize(2);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QVERIFY(controller.run(script("any.js", "")));
        QVERIFY(finished.wait(30000));
        auto result = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Failed);
        QVERIFY2(QString::fromStdString(result.error).contains("crashed"), result.error.c_str());

        // And one that cannot be started at all.
        controller.setChildExecutable(m_dir.filePath("no-such-loopscope"));
        QVERIFY(controller.run(script("any.js", "")));
        QVERIFY(finished.wait(30000));
        result = finished.at(1).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Failed);
        QVERIFY2(QString::fromStdString(result.error).contains("cannot start"), result.error.c_str());
        QVERIFY(!controller.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestChildRun)
#include "tst_childrun.moc"
