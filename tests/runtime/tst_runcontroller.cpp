// RunController: output order, exit codes, stopping a busy loop while the GUI thread's event
// loop keeps running, and a stdin round trip.

#include "runcontroller.h"
#include "trace.h"
#include "testfiles.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>
#include <QTimer>

using namespace Loopscope::Runtime;

class TestRunController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString script(const QString &name, const QByteArray &source)
    {
        return Loopscope::Test::writeFile(m_dir, name, source);
    }

    static QByteArray joined(const QSignalSpy &spy, OutputStream stream)
    {
        QByteArray all;
        for (const QList<QVariant> &args : spy)
            for (const OutputChunk &c : args.at(0).value<QList<OutputChunk>>())
                if (c.stream == stream)
                    all += c.bytes;
        return all;
    }

private Q_SLOTS:
    void outputInOrderAndExitCode()
    {
        RunController controller;
        QSignalSpy started(&controller, &RunController::runStarted);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        const QString path = script("order.js",
            "console.log('one');\n"
            "console.error('oops');\n"
            "setTimeout(() => { console.log('three'); process.exitCode = 3; }, 10);\n"
            "process.nextTick(() => console.log('two'));\n");
        QVERIFY(controller.run(path));
        QCOMPARE(started.count(), 1);
        QVERIFY(controller.isRunning());
        QVERIFY(!controller.run(path));  // one run at a time
        QVERIFY(finished.wait(20000));
        QVERIFY(!controller.isRunning());
        QCOMPARE(joined(output, OutputStream::Stdout), QByteArray("one\ntwo\nthree\n"));
        QCOMPARE(joined(output, OutputStream::Stderr), QByteArray("oops\n"));
        const auto result = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Exited);
        QCOMPARE(result.exitCode, 3);
        // Every chunk of output arrived before runFinished.
        const int outputsBefore = output.count();
        QTest::qWait(50);
        QCOMPARE(output.count(), outputsBefore);
    }

    void interleavedStreamsKeepTheirOrder()
    {
        RunController controller;
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QVERIFY(controller.run(script("inter.js",
            "for (let i = 0; i < 3; i++) { process.stdout.write('o' + i); process.stderr.write('e' + i); }\n")));
        QVERIFY(finished.wait(20000));
        QByteArray sequence;
        for (const QList<QVariant> &args : output)
            for (const OutputChunk &c : args.at(0).value<QList<OutputChunk>>())
                sequence += (c.stream == OutputStream::Stdout ? "1:" : "2:") + c.bytes + ' ';
        QCOMPARE(sequence, QByteArray("1:o0 2:e0 1:o1 2:e1 1:o2 2:e2 "));
    }

    void argumentsAndWorkingDirectory()
    {
        RunController controller;
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        const QString path = script("argv.js", "console.log(JSON.stringify(process.argv.slice(2)), process.cwd());\n");
        QVERIFY(controller.run(path, {"a b", "--flag"}));
        QVERIFY(finished.wait(20000));
        QCOMPARE(joined(output, OutputStream::Stdout),
                 "[\"a b\",\"--flag\"] " + QFileInfo(m_dir.path()).canonicalFilePath().toUtf8() + '\n');
        QCOMPARE(controller.scriptPath(), path);
        QVERIFY(controller.elapsedMs() > 0);
        QCOMPARE(controller.lastResult().exitCode, 0);
    }

    void uncaughtErrorExitsWithOne()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QVERIFY(controller.run(script("throw.js", "throw new Error('boom');\n")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).value<RunResult>().exitCode, 1);
        QVERIFY(joined(output, OutputStream::Stderr).contains("Error: boom"));
    }

    void stopBusyLoopWhileEventLoopRuns()
    {
        RunController controller;
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QVERIFY(controller.run(script("busy.js", "console.log('spinning');\nwhile (true) {}\n")));
        QVERIFY(output.wait(20000));  // the script is inside its loop now
        int ticks = 0;
        QTimer ticker;
        QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
        ticker.start(10);
        QTest::qWait(300);
        QVERIFY2(ticks >= 5, qPrintable(QString("the GUI timer fired only %1 times").arg(ticks)));
        QVERIFY(controller.isRunning());
        QVERIFY(finished.isEmpty());
        QElapsedTimer t;
        t.start();
        controller.stop();
        QVERIFY(t.elapsed() < 100);  // stop() only asks
        QVERIFY(finished.wait(10000));
        const auto result = finished.at(0).at(0).value<RunResult>();
        QCOMPARE(result.end, RunEnd::Stopped);
        QVERIFY(!controller.isRunning());

        // The controller runs again after a stop.
        QVERIFY(controller.run(script("again.js", "console.log('again')\n")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(1).at(0).value<RunResult>().exitCode, 0);
        QVERIFY(joined(output, OutputStream::Stdout).endsWith("again\n"));
    }

    void stdinRoundTrip()
    {
        RunController controller;
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QObject::connect(&controller, &RunController::stdinRequested, &controller, [&] {
            controller.writeStdin("hello\n");
            controller.closeStdin();
        });
        QSignalSpy asked(&controller, &RunController::stdinRequested);
        QVERIFY(controller.run(script("stdin.js",
            "let all = '';\n"
            "process.stdin.on('data', d => all += d);\n"
            "process.stdin.on('end', () => console.log('got ' + all.trim()));\n")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(asked.count(), 1);
        QCOMPARE(joined(output, OutputStream::Stdout), QByteArray("got hello\n"));
        QCOMPARE(finished.at(0).at(0).value<RunResult>().exitCode, 0);
    }

    void manyWritesAreBatched()
    {
        RunController controller;
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QVERIFY(controller.run(script("many.js", "for (let i = 0; i < 100000; i++) console.log(i);\n")));
        // A busy GUI thread: the run goes on writing meanwhile, and its writes must pile up
        // behind one posted drain instead of one event each.
        QThread::msleep(3000);
        QVERIFY(finished.wait(60000));
        const QByteArray out = joined(output, OutputStream::Stdout);
        QCOMPARE(out.count('\n'), 100000);
        QVERIFY(out.startsWith("0\n1\n2\n"));
        QVERIFY(out.endsWith("99998\n99999\n"));
        qInfo("100000 writes arrived in %lld batches", qlonglong(output.count()));
        QVERIFY2(output.count() <= 5, "the writes made while the GUI thread was busy were not batched");
    }

    void destroyingStopsARun()
    {
        auto controller = std::make_unique<RunController>();
        QVERIFY(controller->run(script("busy2.js", "while (true) {}\n")));
        QTest::qWait(200);
        QElapsedTimer t;
        t.start();
        controller.reset();
        QVERIFY(t.elapsed() < 5000);
    }

    void tracedRunRecordsIntoANewTrace()
    {
        RunController controller;
        QCOMPARE(controller.trace(), nullptr);
        QSignalSpy traceStarted(&controller, &RunController::traceStarted);
        QSignalSpy finished(&controller, &RunController::runFinished);
        const QString path = script("traced.js", "setTimeout(() => console.log('t'), 1);\n");

        controller.setTracing(true);
        QVERIFY(controller.run(path));
        QCOMPARE(traceStarted.count(), 1);
        const std::shared_ptr<Trace> first = controller.trace();
        QVERIFY(first);
        QCOMPARE(traceStarted.at(0).at(0).value<std::shared_ptr<Trace>>(), first);
        QVERIFY(finished.wait(20000));
        // The timer's callback ran from the timers phase, and the trace outlives the run.
        bool timerCallback = false;
        for (const TraceRecord &r : first->records())
            timerCallback |= r.kind == TraceKind::CallbackBefore && CallbackQueue(r.detail) == CallbackQueue::Timers;
        QVERIFY(timerCallback);

        // Each run gets its own trace; turning tracing off leaves none.
        QVERIFY(controller.run(path));
        QVERIFY(controller.trace() && controller.trace() != first);
        QVERIFY(finished.wait(20000));
        controller.setTracing(false);
        QVERIFY(controller.run(path));
        QCOMPARE(controller.trace(), nullptr);
        QCOMPARE(traceStarted.count(), 2);
        QVERIFY(finished.wait(20000));
    }

    // A traced run stopped at once ends before the recorder's late probes exist: its teardown
    // must cope (it once dereferenced the never-initialised pending-phase probe).
    void tracedRunStoppedAtOnce()
    {
        RunController controller;
        controller.setTracing(true);
        QSignalSpy finished(&controller, &RunController::runFinished);
        const QString path = script("stopped.js", "setInterval(() => {}, 1);\n");
        for (int i = 0; i < 5; ++i) {
            QVERIFY(controller.run(path));
            controller.stop();
            QVERIFY(finished.wait(20000));
            QCOMPARE(finished.last().at(0).value<RunResult>().end, RunEnd::Stopped);
        }
    }

    void missingScriptFails()
    {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QVERIFY(controller.run(m_dir.filePath("no-such.js")));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).value<RunResult>().exitCode, 1);
        QVERIFY(joined(output, OutputStream::Stderr).contains("Cannot find module"));
    }
};

QTEST_GUILESS_MAIN(TestRunController)
#include "tst_runcontroller.moc"
