// The replay cursor on real traced runs: stepping by callback and by phase, moving to a time,
// live mode on a growing trace, the timeline's keys, the console showing output only up to the
// cursor, and a saved trace opened back (run traced → export → import → same callbacks).
#include "codeeditor.h"
#include "consolepane.h"
#include "consoleplugin.h"
#include "mainwindow.h"
#include "threadpoolplugin.h"
#include "threadpoolwidget.h"
#include "consolesession.h"
#include "consolewidget.h"
#include "runcontroller.h"
#include "trace.h"
#include "traceexport.h"
#include "traceindex.h"
#include "traceruns.h"
#include "tracecursor.h"
#include "tracescrubber.h"
#include "testfiles.h"

#include <QDir>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Loopscope;
using Runtime::CallbackQueue;
using Runtime::LoopPhase;
using Runtime::TraceKind;

namespace {

const QString kConformance = QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR);

std::shared_ptr<Runtime::Trace> traced(const QString &script)
{
    TraceTests::TracedRun run = TraceTests::runTraced(script);
    return run.trace;
}

// (queue, resource type) of each callback: what a replay must show the same.
QStringList callbackSequence(const Runtime::TraceIndex &index)
{
    QStringList seq;
    for (const auto &cb : index.callbacks()) {
        const auto *r = index.resource(cb.asyncId);
        seq << QStringLiteral("%1 %2").arg(QString::fromLatin1(Runtime::callbackQueueName(cb.queue)),
                                           r ? QString::fromStdString(index.string(r->type)) : QStringLiteral("?"));
    }
    return seq;
}

QString writeScript(QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    return Loopscope::Test::writeFile(dir, name, text);
}

} // namespace

class TestTraceCursor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepsThroughEveryCallbackInOrder_data();
    void stepsThroughEveryCallbackInOrder();
    void stepsThroughPhasesInLibuvOrder();
    void moveToFindsTheCallbackStartedBy();
    void liveFollowsAGrowingTrace();
    void scrubberKeysMoveTheCursor();
    void consoleShowsOutputUpToTheCursor();
    void openedTraceHasTheRunsCallbacks();
    void malformedTraceFileIsAnError();
    void windowFollowsTheCursor();
};

void TestTraceCursor::stepsThroughEveryCallbackInOrder_data()
{
    QTest::addColumn<QString>("script");
    for (const QString &name : QDir(kConformance).entryList({QStringLiteral("*.js")}, QDir::Files, QDir::Name))
        QTest::newRow(qPrintable(name)) << QDir(kConformance).filePath(name);
}

void TestTraceCursor::stepsThroughEveryCallbackInOrder()
{
    QFETCH(QString, script);
    Ui::TraceCursor cursor;
    QSignalSpy moved(&cursor, &Ui::TraceCursor::cursorMoved);
    cursor.setTrace(traced(script), false);
    QVERIFY(cursor.hasTrace());
    QVERIFY(!cursor.isLive());
    const auto &callbacks = cursor.index()->callbacks();
    QVERIFY2(!callbacks.empty(), "every conformance script runs its main module at least");
    QCOMPARE(cursor.time(), cursor.startNs());  // a finished trace replays from its start

    cursor.moveToCallback(0);
    for (std::size_t i = 0; i < callbacks.size(); ++i) {
        QCOMPARE(cursor.callback(), int(i));
        QCOMPARE(cursor.time(), callbacks[i].startNs);
        cursor.nextCallback();
    }
    QCOMPARE(cursor.time(), cursor.endNs());  // past the last callback: the end
    QCOMPARE(cursor.callback(), int(callbacks.size()) - 1);
    const int movesForward = int(moved.count());
    QVERIFY(movesForward >= int(callbacks.size()));

    // Back again: from the end, "previous" is the last callback itself, then one by one.
    for (int i = int(callbacks.size()) - 1; i >= 0; --i) {
        cursor.previousCallback();
        QCOMPARE(cursor.callback(), i);
        QCOMPARE(cursor.time(), callbacks[std::size_t(i)].startNs);
    }
    cursor.previousCallback();
    QCOMPARE(cursor.time(), cursor.startNs());
    QVERIFY(!cursor.isLive());
}

void TestTraceCursor::stepsThroughPhasesInLibuvOrder()
{
    Ui::TraceCursor cursor;
    cursor.setTrace(traced(kConformance + QStringLiteral("/05-timers-order.js")), false);
    const auto &phases = cursor.index()->phases();
    QVERIFY(phases.size() >= 6);
    cursor.moveToStart();
    std::vector<LoopPhase> seen;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        cursor.nextPhase();
        QCOMPARE(cursor.phase(), int(i));
        QCOMPARE(cursor.time(), phases[i].startNs);
        seen.push_back(phases[i].phase);
        // The callback at the cursor is the last one started by then.
        const int cb = cursor.callback();
        if (cb >= 0) {
            QVERIFY(cursor.index()->callbacks()[std::size_t(cb)].startNs <= cursor.time());
            if (std::size_t(cb + 1) < cursor.index()->callbacks().size())
                QVERIFY(cursor.index()->callbacks()[std::size_t(cb + 1)].startNs > cursor.time());
        }
    }
    // Within an iteration the phases come in libuv's order, timers first (a phase the recorder
    // does not probe, such as pending, is simply absent).
    QStringList names;
    for (LoopPhase p : seen)
        names << QString::fromLatin1(Runtime::loopPhaseName(p));
    for (std::size_t i = 1; i < phases.size(); ++i)
        if (phases[i].iteration == phases[i - 1].iteration)
            QVERIFY2(phases[i].phase > phases[i - 1].phase, qPrintable(names.join(QLatin1Char(' '))));
    for (LoopPhase p : {LoopPhase::Timers, LoopPhase::Poll, LoopPhase::Check, LoopPhase::Close})
        QVERIFY2(std::count(seen.begin(), seen.end(), p) > 0, qPrintable(names.join(QLatin1Char(' '))));
    cursor.nextPhase();
    QCOMPARE(cursor.time(), cursor.endNs());
    for (int i = int(phases.size()) - 1; i >= 0; --i) {
        cursor.previousPhase();
        QCOMPARE(cursor.phase(), i);
    }
    cursor.previousPhase();
    QCOMPARE(cursor.time(), cursor.startNs());
}

void TestTraceCursor::moveToFindsTheCallbackStartedBy()
{
    Ui::TraceCursor cursor;
    cursor.setTrace(traced(kConformance + QStringLiteral("/03-nested-ticks.js")), false);
    const auto &callbacks = cursor.index()->callbacks();
    QVERIFY(callbacks.size() >= 3);
    const auto &cb = callbacks[1];
    cursor.moveTo(cb.startNs + 1);
    QCOMPARE(cursor.callback(), callbacks[2].startNs <= cb.startNs + 1 ? 2 : 1);
    cursor.moveTo(0);  // clamped
    QCOMPARE(cursor.time(), cursor.startNs());
    cursor.moveTo(UINT64_MAX);
    QCOMPARE(cursor.time(), cursor.endNs());
    QCOMPARE(cursor.callback(), int(callbacks.size()) - 1);
}

// A trace written while the cursor watches it: live pins the cursor to the newest event; a
// move by hand leaves live mode and stays put while the trace grows; Live returns to the end.
void TestTraceCursor::liveFollowsAGrowingTrace()
{
    auto trace = std::make_shared<Runtime::Trace>();
    Runtime::TraceWriter *loop = trace->addWriter("loop");
    const std::uint32_t timeout = trace->intern("Timeout");
    auto callback = [&](std::uint64_t t, std::uint64_t id) {
        loop->appendAt(t, TraceKind::AsyncInit, 0, timeout, id, 1);
        loop->appendAt(t + 10, TraceKind::CallbackBefore, std::uint8_t(CallbackQueue::Timers), 0, id, 0);
        loop->appendAt(t + 20, TraceKind::CallbackAfter, std::uint8_t(CallbackQueue::Timers), 0, id, 0);
    };
    loop->appendAt(1000, TraceKind::IterationStart, 0, 0, 1, 0);
    loop->appendAt(1001, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers), 0, 0, 0);
    callback(1100, 7);

    Ui::TraceCursor cursor;
    QSignalSpy grew(&cursor, &Ui::TraceCursor::indexGrew);
    QSignalSpy live(&cursor, &Ui::TraceCursor::liveChanged);
    cursor.setTrace(trace, true);
    QVERIFY(cursor.isLive());
    QVERIFY(cursor.isRecording());
    QCOMPARE(cursor.time(), std::uint64_t(1120));
    QCOMPARE(cursor.callback(), 0);

    callback(2000, 8);  // the "run" goes on; the timer picks it up
    QVERIFY(grew.wait(10000));
    QCOMPARE(cursor.time(), std::uint64_t(2020));
    QCOMPARE(cursor.callback(), 1);

    cursor.previousCallback();
    QVERIFY(!cursor.isLive());
    QCOMPARE(live.count(), 2);  // on at setTrace, off now
    QCOMPARE(cursor.callback(), 1);  // from the end, "previous" is the last callback's start
    QCOMPARE(cursor.time(), std::uint64_t(2010));
    callback(3000, 9);
    QVERIFY(grew.wait(10000));
    QCOMPARE(cursor.time(), std::uint64_t(2010));  // stays where it was put
    QCOMPARE(cursor.callbackCount(), 3);

    cursor.setLive(true);
    QCOMPARE(cursor.time(), std::uint64_t(3020));
    QCOMPARE(cursor.callback(), 2);
    cursor.finishRecording();
    QVERIFY(!cursor.isRecording());
}

void TestTraceCursor::scrubberKeysMoveTheCursor()
{
    Ui::TraceCursor cursor;
    Ui::TraceScrubber scrubber(&cursor);
    QVERIFY(!scrubber.isEnabled());  // nothing to scrub yet
    cursor.setTrace(traced(kConformance + QStringLiteral("/06-immediate-chain.js")), false);
    QVERIFY(scrubber.isEnabled());
    scrubber.show();
    QVERIFY(QTest::qWaitForWindowExposed(&scrubber));
    QVERIFY(!scrubber.accessibleName().isEmpty());
    QVERIFY(!scrubber.slider()->accessibleName().isEmpty());
    QVERIFY(!scrubber.liveButton()->accessibleName().isEmpty());

    QTest::keyClick(&scrubber, Qt::Key_Right);
    QCOMPARE(cursor.callback(), 0);
    QTest::keyClick(scrubber.slider(), Qt::Key_Right);  // the slider's own arrows step callbacks too
    QCOMPARE(cursor.callback(), 1);
    QVERIFY2(scrubber.positionText().contains(QStringLiteral("callback 2 of %1").arg(cursor.callbackCount())),
             qPrintable(scrubber.positionText()));
    QTest::keyClick(&scrubber, Qt::Key_Left);
    QCOMPARE(cursor.callback(), 0);
    QTest::keyClick(&scrubber, Qt::Key_Right, Qt::ShiftModifier);
    const int phase = cursor.phase();
    QVERIFY(phase >= 0);
    QCOMPARE(cursor.time(), cursor.index()->phases()[std::size_t(phase)].startNs);
    QTest::keyClick(&scrubber, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(cursor.phase(), phase + 1);
    QTest::keyClick(&scrubber, Qt::Key_End);
    QCOMPARE(cursor.time(), cursor.endNs());
    QCOMPARE(scrubber.slider()->value(), scrubber.slider()->maximum());
    QTest::keyClick(&scrubber, Qt::Key_Home);
    QCOMPARE(cursor.time(), cursor.startNs());
    QCOMPARE(scrubber.slider()->value(), 0);

    // Dragging the slider moves the cursor to that time; Live pins it to the end.
    scrubber.slider()->setValue(scrubber.slider()->maximum() / 2);
    QVERIFY(cursor.time() > cursor.startNs() && cursor.time() < cursor.endNs());
    scrubber.liveButton()->click();
    QVERIFY(cursor.isLive());
    QCOMPARE(cursor.time(), cursor.endNs());
    QTest::keyClick(&scrubber, Qt::Key_Left);
    QVERIFY(!scrubber.liveButton()->isChecked());
}

// A run from the IDE's RunController with the console pane following the cursor: stepping to a
// callback shows the output written up to the end of that callback, and nothing after it.
void TestTraceCursor::consoleShowsOutputUpToTheCursor()
{
    QTemporaryDir dir;
    const QString script = writeScript(dir, QStringLiteral("steps.js"),
        "console.log('main');\n"
        "process.nextTick(() => console.log('tick'));\n"
        "setTimeout(() => {\n"
        "  console.log('timeout');\n"
        "  setImmediate(() => console.error('immediate'));\n"
        "}, 0);\n");
    Runtime::RunController runs;
    runs.setTracing(true);
    Ui::TraceCursor cursor;
    cursor.followRuns(&runs);
    Ui::PaneContext context(&runs);
    context.traceCursor = &cursor;
    Console::ConsolePane pane(context);
    std::unique_ptr<QWidget> widget(pane.createWidget(nullptr));
    auto *console = qobject_cast<Console::ConsoleWidget *>(widget.get());
    QVERIFY(console);
    auto settle = [console] { return QTest::qWaitFor([console] { return !console->hasPendingOutput(); }, 20000); };

    QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
    QVERIFY(runs.run(script));
    QVERIFY(finished.wait(30000));
    QVERIFY(settle());
    const QString all = QStringLiteral("main\ntick\ntimeout\nimmediate\n");
    QCOMPARE(console->text(), all);
    QVERIFY(cursor.isLive());
    QVERIFY(!cursor.isRecording());

    // Find the script's Timeout and Immediate callbacks in the index.
    const Runtime::TraceIndex &index = *cursor.index();
    auto callbackOf = [&](const char *type) {
        for (std::size_t i = 0; i < index.callbacks().size(); ++i) {
            const auto *r = index.resource(index.callbacks()[i].asyncId);
            if (r && index.string(r->type) == type && !r->internal)
                return int(i);
        }
        return -1;
    };
    const int timeout = callbackOf("Timeout"), immediate = callbackOf("Immediate"), tick = callbackOf("TickObject");
    QVERIFY(timeout >= 0 && immediate > timeout && tick >= 0 && tick < timeout);

    cursor.moveToCallback(timeout);
    QVERIFY(settle());
    QCOMPARE(console->text(), QStringLiteral("main\ntick\ntimeout\n"));
    cursor.moveToCallback(tick);
    QVERIFY(settle());
    QCOMPARE(console->text(), QStringLiteral("main\ntick\n"));
    cursor.moveToCallback(immediate);
    QVERIFY(settle());
    QCOMPARE(console->text(), all);
    cursor.moveToStart();
    QVERIFY(settle());
    QVERIFY(!console->text().contains(QStringLiteral("tick")));
    cursor.setLive(true);
    QVERIFY(settle());
    QCOMPARE(console->text(), all);
}

void TestTraceCursor::openedTraceHasTheRunsCallbacks()
{
    QTemporaryDir dir;
    for (const char *name : {"/02-io-callback.js", "/04-async-await.js", "/07-close-phase.js"}) {
        const auto trace = traced(kConformance + QLatin1String(name));
        Runtime::TraceIndex original(trace);
        original.update();
        const QString file = dir.filePath(QStringLiteral("saved.json.gz"));
        std::string error;
        QVERIFY2(Runtime::writeChromeTrace(*trace, file.toStdString(), &error), error.c_str());

        Ui::TraceCursor cursor;
        QSignalSpy changed(&cursor, &Ui::TraceCursor::traceChanged);
        QString message;
        QVERIFY2(cursor.openFile(file, &message), qPrintable(message));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cursor.fileName(), QFileInfo(file).absoluteFilePath());
        QVERIFY(!cursor.isRecording());
        QVERIFY(!cursor.isLive());
        QCOMPARE(callbackSequence(*cursor.index()), callbackSequence(original));
        QCOMPARE(cursor.index()->phases().size(), original.phases().size());
        QCOMPARE(cursor.index()->consoleWrites().size(), original.consoleWrites().size());
        // The replay steps over the same callbacks.
        cursor.moveToCallback(cursor.callbackCount() - 1);
        QCOMPARE(cursor.callback(), int(original.callbacks().size()) - 1);
    }
}

void TestTraceCursor::malformedTraceFileIsAnError()
{
    QTemporaryDir dir;
    const QString bad = writeScript(dir, QStringLiteral("bad.json"), "{\"traceEvents\": [{\"ph\": \"B\"}");
    Ui::TraceCursor cursor;
    cursor.setTrace(traced(kConformance + QStringLiteral("/01-main-module.js")), false);
    const auto before = cursor.trace();
    QString message;
    QVERIFY(!cursor.openFile(bad, &message));
    QVERIFY(!message.isEmpty());
    QCOMPARE(cursor.trace(), before);  // the shown trace stays
    QVERIFY(!cursor.openFile(dir.filePath(QStringLiteral("missing.json")), &message));
}

// The whole window: runs are traced, the timeline is there, the editor marks the line that
// scheduled the callback at the cursor, and File ▸ Open Trace shows a saved run's output.
void TestTraceCursor::windowFollowsTheCursor()
{
    QTemporaryDir dir;
    const QString script = writeScript(dir, QStringLiteral("window.js"),
        "console.log('main');\n"
        "process.nextTick(() => console.log('tick'));\n"
        "setTimeout(() => {\n"
        "  console.log('timeout');\n"
        "  setImmediate(() => console.log('immediate'));\n"
        "}, 0);\n");
    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);
    ThreadPool::registerThreadPoolPlugin(panes);
    Ui::MainWindowOptions options;
    options.settingsFile = dir.filePath(QStringLiteral("settings.ini"));
    options.recoveryFile = dir.filePath(QStringLiteral("recovery.json"));
    options.fileToOpen = script;
    options.askToSave = [](const QString &) { return Ui::SaveChoice::Discard; };
    Ui::MainWindow w(panes, options);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.traceScrubber() && w.traceScrubber()->isVisible());
    QVERIFY(w.findChild<QAction *>(QStringLiteral("Loopscope.OpenTrace")));
    QVERIFY(w.runController()->isTracing());

    QSignalSpy finished(w.runController(), &Runtime::RunController::runFinished);
    w.runScript();
    QVERIFY(finished.wait(30000));
    Ui::TraceCursor *cursor = w.traceCursor();
    QVERIFY(cursor->hasTrace());
    QVERIFY(w.traceScrubber()->isEnabled());
    const Runtime::TraceIndex &index = *cursor->index();
    auto callbackOf = [&](const char *type) {
        for (std::size_t i = 0; i < index.callbacks().size(); ++i) {
            const auto *r = index.resource(index.callbacks()[i].asyncId);
            if (r && index.string(r->type) == type && !r->internal)
                return int(i);
        }
        return -1;
    };
    cursor->moveToCallback(callbackOf("Timeout"));
    QCOMPARE(w.editor()->traceLine(), 3);  // setTimeout(...) is on line 3
    cursor->moveToCallback(callbackOf("Immediate"));
    QCOMPARE(w.editor()->traceLine(), 5);
    cursor->moveToEnd();
    QCOMPARE(w.editor()->traceLine(), 0);  // nothing runs at the very end

    // Saved, then opened back: the console shows the recorded output up to the cursor.
    const QString file = dir.filePath(QStringLiteral("window.json"));
    std::string error;
    QVERIFY2(Runtime::writeChromeTrace(*cursor->trace(), file.toStdString(), &error), error.c_str());
    QVERIFY(w.openTrace(file));
    QCOMPARE(cursor->fileName(), QFileInfo(file).absoluteFilePath());
    auto *console = qobject_cast<Console::ConsoleWidget *>(w.paneWidget(QStringLiteral("Loopscope.Console.Pane")));
    QVERIFY(console);
    cursor->moveToEnd();
    QVERIFY(QTest::qWaitFor([console] { return !console->hasPendingOutput(); }, 20000));
    QCOMPARE(console->text(), QStringLiteral("main\ntick\ntimeout\nimmediate\n"));
    QVERIFY(!w.openTrace(dir.filePath(QStringLiteral("missing.json"))));
    QCOMPARE(cursor->fileName(), QFileInfo(file).absoluteFilePath());

    // `loopscope TRACE.json.gz`: the window starts on the saved trace, the editor on a script.
    const QString gz = dir.filePath(QStringLiteral("window.json.gz"));
    QVERIFY2(Runtime::writeChromeTrace(*cursor->trace(), gz.toStdString(), &error), error.c_str());
    options.fileToOpen = gz;
    Ui::MainWindow second(panes, options);
    QCOMPARE(second.traceCursor()->fileName(), QFileInfo(gz).absoluteFilePath());
    QCOMPARE(second.traceCursor()->callbackCount(), cursor->callbackCount());
    QVERIFY(second.filePath() != QFileInfo(gz).absoluteFilePath());
}

QTEST_MAIN(TestTraceCursor)
#include "tst_tracecursor.moc"
