// LoopStateModel on real traced runs of the conformance scripts: the queues, the call stack and
// the phase at chosen cursor positions, as Node's rules say they must be (the script's lines
// identify the cards; the callbacks are found by what they printed).
#include "callbacknames.h"
#include "loopstatemodel.h"
#include "testfiles.h"
#include "traceexport.h"
#include "traceimport.h"
#include "traceruns.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace Loopscope::Runtime;
using namespace Loopscope::EventLoop;

class TestLoopStateModel : public QObject {
    Q_OBJECT
private slots:
    void nestedTicks();
    void immediateChain();
    void timersOrder();
    void ioCallback();
    void closePhase();
    void closeRequestsRunNewestFirst();
    void ioCallbackNames();
    void hiddenCallbacksAreNamed();
    void countersOnATimerWait();
    void countersLeaveOutPauses();
    void followsAGrowingIndex();
    void costOnALongPromiseChain();
};

namespace {

struct Traced {
    TraceTests::TracedRun run;
    std::unique_ptr<TraceIndex> index;
    LoopStateModel model;

    // A traced run of the script at `path`, indexed, with a model on the index.
    explicit Traced(const QString &path)
        : run(TraceTests::runTraced(path))
        , index(std::make_unique<TraceIndex>(run.trace))
    {
        index->update();
        model.setIndex(index.get());
    }
    // A conformance script, by file name.
    explicit Traced(const char *script)
        : Traced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/") + QLatin1String(script))
    {
    }
    // The start of the callback that printed `text` first.
    std::uint64_t startOf(const std::string &text) const
    {
        for (const IndexedConsoleWrite &w : index->consoleWrites())
            if (w.head == text.substr(0, 20) && w.callback >= 0)  // heads keep 20 bytes
                return index->callbacks()[std::size_t(w.callback)].startNs;
        qWarning("no callback printed %s", text.c_str());
        return 0;
    }
    LoopState at(const std::string &text)  // a copy: the model's state moves with its cursor
    {
        model.setCursorNs(startOf(text));
        return model.state();
    }
};

QList<int> lines(const CardList &list)
{
    QList<int> out;
    for (const LoopCard &c : list.cards)
        out.append(c.line);
    return out;
}

} // namespace

// 03: ticks drain before promises; a tick queued by a reaction waits for the microtask queue.
void TestLoopStateModel::nestedTicks()
{
    Traced t("03-nested-ticks.js");
    const LoopState &tick1 = t.at("tick 1\n");
    QVERIFY(tick1.inMainScript);  // after the main module, before the loop's first iteration
    QCOMPARE(tick1.runningQueue, CallbackQueue::NextTick);
    QCOMPARE(tick1.callStack.total, 1);
    QCOMPARE(tick1.callStack.cards[0].line, 3);
    QCOMPARE(tick1.callStack.cards[0].createdBy, QStringLiteral("the main module"));
    QCOMPARE(lines(tick1.nextTicks), QList<int>({7}));      // tick 2; tick 1.1 is not made yet
    QCOMPARE(lines(tick1.microtasks), QList<int>({2, 8}));  // both then()s on resolved promises

    const LoopState &tick11 = t.at("tick 1.1\n");
    QCOMPARE(tick11.nextTicks.total, 0);
    QCOMPARE(tick11.callStack.cards[0].line, 5);
    QCOMPARE(lines(tick11.microtasks), QList<int>({2, 8}));

    const LoopState &promise1 = t.at("promise 1\n");
    QCOMPARE(promise1.runningQueue, CallbackQueue::Microtask);
    QCOMPARE(promise1.nextTicks.total, 0);
    QCOMPARE(lines(promise1.microtasks), QList<int>({8}));
    QCOMPARE(promise1.callStack.cards[0].type, QStringLiteral("PROMISE"));

    const LoopState &promise21 = t.at("promise 2.1\n");
    QCOMPARE(lines(promise21.nextTicks), QList<int>({10}));  // waits for the microtask queue
    QCOMPARE(promise21.microtasks.total, 0);

    const LoopState &last = t.at("tick from promise 2\n");
    QCOMPARE(last.nextTicks.total, 0);
    QCOMPARE(last.microtasks.total, 0);
    QCOMPARE(last.callStack.cards[0].line, 10);
    QVERIFY(last.callStack.cards[0].createdBy.contains(QStringLiteral("PROMISE")));
}

// 06: immediates of one check phase; an immediate made there waits for the next iteration; the
// nextTick and microtask queues drain between two immediates.
void TestLoopStateModel::immediateChain()
{
    Traced t("06-immediate-chain.js");
    const LoopState &imm1 = t.at("immediate 1\n");
    QCOMPARE(imm1.phase, LoopPhase::Check);
    QCOMPARE(imm1.runningQueue, CallbackQueue::Check);
    QCOMPARE(lines(imm1.immediates), QList<int>({9}));
    const std::uint32_t iteration = imm1.iteration;
    QVERIFY(iteration >= 1);

    const LoopState &tick = t.at("tick after immediate 1\n");
    QCOMPARE(tick.phase, LoopPhase::Check);
    QCOMPARE(tick.runningQueue, CallbackQueue::NextTick);
    QCOMPARE(lines(tick.immediates), QList<int>({9, 5}));
    QCOMPARE(lines(tick.microtasks), QList<int>({7}));
    QCOMPARE(tick.iteration, iteration);

    const LoopState &promise = t.at("promise after immediate 1\n");
    QCOMPARE(promise.runningQueue, CallbackQueue::Microtask);
    QCOMPARE(promise.microtasks.total, 0);
    QCOMPARE(lines(promise.immediates), QList<int>({9, 5}));

    const LoopState &imm3 = t.at("immediate 3 (next iteration)\n");
    QCOMPARE(imm3.phase, LoopPhase::Check);
    QVERIFY(imm3.iteration > iteration);
    QCOMPARE(imm3.immediates.total, 0);
    QVERIFY(imm3.callbacksRun > imm1.callbacksRun);
}

// 05: all three first timers are due in the first timers phase, run in insertion order.
void TestLoopStateModel::timersOrder()
{
    Traced t("05-timers-order.js");
    const LoopState &t1 = t.at("t1 (1ms)\n");
    QCOMPARE(t1.phase, LoopPhase::Timers);
    QCOMPARE(t1.runningQueue, CallbackQueue::Timers);
    QCOMPARE(t1.callStack.cards[0].delayMs, qint64(1));
    QCOMPARE(lines(t1.timers).mid(0, 2), QList<int>({3, 4}));
    QVERIFY(lines(t1.timers).contains(7));
    QVERIFY(t1.timers.cards[0].due);
    QVERIFY(t1.timers.cards[1].due);
    QCOMPARE(t1.timers.cards[0].delayMs, qint64(1));  // 0 ms is 1 ms

    // Before the loop: four timers waiting, none run.
    const LoopState start = t.model.stateAt(t.index->startNs());
    QVERIFY(start.inMainScript);
    QCOMPARE(start.callStack.cards.value(0).name, QStringLiteral("main module"));
}

// 02: inside readFile's callback (poll), a tick, an immediate and a timer are queued; the tick
// runs first, still in poll.
void TestLoopStateModel::ioCallback()
{
    Traced t("02-io-callback.js");
    const LoopState &tick = t.at("nextTick\n");
    QCOMPARE(tick.phase, LoopPhase::Poll);
    QCOMPARE(tick.runningQueue, CallbackQueue::NextTick);
    QCOMPARE(lines(tick.immediates), QList<int>({6}));
    QCOMPARE(lines(tick.timers), QList<int>({5}));
    QVERIFY(tick.iteration >= 1);
    QVERIFY(tick.loopElapsedNs > 0);
    QVERIFY(tick.pollBlockedNs <= tick.loopElapsedNs);
    QVERIFY(tick.utilisation >= 0.0 && tick.utilisation <= 1.0);

    const LoopState &imm = t.at("immediate\n");
    QCOMPARE(imm.phase, LoopPhase::Check);
    QCOMPARE(imm.iteration, tick.iteration);
    QCOMPARE(imm.immediates.total, 0);
    QCOMPARE(lines(imm.timers), QList<int>({5}));

    // While readFile's steps are on the thread pool, a request waits in poll.
    bool sawIo = false;
    for (const IndexedPoolTask &task : t.index->poolTasks()) {
        if (task.startNs == 0)
            continue;
        const LoopState mid = t.model.stateAt(task.startNs);
        sawIo = sawIo || mid.io.total > 0;
    }
    QVERIFY(sawIo);
}

// 07: the destroyed socket's close callback runs in the close phase, after check.
void TestLoopStateModel::closePhase()
{
    Traced t("07-close-phase.js");
    const LoopState &close = t.at("socket close\n");
    QCOMPARE(close.phase, LoopPhase::Close);
    const LoopState &imm = t.at("immediate\n");
    QCOMPARE(imm.phase, LoopPhase::Check);
    QVERIFY(imm.iteration <= close.iteration);

    // The close was asked for exactly where client.destroy() ran (in the 'connected' callback),
    // and the callback that printed "socket close" is that request's close callback.
    const auto &requests = t.index->closeRequests();
    const auto &callbacks = t.index->callbacks();
    const IndexedCallback &closeCallback = callbacks[std::size_t(close.runningCallback)];
    const IndexedCallback &outer = callbacks[std::size_t(close.callStack.cards.last().callback)];
    QCOMPARE(outer.queue, CallbackQueue::Close);
    auto request = std::find_if(requests.begin(), requests.end(),
                                [&](const IndexedCloseRequest &r) { return r.asyncId == outer.asyncId; });
    QVERIFY(request != requests.end());
    QVERIFY(request->callback >= 0);
    QCOMPARE(callbacks[std::size_t(request->callback)].asyncId, outer.asyncId);
    QVERIFY(closeCallback.startNs >= outer.startNs);
    const std::uint64_t connected = t.startOf("connected\n");
    const int connectedCallback = t.index->callbackAt(connected);
    QVERIFY(connectedCallback >= 0);
    QVERIFY(request->timeNs > connected);
    QVERIFY(request->timeNs < callbacks[std::size_t(connectedCallback)].endNs);

    // Before the request: no close waits. From it, the socket's close waits — in the check
    // phase's immediate too — until it runs in the close phase.
    const LoopState beforeRequest = t.model.stateAt(request->timeNs - 1);
    QCOMPARE(beforeRequest.closing.total, 0);
    const LoopState atRequest = t.model.stateAt(request->timeNs);
    QCOMPARE(atRequest.closing.total, 1);
    QCOMPARE(atRequest.closing.cards[0].asyncId, outer.asyncId);
    QCOMPARE(atRequest.closing.cards[0].type, QStringLiteral("TCPWRAP"));
    QCOMPARE(atRequest.closing.cards[0].name, QStringLiteral("anonymous"));  // node's arrow function
    QCOMPARE(atRequest.closing.cards[0].line, 6);                            // net.connect(...)
    QVERIFY(std::any_of(imm.closing.cards.begin(), imm.closing.cards.end(),
                        [&](const LoopCard &c) { return c.asyncId == outer.asyncId; }));
    QVERIFY(std::none_of(close.closing.cards.begin(), close.closing.cards.end(),
                         [&](const LoopCard &c) { return c.asyncId == outer.asyncId; }));
    QCOMPARE(close.callStack.cards.last().asyncId, outer.asyncId);
}

// Close requests in a synthetic trace: the close phase runs libuv's closing list newest first,
// and a card carries its close callback's name from the request (or "anonymous").
void TestLoopStateModel::closeRequestsRunNewestFirst()
{
    auto trace = std::make_shared<Trace>();
    TraceWriter *w = trace->addWriter("loop");
    const std::uint32_t tcp = trace->intern("TCPWRAP"), named = trace->intern("onClosedA");
    const std::uint64_t never = ~std::uint64_t(0);
    w->appendAt(100, TraceKind::IterationStart, 0, 0, 1, 0);
    w->appendAt(100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers), 0, 0, 0);
    w->appendAt(110, TraceKind::AsyncInit, 0, tcp, 10, 1);
    w->appendAt(110, TraceKind::AsyncSource, 0, 0, 0, never);
    w->appendAt(120, TraceKind::AsyncInit, 0, tcp, 11, 1);
    w->appendAt(120, TraceKind::AsyncSource, 0, 0, 0, never);
    w->appendAt(150, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Poll), 0, 0, 0);
    w->appendAt(200, TraceKind::CloseRequest, 0, named, 10, 0);
    w->appendAt(210, TraceKind::CloseRequest, 0, 0, 11, 0);
    w->appendAt(220, TraceKind::CloseRequest, 0, 0, 10, 0);  // a second close: node ignores it
    w->appendAt(300, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Check), 0, 0, 0);
    w->appendAt(400, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Close), 0, 0, 0);
    w->appendAt(410, TraceKind::CallbackBefore, std::uint8_t(CallbackQueue::Close), 0, 11, 0);
    w->appendAt(420, TraceKind::CallbackAfter, std::uint8_t(CallbackQueue::Close), 0, 11, 0);
    w->appendAt(430, TraceKind::CallbackBefore, std::uint8_t(CallbackQueue::Close), 0, 10, 0);
    w->appendAt(440, TraceKind::CallbackAfter, std::uint8_t(CallbackQueue::Close), 0, 10, 0);
    w->appendAt(500, TraceKind::IterationEnd, 0, 0, 1, 0);
    TraceIndex index(trace);
    index.update();
    QCOMPARE(index.closeRequests().size(), std::size_t(2));
    LoopStateModel model;
    model.setIndex(&index);

    auto ids = [](const CardList &list) {
        QList<std::uint64_t> out;
        for (const LoopCard &c : list.cards)
            out.append(c.asyncId);
        return out;
    };
    QCOMPARE(model.stateAt(199).closing.total, 0);
    const LoopState poll = model.stateAt(250);
    QCOMPARE(ids(poll.closing), QList<std::uint64_t>({11, 10}));
    QCOMPARE(poll.closing.cards[0].name, QStringLiteral("anonymous"));
    QCOMPARE(poll.closing.cards[1].name, QStringLiteral("onClosedA"));
    const LoopState first = model.stateAt(415);
    QCOMPARE(first.phase, LoopPhase::Close);
    QCOMPARE(first.callStack.cards[0].asyncId, std::uint64_t(11));
    QCOMPARE(ids(first.closing), QList<std::uint64_t>({10}));
    const LoopState second = model.stateAt(435);
    QCOMPARE(second.callStack.cards[0].name, QStringLiteral("onClosedA"));
    QCOMPARE(second.closing.total, 0);
}

// Names of I/O callbacks, learnt from the request once node has set its callback: the user's
// own function where node keeps it (fs.readFile), "anonymous" where node wraps it in an arrow.
void TestLoopStateModel::ioCallbackNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Traced t(Loopscope::Test::writeFile(dir, QStringLiteral("names.js"),
        "const fs = require('fs');\n"
        "fs.readFile(__filename, function onRead() { console.log('read'); });\n"
        "setTimeout(function onTimer() {}, 1);\n"
        "setImmediate(() => {});\n"));
    QCOMPARE(t.run.out, std::string("read\n"));
    const TraceIndex &index = *t.index;
    LoopStateModel &model = t.model;
    // As the loop starts, everything the main module asked for is waiting.
    QVERIFY(!index.phases().empty());
    const LoopState s = model.stateAt(index.phases().front().startNs);
    auto named = [&](const CardList &list, int line) {
        for (const LoopCard &c : list.cards)
            if (c.line == line)
                return c.name;
        return QString();
    };
    QCOMPARE(named(s.io, 2), QStringLiteral("onRead"));
    QCOMPARE(named(s.timers, 3), QStringLiteral("onTimer"));
    QCOMPARE(named(s.immediates, 4), QStringLiteral("anonymous"));
}

namespace {
// The card of the callback that printed each line of kCallbackNamesScript, at its start.
QMap<QString, QString> cardNames(const std::shared_ptr<const Trace> &trace, QStringList *queued = nullptr)
{
    TraceIndex index(trace);
    index.update();
    LoopStateModel model;
    model.setIndex(&index);
    QMap<QString, QString> out;
    for (const IndexedConsoleWrite &w : index.consoleWrites()) {
        if (w.callback < 0)
            continue;
        const LoopState s = model.stateAt(index.callbacks()[std::size_t(w.callback)].startNs);
        const QString line = QString::fromStdString(w.head).section(QLatin1Char('\n'), 0, 0);
        out[line] = s.callStack.cards.value(0).name;
        if (queued && line == QLatin1String("then"))
            for (const LoopCard &c : s.microtasks.cards)
                queued->append(c.name);
    }
    return out;
}
} // namespace

// Reactions, fs and crypto requests and a socket's close callback, whose functions node hides
// behind its own: their cards carry the script's function names, and so does a trace saved to a
// file and read back.
void TestLoopStateModel::hiddenCallbacksAreNamed()
{
    QTemporaryDir dir;
    const QString path = Loopscope::Test::writeFile(dir, "names.js", Loopscope::Test::kCallbackNamesScript);
    const auto run = TraceTests::runTraced(path);
    QVERIFY2(run.out.starts_with("then\ncatch\nfinally\n"), run.out.c_str());
    QStringList queued;
    const QMap<QString, QString> live = cardNames(run.trace, &queued);
    for (const auto &[line, name] : Loopscope::Test::kCallbackNames)
        QCOMPARE(live.value(QLatin1String(line)), QLatin1String(name));
    // While the first reaction runs, the other two wait in the microtask queue, named.
    QCOMPARE(queued, QStringList({"onError", "onFinally"}));

    auto back = std::make_shared<Trace>();
    std::string error;
    QVERIFY2(traceFromChromeJson(traceToChromeJson(*run.trace), *back, &error), error.c_str());
    QCOMPARE(cardNames(back), live);
}

// Counters on a real run whose loop waits 500 ms for a timer in poll: the iteration, the time
// blocked (most of the wait: the kernel's, whatever the load) and a low utilisation.
void TestLoopStateModel::countersOnATimerWait()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Traced t(Loopscope::Test::writeFile(dir, QStringLiteral("wait.js"),
        "setTimeout(() => console.log('late'), 500);\n"));
    QCOMPARE(t.run.out, std::string("late\n"));
    const TraceIndex &index = *t.index;
    LoopStateModel &model = t.model;
    std::uint64_t late = 0;
    for (const IndexedConsoleWrite &w : index.consoleWrites())
        if (w.head == "late\n")
            late = index.callbacks()[std::size_t(w.callback)].startNs;
    QVERIFY(late > 0);
    const LoopState s = model.stateAt(late);
    QCOMPARE(s.phase, LoopPhase::Timers);
    QVERIFY(s.iteration >= 2);  // the first iteration's poll waited; the timer ran in a later one
    // Blocked: the sum of the polls' PollEnd records before the cursor, read from the trace.
    std::uint64_t blocked = 0;
    t.run.trace->forEach(0, [&](const TraceRecord &r) {
        if (r.kind == TraceKind::PollEnd && r.timeNs <= late)
            blocked += r.b;
    });
    QCOMPARE(s.pollBlockedNs, blocked);
    QVERIFY2(s.pollBlockedNs >= 250'000'000u, qPrintable(QString::number(s.pollBlockedNs)));
    QVERIFY(s.pollBlockedNs <= s.loopElapsedNs);
    QCOMPARE(s.loopElapsedNs, late - index.phases().front().startNs);  // no pauses in a free run
    QVERIFY2(s.utilisation < 0.5, qPrintable(QString::number(s.utilisation)));
    QCOMPARE(s.utilisation, 1.0 - double(s.pollBlockedNs) / double(s.loopElapsedNs));
}

// Step mode's pauses (StepPause to the next loop record) are not loop time: utilisation is
// blocked time against the time the loop really ran.
void TestLoopStateModel::countersLeaveOutPauses()
{
    auto trace = std::make_shared<Trace>();
    TraceWriter *w = trace->addWriter("loop");
    const std::uint32_t immediate = trace->intern("Immediate");
    const std::uint64_t never = ~std::uint64_t(0);
    w->appendAt(50, TraceKind::AsyncInit, 0, immediate, 5, 1);
    w->appendAt(50, TraceKind::AsyncSource, 0, 0, 0, never);
    w->appendAt(100, TraceKind::IterationStart, 0, 0, 1, 0);
    w->appendAt(100, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers), 0, 0, 0);
    w->appendAt(200, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Poll), 0, 0, 0);
    w->appendAt(600, TraceKind::PollEnd, 0, 0, 300, 0);  // blocked 300 of the poll's 400
    w->appendAt(600, TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Check), 0, 0, 0);
    w->appendAt(700, TraceKind::StepPause, std::uint8_t(CallbackQueue::Check), immediate, 5, 2);
    w->appendAt(10700, TraceKind::CallbackBefore, std::uint8_t(CallbackQueue::Check), 0, 5, 0);
    w->appendAt(10800, TraceKind::CallbackAfter, std::uint8_t(CallbackQueue::Check), 0, 5, 0);
    TraceIndex index(trace);
    index.update();
    LoopStateModel model;
    model.setIndex(&index);

    QCOMPARE(index.pausedNsBefore(700), std::uint64_t(0));
    QCOMPARE(index.pausedNsBefore(5700), std::uint64_t(5000));
    QCOMPARE(index.pausedNsBefore(20000), std::uint64_t(10000));
    QCOMPARE(index.pausedBeforeAt(5700), std::uint64_t(5));
    QCOMPARE(index.pausedBeforeAt(10750), std::uint64_t(0));

    const LoopState pausedState = model.stateAt(5700);  // halfway through the pause
    QVERIFY(pausedState.paused);
    QCOMPARE(pausedState.next.asyncId, std::uint64_t(5));
    QCOMPARE(pausedState.nextQueue, CallbackQueue::Check);
    QCOMPARE(lines(pausedState.immediates).size(), 1);
    QCOMPARE(pausedState.loopElapsedNs, std::uint64_t(600));  // 100 → 700: the pause does not count
    QCOMPARE(pausedState.pollBlockedNs, std::uint64_t(300));
    QCOMPARE(pausedState.utilisation, 0.5);
    const LoopState after = model.stateAt(10800);
    QVERIFY(!after.paused);
    QCOMPARE(after.loopElapsedNs, std::uint64_t(700));  // 10 700 less the 10 000 paused
    QCOMPARE(after.utilisation, 1.0 - 300.0 / 700.0);
}

// Live: the model follows an index that grows, and says so.
void TestLoopStateModel::followsAGrowingIndex()
{
    auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/06-immediate-chain.js"));
    // Replay the run's loop records into a fresh trace in two halves.
    std::vector<TraceRecord> records;
    run.trace->forEach(0, [&](const TraceRecord &r) { records.push_back(r); });
    auto trace = std::make_shared<Trace>();
    for (std::uint32_t i = 1; i < 200; ++i)
        trace->intern(run.trace->string(i));
    TraceWriter *w = trace->addWriter("loop");
    TraceIndex index(trace);
    LoopStateModel model;
    QSignalSpy changed(&model, &LoopStateModel::stateChanged);
    model.setIndex(&index);
    const std::size_t half = records.size() / 2;
    for (std::size_t i = 0; i < half; ++i)
        w->appendAt(records[i].timeNs, records[i].kind, records[i].detail, records[i].a, records[i].b, records[i].c);
    index.update();
    model.indexGrew();
    model.setCursorNs(index.endNs());
    const int before = model.state().callbacksRun;
    for (std::size_t i = half; i < records.size(); ++i)
        w->appendAt(records[i].timeNs, records[i].kind, records[i].detail, records[i].a, records[i].b, records[i].c);
    index.update();
    model.indexGrew();
    model.setCursorNs(index.endNs());
    QVERIFY(model.state().callbacksRun > before);
    QCOMPARE(model.state().immediates.total, 0);
    QVERIFY(changed.count() >= 3);
}

// A chain of 50 000 then()s: each reaction is queued only when the previous one's promise
// resolves, so at the start of any of them the microtask queue is empty. Prints what a state
// costs at the chain's end, where the most resources precede the cursor (no timing assertion:
// the machine may be busy).
void TestLoopStateModel::costOnALongPromiseChain()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Traced t(Loopscope::Test::writeFile(dir, QStringLiteral("chain.js"),
        "let p = Promise.resolve(0);\n"
        "for (let i = 0; i < 50000; i++) p = p.then((v) => v + 1);\n"
        "p.then((v) => console.log(v));\n"));
    QCOMPARE(t.run.out, std::string("50000\n"));
    const TraceIndex &index = *t.index;
    LoopStateModel &model = t.model;
    std::vector<int> reactions;
    for (std::size_t i = 0; i < index.callbacks().size(); ++i)
        if (index.callbacks()[i].queue == CallbackQueue::Microtask)
            reactions.push_back(int(i));
    QVERIFY(reactions.size() >= 50000);
    std::vector<double> ms;
    for (int k = 0; k < 40; ++k) {
        const int c = reactions[reactions.size() - 1 - std::size_t(k) * 97];
        QElapsedTimer clock;
        clock.start();
        const LoopState s = model.stateAt(index.callbacks()[std::size_t(c)].startNs);
        ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        QCOMPARE(s.runningCallback, c);
        QCOMPARE(s.microtasks.total, 0);
    }
    // Before the first reaction ran, exactly the first is queued (then() on a resolved promise).
    const LoopState first = model.stateAt(index.callbacks()[std::size_t(reactions[0])].startNs - 1);
    QCOMPARE(first.microtasks.total, 1);
    std::sort(ms.begin(), ms.end());
    qInfo("state at a cursor over %zu resources, %zu callbacks: median %.2f ms, max %.2f ms",
          index.resources().size(), index.callbacks().size(), ms[ms.size() / 2], ms.back());
}

QTEST_GUILESS_MAIN(TestLoopStateModel)
#include "tst_loopstatemodel.moc"
