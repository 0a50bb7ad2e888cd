// LoopStateModel on real traced runs of the conformance scripts: the queues, the call stack and
// the phase at chosen cursor positions, as Node's rules say they must be (the script's lines
// identify the cards; the callbacks are found by what they printed).
#include "loopstatemodel.h"
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
    void followsAGrowingIndex();
    void costOnALongPromiseChain();
};

namespace {

struct Traced {
    TraceTests::TracedRun run;
    std::unique_ptr<TraceIndex> index;
    LoopStateModel model;

    explicit Traced(const char *script)
        : run(TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/") + QLatin1String(script)))
        , index(std::make_unique<TraceIndex>(run.trace))
    {
        index->update();
        model.setIndex(index.get());
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
    QVERIFY(imm.closing.total >= 1);  // the socket's close is waiting for the close phase
    QVERIFY(imm.iteration <= close.iteration);
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
    QFile f(dir.filePath(QStringLiteral("chain.js")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("let p = Promise.resolve(0);\n"
            "for (let i = 0; i < 50000; i++) p = p.then((v) => v + 1);\n"
            "p.then((v) => console.log(v));\n");
    f.close();
    const auto run = TraceTests::runTraced(f.fileName());
    QCOMPARE(run.out, std::string("50000\n"));
    TraceIndex index(run.trace);
    index.update();
    LoopStateModel model;
    model.setIndex(&index);
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
