// The Event loop pane on a real traced run of a lesson: it turns tracing on, follows the run
// live, and at chosen cursor positions its model and its cards say what Node's rules say; the
// running callback's line and a hovered card's line are marked in the editor. Screenshots of the
// pane paused on a promise reaction (light, dark, 150 %) go to build/tests/ui/screenshots.
#include "callbacknames.h"
#include "eventlooppane.h"
#include "eventloopsession.h"
#include "eventloopview.h"
#include "loopcardwidget.h"
#include "runcontroller.h"
#include "testfiles.h"
#include "theme.h"
#include "tracecursor.h"

#include <QApplication>
#include <QDir>
#include <QEnterEvent>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Loopscope;
using namespace Loopscope::EventLoop;

namespace {
// The pane's widget, shown at the screenshots' size; null if the platform never exposes it.
std::unique_ptr<QWidget> showPaneWidget(EventLoopPane &pane)
{
    std::unique_ptr<QWidget> widget(pane.createWidget(nullptr));
    widget->resize(1300, 900);
    widget->show();
    if (!QTest::qWaitForWindowExposed(widget.get()))
        return nullptr;
    return widget;
}

// Steps a step-mode run (its spies made before it started) until it pauses before a promise
// reaction; empty if it ends, or stops pausing, first.
std::optional<Runtime::PausePoint> stepToFirstReaction(Runtime::RunController &runs, const QSignalSpy &paused,
                                                       const QSignalSpy &finished)
{
    for (int seen = 0;;) {
        if (!QTest::qWaitFor([&] { return paused.count() > seen || !finished.isEmpty(); }, 60000) || !finished.isEmpty())
            return std::nullopt;
        seen = paused.count();
        const auto point = runs.pausedAt();
        if (!point || point->queue == Runtime::CallbackQueue::Microtask)
            return point;
        runs.step();
    }
}
} // namespace

class TestEventLoopPane : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void followsALessonRun();
    void followsTheWindowCursor();
    void pausedOnAPromiseReaction();
    void namesPromiseReactions();
};

void TestEventLoopPane::initTestCase()
{
    EventLoopView::setAnimationsEnabled(false);
}

static QList<int> lines(const QList<LoopCardWidget *> &cards)
{
    QList<int> out;
    for (const LoopCardWidget *c : cards)
        out.append(c->card().line);
    return out;
}

// Saves `widget` as build/tests/ui/screenshots/<name>, with the platform before the extension
// ("eventloop-promise-light-xcb.png" under Xvfb).
static void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = QStringLiteral(LOOPSCOPE_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    QApplication::processEvents();
    const QImage image = widget->grab().toImage();
    QVERIFY(!image.isNull());
    QString file = name;
    file.insert(file.lastIndexOf(QLatin1Char('.')), QLatin1Char('-') + QGuiApplication::platformName());
    QVERIFY(image.save(dir + QLatin1Char('/') + file));
    qInfo("saved %s/%s (%dx%d)", qPrintable(dir), qPrintable(file), image.width(), image.height());
}

void TestEventLoopPane::followsALessonRun()
{
    Runtime::RunController runs;
    Ui::PaneContext context(&runs);
    QList<QPair<QString, int>> highlights;
    context.highlightSourceLine = [&](const QString &path, int line) { highlights.append({path, line}); };
    EventLoopPane pane(context);
    QVERIFY(runs.isTracing());
    QCOMPARE(pane.id(), QStringLiteral("Loopscope.EventLoop.Pane"));

    std::unique_ptr<QWidget> widget(pane.createWidget(nullptr));
    auto *view = widget->findChild<EventLoopView *>();
    QVERIFY(view);
    widget->resize(1300, 900);
    widget->show();

    const QString script = QFileInfo(QStringLiteral(LOOPSCOPE_LESSONS_DIR "/09-immediate-chain/script.js")).canonicalFilePath();
    QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
    QSignalSpy changed(pane.session()->model(), &LoopStateModel::stateChanged);
    QVERIFY(runs.run(script));
    QVERIFY(finished.wait(120000));
    QVERIFY(changed.count() >= 1);  // it followed the run

    EventLoopSession *session = pane.session();
    const Runtime::TraceIndex *index = session->index();
    QVERIFY(index);
    QVERIFY(session->isLive());
    QCOMPARE(session->model()->cursorNs(), index->endNs());  // live: at the newest event
    // Every callback of the script's has run: 2 immediates, their tick and reaction, immediate 3.
    QCOMPARE(session->model()->state().callbacksRun, 5);

    auto startOf = [&](const char *text) {
        for (const Runtime::IndexedConsoleWrite &w : index->consoleWrites())
            if (w.head == std::string(text).substr(0, 20) && w.callback >= 0)
                return index->callbacks()[std::size_t(w.callback)].startNs;
        return std::uint64_t(0);
    };

    // Paused on the promise reaction queued by immediate 1: check phase, immediate 2 and the
    // immediate made by immediate 1 waiting, the tick already run.
    const std::uint64_t reaction = startOf("promise after immediate 1\n");
    QVERIFY(reaction > 0);
    highlights.clear();
    session->setCursorNs(reaction);
    QVERIFY(!session->isLive());
    const LoopState &s = session->model()->state();
    QCOMPARE(s.phase, Runtime::LoopPhase::Check);
    QCOMPARE(s.runningQueue, Runtime::CallbackQueue::Microtask);
    QCOMPARE(lines(view->cardsIn(QStringLiteral("callStack"))), QList<int>({9}));
    QCOMPARE(view->cardsIn(QStringLiteral("callStack")).first()->card().type, QStringLiteral("PROMISE"));
    // Made while immediate 1 (line 5) ran.
    QCOMPARE(view->cardsIn(QStringLiteral("callStack")).first()->card().createdBy,
             QStringLiteral("Immediate, line 5"));
    QCOMPARE(lines(view->cardsIn(QStringLiteral("immediates"))), QList<int>({11, 7}));
    QVERIFY(view->cardsIn(QStringLiteral("nextTicks")).isEmpty());
    QVERIFY(view->cardsIn(QStringLiteral("microtasks")).isEmpty());
    QVERIFY(view->countersText().contains(QStringLiteral("Phase: check")));
    QVERIFY(view->cardsIn(QStringLiteral("immediates")).first()->accessibleName().contains(QStringLiteral("line 11")));
    QVERIFY(!highlights.isEmpty());
    QCOMPARE(highlights.last(), qMakePair(script, 9));  // the running callback's line

    // Hovering a card marks its line; leaving goes back to the running callback's.
    LoopCardWidget *waiting = view->cardsIn(QStringLiteral("immediates")).first();
    QEnterEvent enter(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5));
    QApplication::sendEvent(waiting, &enter);
    QCOMPARE(highlights.last(), qMakePair(script, 11));
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(waiting, &leave);
    QCOMPARE(highlights.last(), qMakePair(script, 9));

    // Screenshots, paused on the reaction: light, dark, and at 150 % for a projector.
    auto shoot = [&](const QString &name) { saveScreenshot(widget.get(), name); };
    Ui::applyTheme(Ui::ThemeMode::Light);
    shoot(QStringLiteral("eventloop-promise-light.png"));
    Ui::applyTheme(Ui::ThemeMode::Dark);
    shoot(QStringLiteral("eventloop-promise-dark.png"));
    QFont big = view->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    view->setFont(big);
    widget->resize(1900, 1300);
    shoot(QStringLiteral("eventloop-promise-150.png"));
    Ui::applyTheme(Ui::ThemeMode::Light);
    // Nothing is clipped at 150 %: the view asks for the room its cards need.
    const QRect last = view->cardsIn(QStringLiteral("immediates")).last()->geometry();
    QVERIFY(view->rect().contains(last));
    QVERIFY(view->minimumSize().width() >= last.right());

    // Back to the end: the run is over, nothing is queued or running.
    session->setLive(true);
    QVERIFY(view->cardsIn(QStringLiteral("immediates")).isEmpty());
    QCOMPARE(session->model()->state().runningCallback, -1);
}

// With the window's TraceCursor the pane draws the cursor's moment: moving the cursor (the
// scrubber, the keyboard) moves the pane.
void TestEventLoopPane::followsTheWindowCursor()
{
    Runtime::RunController runs;
    Ui::TraceCursor cursor;
    cursor.followRuns(&runs);
    Ui::PaneContext context(&runs);
    context.traceCursor = &cursor;
    EventLoopPane pane(context);
    QVERIFY(runs.isTracing());
    std::unique_ptr<QWidget> widget(pane.createWidget(nullptr));
    auto *view = widget->findChild<EventLoopView *>();
    QVERIFY(view);

    const QString script = QFileInfo(QStringLiteral(LOOPSCOPE_LESSONS_DIR "/02-nested-ticks/script.js")).canonicalFilePath();
    QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
    QVERIFY(runs.run(script));
    QVERIFY(finished.wait(120000));
    cursor.finishRecording();
    QCOMPARE(pane.session()->index(), cursor.index());
    QVERIFY(cursor.index()->callbacks().size() >= 7);

    // Step through the callbacks as the scrubber's → key does; at each, the pane's running card
    // is the cursor's callback.
    cursor.moveToCallback(0);
    for (int i = 0; i < cursor.callbackCount(); ++i) {
        const auto &cb = cursor.index()->callbacks()[std::size_t(i)];
        QCOMPARE(pane.session()->model()->cursorNs(), cursor.time());
        QCOMPARE(pane.session()->model()->state().runningCallback, cursor.index()->callbackAt(cb.startNs));
        QVERIFY(!view->cardsIn(QStringLiteral("callStack")).isEmpty());
        cursor.nextCallback();
    }
    // At the first promise reaction, the tick queue is empty and the other reaction waits.
    for (int i = 0; i < cursor.callbackCount(); ++i) {
        if (cursor.index()->callbacks()[std::size_t(i)].queue == Runtime::CallbackQueue::Microtask) {
            cursor.moveToCallback(i);
            break;
        }
    }
    QCOMPARE(pane.session()->model()->state().runningQueue, Runtime::CallbackQueue::Microtask);
    QVERIFY(view->cardsIn(QStringLiteral("nextTicks")).isEmpty());
    QCOMPARE(view->cardsIn(QStringLiteral("microtasks")).size(), 1);
}

// Step mode, paused before the promise reaction of lesson 09 (the run really waits there): the
// live pane shows the reaction first in the microtask queue, nothing running, the editor marks
// the line of the callback about to run, and the counters say where the loop is and what it
// has done, with the paused time left out. Screenshots light, dark and 150 %.
void TestEventLoopPane::pausedOnAPromiseReaction()
{
    Runtime::RunController runs;
    Ui::PaneContext context(&runs);
    QList<QPair<QString, int>> highlights;
    context.highlightSourceLine = [&](const QString &path, int line) { highlights.append({path, line}); };
    EventLoopPane pane(context);
    const std::unique_ptr<QWidget> widget = showPaneWidget(pane);
    QVERIFY(widget);
    auto *view = widget->findChild<EventLoopView *>();
    QVERIFY(view);

    const QString script = QFileInfo(QStringLiteral(LOOPSCOPE_LESSONS_DIR "/09-immediate-chain/script.js")).canonicalFilePath();
    runs.setStepMode(true);
    QSignalSpy paused(&runs, &Runtime::RunController::paused);
    QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
    QVERIFY(runs.run(script));
    const std::optional<Runtime::PausePoint> atReaction = stepToFirstReaction(runs, paused, finished);
    QVERIFY(atReaction);
    QCOMPARE(atReaction->line, 9);
    QVERIFY(runs.isPaused());

    // The pane reads the live trace on a timer: it catches up with the pause by itself. (The
    // microtask card of line 9 is already there at the pause before, the nextTick of line 8:
    // wait for the pause itself.)
    const LoopState &s = pane.session()->model()->state();
    QTRY_COMPARE_WITH_TIMEOUT(s.next.line, 9, 30000);
    QCOMPARE(lines(view->cardsIn(QStringLiteral("microtasks"))), QList<int>({9}));
    QVERIFY(s.paused);
    QCOMPARE(s.next.line, 9);
    QCOMPARE(s.nextQueue, Runtime::CallbackQueue::Microtask);
    QCOMPARE(s.runningCallback, -1);
    QCOMPARE(s.phase, Runtime::LoopPhase::Check);
    QCOMPARE(lines(view->cardsIn(QStringLiteral("immediates"))), QList<int>({11, 7}));
    QVERIFY(view->cardsIn(QStringLiteral("nextTicks")).isEmpty());
    QCOMPARE(view->cardsIn(QStringLiteral("microtasks")).first()->card().type, QStringLiteral("PROMISE"));
    QTRY_VERIFY_WITH_TIMEOUT(!highlights.isEmpty() && highlights.last() == qMakePair(script, 9), 30000);

    // Counters: the phase, the iteration, callbacks run, blocked time and utilisation, as the
    // model has them; the loop never blocked (immediates were always waiting), and the pauses
    // (seconds, under load) are not loop time, so elapsed loop time is what ran.
    const QString counters = view->countersText();
    QVERIFY2(counters.contains(QStringLiteral("Phase: check")), qPrintable(counters));
    QVERIFY2(counters.contains(QStringLiteral("Iteration %1 ").arg(s.iteration)), qPrintable(counters));
    QVERIFY(s.iteration >= 1);
    QVERIFY2(counters.contains(QStringLiteral("%1 callbacks run").arg(s.callbacksRun)), qPrintable(counters));
    QCOMPARE(s.callbacksRun, 2);  // immediate 1 and its tick
    QVERIFY2(counters.contains(QStringLiteral("Blocked in poll: %1 ms").arg(double(s.pollBlockedNs) / 1e6, 0, 'f', 2)),
             qPrintable(counters));
    QVERIFY2(counters.contains(QStringLiteral("Loop utilisation: %1 %").arg(qRound(s.utilisation * 100))),
             qPrintable(counters));
    const Runtime::TraceIndex *index = pane.session()->index();
    const std::uint64_t wall = s.cursorNs - index->phases().front().startNs;
    QVERIFY(index->pausedNsBefore(s.cursorNs) > 0);
    QCOMPARE(s.loopElapsedNs, wall - (index->pausedNsBefore(s.cursorNs) - index->pausedNsBefore(index->phases().front().startNs)));

    Ui::applyTheme(Ui::ThemeMode::Light);
    saveScreenshot(widget.get(), QStringLiteral("eventloop-paused-promise-light.png"));
    Ui::applyTheme(Ui::ThemeMode::Dark);
    saveScreenshot(widget.get(), QStringLiteral("eventloop-paused-promise-dark.png"));
    QFont big = view->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    view->setFont(big);
    widget->resize(1900, 1300);
    saveScreenshot(widget.get(), QStringLiteral("eventloop-paused-promise-150.png"));
    Ui::applyTheme(Ui::ThemeMode::Light);
    const QRect last = view->cardsIn(QStringLiteral("immediates")).last()->geometry();
    QVERIFY(view->rect().contains(last));

    runs.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
}

static QStringList names(const QList<LoopCardWidget *> &cards)
{
    QStringList out;
    for (const LoopCardWidget *c : cards)
        out.append(c->card().name);
    return out;
}

// Step mode, paused before the first of three promise reactions (then, catch, finally with
// named handlers): the microtask cards name the handlers, not "anonymous"; the fs request's
// card in poll names its callback. Screenshot: eventloop-named-reactions.png.
void TestEventLoopPane::namesPromiseReactions()
{
    QTemporaryDir dir;
    const QString script = QFileInfo(Loopscope::Test::writeFile(dir, QStringLiteral("names.js"),
                                                                 Loopscope::Test::kCallbackNamesScript))
                               .canonicalFilePath();
    Runtime::RunController runs;
    Ui::PaneContext context(&runs);
    EventLoopPane pane(context);
    const std::unique_ptr<QWidget> widget = showPaneWidget(pane);
    QVERIFY(widget);
    auto *view = widget->findChild<EventLoopView *>();
    QVERIFY(view);

    runs.setStepMode(true);
    QSignalSpy paused(&runs, &Runtime::RunController::paused);
    QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
    QVERIFY(runs.run(script));
    QVERIFY(stepToFirstReaction(runs, paused, finished));
    const QStringList expected{QStringLiteral("onValue"), QStringLiteral("onError"), QStringLiteral("onFinally")};
    QTRY_COMPARE_WITH_TIMEOUT(names(view->cardsIn(QStringLiteral("microtasks"))), expected, 30000);
    const QStringList io = names(view->cardsIn(QStringLiteral("io")));
    QVERIFY2(io.contains(QStringLiteral("onStat")), qPrintable(io.join(QLatin1String(", "))));
    saveScreenshot(widget.get(), QStringLiteral("eventloop-named-reactions.png"));

    runs.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
}

QTEST_MAIN(TestEventLoopPane)
#include "tst_eventlooppane.moc"
