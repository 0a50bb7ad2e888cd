// TraceIndex: callbacks with nesting and queues, resources, phases, pool lanes and console writes,
// built incrementally — on real traced runs of the conformance scripts (checked against Node's
// rules, not against the recorder's output) and on hand-built traces for the edge cases.
#include "testfiles.h"
#include "traceexport.h"
#include "traceimport.h"
#include "traceindex.h"
#include "traceruns.h"

#include <QtTest>

#include <map>
#include <set>

using namespace Loopscope::Runtime;

class TestTraceIndex : public QObject {
    Q_OBJECT
private slots:
    void ioCallbackRun();
    void nestedTicksRun();
    void poolTasksRun();
    void callbackNamesRun();
    void liveGrowthAcrossUpdates();
    void followsARunningScript();
    void growthAcrossChunks();
    void runningCallbacks();
    void nestedCallbacks();
    void poolTasksOnSeveralWorkers();
};

namespace {

// The script's own resources (made with a frame of the script on the stack, not by the runtime's
// output path) whose type is `type`, in init order.
std::vector<const IndexedResource *> scriptResources(const TraceIndex &index, const char *type)
{
    const std::uint32_t typeId = index.findString(type);
    std::vector<const IndexedResource *> out;
    for (const IndexedResource &r : index.resources())
        if (r.type == typeId && typeId != 0 && r.file != 0 && !r.internal)
            out.push_back(&r);
    return out;
}

std::string headOf(const TraceIndex &index, int callback)
{
    for (const IndexedConsoleWrite &w : index.consoleWrites())
        if (w.callback == callback)
            return w.head;
    return {};
}

struct Builder {
    Trace trace;
    TraceWriter *loop = trace.addWriter("loop");
    std::uint64_t t = 1000;
    std::uint64_t next() { return t += 10; }
    void add(TraceKind kind, std::uint8_t detail = 0, std::uint32_t a = 0, std::uint64_t b = 0, std::uint64_t c = 0)
    {
        loop->appendAt(next(), kind, detail, a, b, c);
    }
    void init(std::uint64_t asyncId, const char *type, std::uint64_t trigger = 1, std::uint32_t line = 0)
    {
        add(TraceKind::AsyncInit, 0, trace.intern(type), asyncId, trigger);
        add(TraceKind::AsyncSource, 0, line ? trace.intern("/s.js") : 0, std::uint64_t(line) << 32 | 3, ~std::uint64_t(0));
    }
    void before(std::uint64_t asyncId, CallbackQueue q) { add(TraceKind::CallbackBefore, std::uint8_t(q), 0, asyncId); }
    void after(std::uint64_t asyncId, CallbackQueue q) { add(TraceKind::CallbackAfter, std::uint8_t(q), 0, asyncId); }
};

} // namespace

// 02-io-callback.js: inside readFile's callback a tick, an immediate and a 0 ms timer are made.
// The tick runs right after the callback (still in poll), the immediate in the same iteration's
// check phase, the timer in a later iteration's timers phase.
void TestTraceIndex::ioCallbackRun()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/02-io-callback.js"));
    QCOMPARE(run.out, std::string("nextTick\nimmediate\ntimeout\n"));
    TraceIndex index(run.trace);
    QVERIFY(index.update());
    QVERIFY(!index.update());  // the run is over: nothing new

    const auto ticks = scriptResources(index, "TickObject");
    const auto immediates = scriptResources(index, "Immediate");
    const auto timeouts = scriptResources(index, "Timeout");
    QCOMPARE(ticks.size(), std::size_t(1));
    QCOMPARE(immediates.size(), std::size_t(1));
    QCOMPARE(timeouts.size(), std::size_t(1));
    QCOMPARE(ticks[0]->line, 7u);
    QCOMPARE(immediates[0]->line, 6u);
    QCOMPARE(timeouts[0]->line, 5u);
    QCOMPARE(timeouts[0]->timerDelayMs, std::int64_t(1));  // 0 ms is 1 ms
    QCOMPARE(index.string(timeouts[0]->file), QFileInfo(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/02-io-callback.js")).canonicalFilePath().toStdString());

    const IndexedCallback &tick = index.callbacks()[std::size_t(ticks[0]->firstCallback)];
    const IndexedCallback &immediate = index.callbacks()[std::size_t(immediates[0]->firstCallback)];
    const IndexedCallback &timeout = index.callbacks()[std::size_t(timeouts[0]->firstCallback)];
    QCOMPARE(tick.queue, CallbackQueue::NextTick);
    QCOMPARE(tick.phase, LoopPhase::Poll);
    QCOMPARE(tick.depth, 0);
    QCOMPARE(immediate.queue, CallbackQueue::Check);
    QCOMPARE(immediate.phase, LoopPhase::Check);
    QCOMPARE(immediate.iteration, tick.iteration);
    QCOMPARE(timeout.queue, CallbackQueue::Timers);
    QVERIFY(timeout.iteration > immediate.iteration);
    QVERIFY(tick.startNs < immediate.startNs && immediate.startNs < timeout.startNs);
    QVERIFY(tick.endNs > tick.startNs);

    // The three resources were made by the same callback: readFile's, run from poll.
    const IndexedResource *maker = index.resource(ticks[0]->triggerAsyncId);
    QVERIFY(maker);
    QCOMPARE(immediates[0]->triggerAsyncId, ticks[0]->triggerAsyncId);
    QVERIFY(maker->firstCallback >= 0);
    QCOMPARE(index.callbacks()[std::size_t(maker->firstCallback)].queue, CallbackQueue::Poll);

    // Each line of output is tied to the callback that printed it.
    QCOMPARE(headOf(index, ticks[0]->firstCallback), std::string("nextTick\n"));
    QCOMPARE(headOf(index, immediates[0]->firstCallback), std::string("immediate\n"));
    QCOMPARE(headOf(index, timeouts[0]->firstCallback), std::string("timeout\n"));

    // Cursor queries.
    const std::uint64_t mid = immediate.startNs + (immediate.endNs - immediate.startNs) / 2;
    QCOMPARE(index.callbackAt(mid), immediates[0]->firstCallback);
    const int phase = index.phaseAt(mid);
    QVERIFY(phase >= 0);
    QCOMPARE(index.phases()[std::size_t(phase)].phase, LoopPhase::Check);
    QCOMPARE(index.phases()[std::size_t(phase)].iteration, immediate.iteration);
    QCOMPARE(index.callbackAt(immediate.endNs), -1);  // between callbacks: nothing runs
    QCOMPARE(index.firstCallbackAfter(immediate.startNs) > immediates[0]->firstCallback, true);
    QVERIFY(index.iterations() >= 2);
    QVERIFY(index.startNs() > 0 && index.startNs() < tick.startNs && index.endNs() > timeout.startNs);

    // Phases of one iteration come in libuv's order and do not overlap.
    for (std::size_t i = 1; i < index.phases().size(); ++i) {
        const IndexedPhase &a = index.phases()[i - 1], &b = index.phases()[i];
        QVERIFY(a.endNs != 0 && a.endNs <= b.startNs);
        if (a.iteration == b.iteration)
            QVERIFY(int(a.phase) < int(b.phase));
    }
}

// 03-nested-ticks.js: all ticks (including the one queued while ticks drain) before any promise
// reaction; the tick queued by a promise reaction runs after the microtask queue drains.
void TestTraceIndex::nestedTicksRun()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/03-nested-ticks.js"));
    TraceIndex index(run.trace);
    index.update();
    std::vector<std::string> order;
    std::vector<CallbackQueue> queues;
    for (std::size_t i = 0; i < index.callbacks().size(); ++i) {
        const std::string head = headOf(index, int(i));
        if (!head.empty()) {
            order.push_back(head);
            queues.push_back(index.callbacks()[i].queue);
        }
    }
    const std::vector<std::string> expected = {"tick 1\n", "tick 2\n", "tick 1.1\n", "promise 1\n",
                                               "promise 2\n", "promise 2.1\n", "tick from promise 2\n"};
    QCOMPARE(order, expected);
    const std::vector<CallbackQueue> expectedQueues = {
        CallbackQueue::NextTick, CallbackQueue::NextTick, CallbackQueue::NextTick, CallbackQueue::Microtask,
        CallbackQueue::Microtask, CallbackQueue::Microtask, CallbackQueue::NextTick};
    QCOMPARE(queues, expectedQueues);

    // The tick made by "promise 2" was triggered by that reaction's promise.
    const auto ticks = scriptResources(index, "TickObject");
    QCOMPARE(ticks.size(), std::size_t(4));
    const IndexedResource *last = ticks.back();
    const IndexedResource *reaction = index.resource(last->triggerAsyncId);
    QVERIFY(reaction);
    QCOMPARE(index.string(reaction->type), std::string("PROMISE"));
    QCOMPARE(headOf(index, reaction->firstCallback), std::string("promise 2\n"));
    // Everything ran after the main module, before the loop's first iteration.
    for (const IndexedCallback &c : index.callbacks())
        if (c.queue == CallbackQueue::NextTick || c.queue == CallbackQueue::Microtask)
            QCOMPARE(c.iteration, 0u);
}

// 6 × pbkdf2 on a pool of 4: four lanes start together, two tasks wait for a free one; each
// completion runs its JS callback on the loop.
void TestTraceIndex::poolTasksRun()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_TEST_DATA "/pool-pbkdf2.js"));
    TraceIndex index(run.trace);
    index.update();
    std::vector<const IndexedPoolTask *> cpu;
    for (const IndexedPoolTask &t : index.poolTasks())
        if (index.string(t.what) == "work")
            cpu.push_back(&t);
    QCOMPARE(cpu.size(), std::size_t(6));
    QCOMPARE(index.poolSize(), 4);
    std::set<int> firstLanes;
    for (std::size_t i = 0; i < 4; ++i)
        firstLanes.insert(cpu[i]->lane);
    QCOMPARE(firstLanes.size(), std::size_t(4));
    for (const IndexedPoolTask *t : cpu) {
        QVERIFY(t->lane >= 0 && t->lane < 4);
        QVERIFY(t->submitNs <= t->startNs && t->startNs <= t->finishNs && t->finishNs <= t->completeNs);
        QVERIFY(t->completeCallback >= 0);
        const IndexedCallback &cb = index.callbacks()[std::size_t(t->completeCallback)];
        QVERIFY(cb.startNs >= t->completeNs);
        QCOMPARE(cb.queue, CallbackQueue::Poll);
    }
    // The last two waited: each started only after one of the first four had finished.
    const std::uint64_t firstFinish = std::min({cpu[0]->finishNs, cpu[1]->finishNs, cpu[2]->finishNs, cpu[3]->finishNs});
    QVERIFY(cpu[4]->startNs >= firstFinish);
    QVERIFY(cpu[5]->startNs >= firstFinish);
}

// Function names ride on Timeout, Immediate and TickObject resources; anonymous functions have
// none. A Chrome-trace export and import keeps them.
void TestTraceIndex::callbackNamesRun()
{
    const auto run = TraceTests::runTraced(QStringLiteral(LOOPSCOPE_TEST_DATA "/named-callbacks.js"));
    // (From the main module, whether the 1 ms timer or the immediate runs first depends on timing.)
    QCOMPARE(run.out.size(), std::string("tick\nimmediate\ntimer\nanonymous\n").size());
    auto namesByLine = [](const TraceIndex &index) {
        std::map<std::uint32_t, std::string> names;
        for (const IndexedResource &r : index.resources())
            if (r.file != 0 && !r.internal && r.firstCallback >= 0)
                names[r.line] = r.name ? index.string(r.name) : std::string("-");
        return names;
    };
    TraceIndex index(run.trace);
    index.update();
    const std::map<std::uint32_t, std::string> expected = {
        {2, "onTimer"}, {3, "onImmediate"}, {5, "tick"}, {6, "-"}};
    QCOMPARE(namesByLine(index), expected);

    auto imported = std::make_shared<Trace>();
    std::string error;
    QVERIFY2(traceFromChromeJson(traceToChromeJson(*run.trace), *imported, &error), error.c_str());
    TraceIndex reread(imported);
    reread.update();
    QCOMPARE(namesByLine(reread), expected);
    QCOMPARE(reread.callbacks().size(), index.callbacks().size());
}

// A live trace: each update() picks up exactly what was appended since the last.
void TestTraceIndex::liveGrowthAcrossUpdates()
{
    auto b = std::make_shared<Builder>();
    std::shared_ptr<const Trace> trace(b, &b->trace);
    TraceIndex index(trace);
    QVERIFY(!index.update());
    b->add(TraceKind::IterationStart, 0, 0, 1);
    b->add(TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Timers));
    b->init(10, "Timeout", 1, 4);
    QVERIFY(index.update());
    QCOMPARE(index.phases().size(), std::size_t(1));
    QCOMPARE(index.phases()[0].endNs, std::uint64_t(0));
    QVERIFY(index.resource(10));
    QCOMPARE(index.resource(10)->line, 4u);
    QCOMPARE(index.resource(10)->firstCallback, -1);
    QVERIFY(!index.update());

    b->before(10, CallbackQueue::Timers);
    QVERIFY(index.update());
    QCOMPARE(index.callbacks().size(), std::size_t(1));
    QCOMPARE(index.callbacks()[0].endNs, std::uint64_t(0));  // still running
    QCOMPARE(index.callbackAt(b->t + 1000000), 0);            // running now, and after
    b->loop->appendConsoleWrite(1, "hello from a timer\n");
    b->after(10, CallbackQueue::Timers);
    b->add(TraceKind::AsyncDestroy, 0, 0, 10);
    b->add(TraceKind::PhaseEnter, std::uint8_t(LoopPhase::IdlePrepare));
    QVERIFY(index.update());
    QVERIFY(index.callbacks()[0].endNs > index.callbacks()[0].startNs);
    QCOMPARE(index.callbackAt(b->t), -1);
    QVERIFY(index.resource(10)->destroyNs > 0);
    QCOMPARE(index.consoleWrites().size(), std::size_t(1));
    QCOMPARE(index.consoleWrites()[0].callback, 0);
    QCOMPARE(index.consoleWrites()[0].head, std::string("hello from a timer\n"));
    QCOMPARE(index.phases().size(), std::size_t(2));
    QVERIFY(index.phases()[0].endNs > 0);
    QCOMPARE(index.phaseAt(index.callbacks()[0].startNs), 0);
    QCOMPARE(index.phaseAt(b->t), 1);
    QCOMPARE(index.iterations(), 1u);
}

// Read while a real run appends: the same callbacks as an index made once the run is over.
void TestTraceIndex::followsARunningScript()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString script = Loopscope::Test::writeFile(dir, QStringLiteral("live.js"),
        "let n = 0;\n"
        "function step() { for (let i = 0; i < 50; i++) Promise.resolve(i).then(() => {});\n"
        "  if (++n < 40) setTimeout(step, 2); else console.log('done'); }\n"
        "step();\n");
    Loopscope::Runtime::RunOptions options;
    options.scriptPath = QFileInfo(script).canonicalFilePath().toStdString();
    options.trace = std::make_shared<Trace>();
    TraceTests::Captured captured;
    ScriptRun run(options, &captured);
    TraceIndex live(options.trace);
    run.start();
    int updates = 0;
    while (run.isRunning()) {
        updates += live.update() ? 1 : 0;
        QTest::qWait(1);
    }
    run.wait();
    live.update();
    TraceIndex once(options.trace);
    once.update();
    QCOMPARE(captured.out, std::string("done\n"));
    QVERIFY(updates >= 1);
    QCOMPARE(live.callbacks().size(), once.callbacks().size());
    QVERIFY(live.callbacks().size() >= 40 * 51);
    for (std::size_t i = 0; i < once.callbacks().size(); ++i) {
        QCOMPARE(live.callbacks()[i].asyncId, once.callbacks()[i].asyncId);
        QCOMPARE(live.callbacks()[i].endNs, once.callbacks()[i].endNs);
        QCOMPARE(live.callbacks()[i].parent, once.callbacks()[i].parent);
    }
    QCOMPARE(live.phases().size(), once.phases().size());
    QCOMPARE(live.resources().size(), once.resources().size());
    qInfo("live: %d updates that found records, %zu callbacks", updates, live.callbacks().size());
}

// Across chunk boundaries and in arbitrary update steps, the result is the one-shot result.
void TestTraceIndex::growthAcrossChunks()
{
    auto b = std::make_shared<Builder>();
    std::shared_ptr<const Trace> trace(b, &b->trace);
    TraceIndex live(trace);
    const int n = 3000;  // 3 records each: over four chunks
    for (int i = 0; i < n; ++i) {
        b->add(TraceKind::AsyncInit, 0, b->trace.intern("Immediate"), std::uint64_t(100 + i), 1);
        b->before(std::uint64_t(100 + i), CallbackQueue::Check);
        b->after(std::uint64_t(100 + i), CallbackQueue::Check);
        if (i % 457 == 0)
            live.update();
    }
    live.update();
    TraceIndex once(trace);
    once.update();
    QCOMPARE(live.callbacks().size(), std::size_t(n));
    QCOMPARE(once.callbacks().size(), std::size_t(n));
    for (int i = 0; i < n; ++i) {
        QCOMPARE(live.callbacks()[std::size_t(i)].asyncId, std::uint64_t(100 + i));
        QCOMPARE(live.callbacks()[std::size_t(i)].startNs, once.callbacks()[std::size_t(i)].startNs);
        QCOMPARE(live.callbacks()[std::size_t(i)].endNs, once.callbacks()[std::size_t(i)].endNs);
    }
    QCOMPARE(live.resources().size(), std::size_t(n));
    QCOMPARE(trace->forEachFrom(0, std::size_t(3 * n), [](const TraceRecord &) { QFAIL("nothing is left"); }),
             std::size_t(3 * n));
    std::size_t seen = 0;
    QCOMPARE(trace->forEachFrom(0, std::size_t(3 * n - 5), [&](const TraceRecord &) { ++seen; }), std::size_t(3 * n));
    QCOMPARE(seen, std::size_t(5));
}

// A run stopped inside callbacks leaves them open: still "running" at any later cursor.
void TestTraceIndex::runningCallbacks()
{
    auto b = std::make_shared<Builder>();
    std::shared_ptr<const Trace> trace(b, &b->trace);
    b->init(5, "Immediate");
    b->before(5, CallbackQueue::Check);
    b->init(6, "TickObject");
    b->before(6, CallbackQueue::NextTick);
    TraceIndex index(trace);
    index.update();
    QCOMPARE(index.callbacks().size(), std::size_t(2));
    QCOMPARE(index.callbacks()[1].parent, 0);
    QCOMPARE(index.callbackAt(b->t + 5000), 1);
    b->after(6, CallbackQueue::NextTick);
    index.update();
    QCOMPARE(index.callbackAt(b->t + 5000), 0);
    QCOMPARE(index.callbacks()[0].endNs, std::uint64_t(0));
}

// Callbacks inside callbacks (an emitter's listener run by a socket callback, a microtask inside
// a macrotask): parents, depths, and the innermost one at any moment.
void TestTraceIndex::nestedCallbacks()
{
    auto b = std::make_shared<Builder>();
    std::shared_ptr<const Trace> trace(b, &b->trace);
    b->add(TraceKind::IterationStart, 0, 0, 1);
    b->add(TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Poll));
    b->before(1, CallbackQueue::Poll);       // A
    const std::uint64_t inA = b->next();
    b->before(2, CallbackQueue::Microtask);  // B in A
    b->before(3, CallbackQueue::Microtask);  // C in B
    const std::uint64_t inC = b->next();
    b->after(3, CallbackQueue::Microtask);
    const std::uint64_t backInB = b->next();
    b->after(2, CallbackQueue::Microtask);
    const std::uint64_t backInA = b->next();
    b->before(4, CallbackQueue::NextTick);   // D in A
    b->after(4, CallbackQueue::NextTick);
    b->after(1, CallbackQueue::Poll);
    const std::uint64_t outside = b->next();
    b->before(5, CallbackQueue::Poll);       // E
    b->after(5, CallbackQueue::Poll);
    TraceIndex index(trace);
    index.update();
    const auto &cbs = index.callbacks();
    QCOMPARE(cbs.size(), std::size_t(5));
    QCOMPARE(cbs[0].parent, -1);
    QCOMPARE(cbs[1].parent, 0);
    QCOMPARE(cbs[2].parent, 1);
    QCOMPARE(cbs[2].depth, 2);
    QCOMPARE(cbs[3].parent, 0);
    QCOMPARE(cbs[3].depth, 1);
    QCOMPARE(cbs[4].parent, -1);
    QCOMPARE(cbs[4].iteration, 1u);
    QCOMPARE(cbs[4].phase, LoopPhase::Poll);
    QCOMPARE(index.callbackAt(inA), 0);
    QCOMPARE(index.callbackAt(inC), 2);
    QCOMPARE(index.callbackAt(backInB), 1);
    QCOMPARE(index.callbackAt(backInA), 0);
    QCOMPARE(index.callbackAt(outside), -1);
    QCOMPARE(index.callbackAt(cbs[4].startNs), 4);
    QCOMPARE(index.callbackAt(cbs[0].startNs - 1), -1);
    QCOMPARE(index.resource(3)->firstCallback, 2);
}

// Pool tasks on several workers: lanes by first use, completion callbacks found, tasks seen on a
// worker before their submit (published later) still merged into one.
void TestTraceIndex::poolTasksOnSeveralWorkers()
{
    auto b = std::make_shared<Builder>();
    std::shared_ptr<const Trace> trace(b, &b->trace);
    TraceWriter *w7 = b->trace.addWriter("worker 7");
    TraceWriter *w9 = b->trace.addWriter("worker 9");
    const std::uint32_t open = b->trace.intern("fs.open");
    const std::uint32_t cpu = b->trace.intern("cpu");
    TraceIndex index(trace);
    b->add(TraceKind::PoolSubmit, 0, open, 1);
    b->add(TraceKind::PoolSubmit, 0, cpu, 2);
    b->add(TraceKind::PoolSubmit, 0, cpu, 3);
    w9->appendAt(b->next(), TraceKind::PoolStart, 0, 0, 1, 0);
    w7->appendAt(b->next(), TraceKind::PoolStart, 0, 0, 2, 0);
    index.update();
    QCOMPARE(index.poolTasks().size(), std::size_t(3));
    QCOMPARE(index.poolTasks()[0].lane, 1);  // worker 9's writer comes second: lanes by writer
    QCOMPARE(index.poolTasks()[1].lane, 0);
    QCOMPARE(index.poolTasks()[2].lane, -1);  // waiting
    QCOMPARE(index.poolSize(), 4);
    w9->appendAt(b->next(), TraceKind::PoolFinish, 0, 0, 1, 0);
    w9->appendAt(b->next(), TraceKind::PoolStart, 0, 0, 3, 0);
    b->add(TraceKind::PoolComplete, 0, 0, 1);
    b->init(50, "FSREQCALLBACK");
    b->before(50, CallbackQueue::Poll);
    b->after(50, CallbackQueue::Poll);
    w7->appendAt(b->next(), TraceKind::PoolFinish, 0, 0, 2, 0);
    b->add(TraceKind::PoolComplete, 0, 0, 2);
    b->before(51, CallbackQueue::Poll);  // runs straight from the completion
    b->after(51, CallbackQueue::Poll);
    b->add(TraceKind::PoolComplete, 0, 0, 3);
    b->add(TraceKind::PhaseEnter, std::uint8_t(LoopPhase::Check));
    b->before(52, CallbackQueue::Check);  // not the completion's: a phase came between
    index.update();
    const auto &tasks = index.poolTasks();
    QCOMPARE(tasks[0].completeCallback, -1);  // an init came between: not its callback
    QCOMPARE(tasks[1].completeCallback, 1);
    QCOMPARE(tasks[2].completeCallback, -1);
    QCOMPARE(tasks[2].lane, 1);
    QVERIFY(tasks[1].finishNs > tasks[1].startNs);
    QCOMPARE(index.string(tasks[0].what), std::string("fs.open"));

    // A worker record read before the submit it follows.
    TraceIndex early(trace);
    TraceWriter *w11 = b->trace.addWriter("worker 11");
    early.update();
    w11->appendAt(b->next(), TraceKind::PoolStart, 0, 0, 99, 0);
    early.update();
    b->add(TraceKind::PoolSubmit, 0, cpu, 99);
    early.update();
    QCOMPARE(early.poolTasks().size(), std::size_t(4));
    QCOMPARE(early.poolTasks().back().workId, std::uint64_t(99));
    QCOMPARE(early.poolTasks().back().what, cpu);
    QCOMPARE(early.poolTasks().back().lane, 2);
}

QTEST_GUILESS_MAIN(TestTraceIndex)
#include "tst_traceindex.moc"
