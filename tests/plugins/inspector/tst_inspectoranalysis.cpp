// The inspector's analyses on real traced runs: flow arrows for a selection (creation → run, up
// the causal chain), the search's filter model, the counter tracks (queue lengths reasoned out by
// hand from Node's rules for the conformance scripts; loop lag and utilisation on the
// blocking-the-loop lesson), a model that follows a live run update by update ending exactly
// where a model of the finished trace does, and all of it on a trace recorded by the plain-node
// preload.

#include "callbackfilter.h"
#include "causalitychain.h"
#include "flowarrows.h"
#include "inspectormodel.h"
#include "scriptrun.h"
#include "trace.h"
#include "traceexport.h"
#include "traceimport.h"
#include "traceindex.h"
#include "traceruns.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace Loopscope::Runtime;
using namespace Loopscope::Inspector;

namespace {

std::shared_ptr<Trace> tracedPath(const QString &path)
{
    return TraceTests::runTraced(path).trace;
}

std::shared_ptr<Trace> traced(const char *conformanceScript)
{
    return tracedPath(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/") + QLatin1String(conformanceScript));
}

int callbackPrinting(const TraceIndex &index, const std::string &text)
{
    for (const IndexedConsoleWrite &w : index.consoleWrites())
        if (w.head.rfind(text, 0) == 0)
            return w.callback;
    return -1;
}

std::vector<double> levels(const CounterTrack &track)
{
    std::vector<double> out;
    for (std::size_t i = 0; i < track.size(); ++i)
        out.push_back(track.value(i));
    return out;
}

QString show(const std::vector<double> &v)
{
    QStringList parts;
    for (double d : v)
        parts << QString::number(d);
    return parts.join(QLatin1Char(','));
}

#define COMPARE_LEVELS(track, ...) \
    QVERIFY2(levels(track) == (std::vector<double>{__VA_ARGS__}), qPrintable(show(levels(track))))

int mainCallback(const TraceIndex &index)
{
    for (size_t i = 0; i < index.callbacks().size(); ++i)
        if (index.callbacks()[i].queue == CallbackQueue::Main)
            return int(i);
    return -1;
}

// The trace saved as a file and opened again.
std::shared_ptr<Trace> reopened(const Trace &trace)
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("t.json")).toStdString();
    std::string error;
    auto read = std::make_shared<Trace>();
    if (!writeChromeTrace(trace, path, &error) || !readChromeTrace(path, *read, &error))
        qFatal("%s", error.c_str());
    return read;
}

} // namespace

class TestInspectorAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // tick 1.1 was made inside tick 1's callback, which the main module queued: two arrows,
    // tick 1 → tick 1.1 (the selection's own), main → tick 1 (its cause).
    void flowArrowsFollowTheChain()
    {
        TraceIndex index(traced("03-nested-ticks.js"));
        index.update();
        const int tick1 = callbackPrinting(index, "tick 1\n"), tick11 = callbackPrinting(index, "tick 1.1");
        QVERIFY(tick1 >= 0 && tick11 >= 0);
        const auto arrows = flowArrows(index, tick11);
        QCOMPARE(arrows.size(), size_t(2));
        QCOMPARE(arrows[0].toCallback, tick11);
        QCOMPARE(arrows[0].fromCallback, tick1);
        QCOMPARE(arrows[0].chainDepth, 0);
        QCOMPARE(arrows[0].asyncId, index.callbacks()[size_t(tick11)].asyncId);
        QVERIFY(arrows[0].fromNs >= index.callbacks()[size_t(tick1)].startNs);
        QVERIFY(arrows[0].fromNs <= index.callbacks()[size_t(tick1)].endNs);
        QCOMPARE(arrows[1].toCallback, tick1);
        QCOMPARE(arrows[1].fromCallback, mainCallback(index));
        QCOMPARE(arrows[1].fromCallback, -1);  // made by the main module's own run, before any callback
        QCOMPARE(arrows[1].chainDepth, 1);
        // The main module itself has no arrows; an unknown callback neither.
        QVERIFY(flowArrows(index, mainCallback(index)).empty());
        QVERIFY(flowArrows(index, -1).empty());
        // A promise reaction made by a promise reaction: promise 2 → promise 2.1, main → promise 2.
        const auto fromPromise = flowArrows(index, callbackPrinting(index, "promise 2.1"));
        QCOMPARE(fromPromise.size(), size_t(2));
        QCOMPARE(fromPromise[0].fromCallback, callbackPrinting(index, "promise 2\n"));
    }

    // An interval: one creation, many runs; the arrows go to the runs around the selection.
    void flowArrowsOfAnInterval()
    {
        TraceIndex index(tracedPath(QStringLiteral(LOOPSCOPE_TEST_DATA "/live.js")));
        index.update();
        std::vector<int> runs;
        const std::uint32_t timeout = index.findString("Timeout");
        for (size_t i = 0; i < index.callbacks().size(); ++i) {
            const IndexedResource *r = index.resource(index.callbacks()[i].asyncId);
            if (r && r->type == timeout && r->timerRepeat)
                runs.push_back(int(i));
        }
        QCOMPARE(runs.size(), size_t(60));
        const auto arrows = flowArrows(index, runs[30], 10);
        QCOMPARE(arrows.size(), size_t(10));  // 5 before (with the selection), 5 after
        QCOMPARE(arrows.front().toCallback, runs[26]);
        QCOMPARE(arrows.back().toCallback, runs[35]);
        for (const FlowArrow &a : arrows) {
            QCOMPARE(a.chainDepth, 0);
            QCOMPARE(a.fromCallback, mainCallback(index));  // setInterval ran in the main module
        }
    }

    void searchByTypeFunctionAndFile()
    {
        InspectorModel model(tracedPath(QStringLiteral(LOOPSCOPE_TEST_DATA "/search.js")));
        CallbackFilter filter;
        filter.setModel(&model);
        QCOMPARE(filter.rowCount(), 0);  // no query, no list
        const auto functions = [&] {
            QStringList out;
            for (int row = 0; row < filter.rowCount(); ++row)
                out << filter.data(filter.index(row, CallbackFilter::FunctionColumn)).toString();
            return out;
        };
        filter.setQuery(QStringLiteral("Timeout"), CallbackFilter::Field::Type);
        QCOMPARE(functions(), (QStringList{"loadUser", "flushCache"}));
        filter.setQuery(QStringLiteral("RENDER"), CallbackFilter::Field::Function);
        QCOMPARE(functions(), (QStringList{"renderPage"}));
        QCOMPARE(filter.data(filter.index(0, CallbackFilter::TypeColumn)).toString(), QStringLiteral("Immediate"));
        QCOMPARE(filter.data(filter.index(0, CallbackFilter::QueueColumn)).toString(), QStringLiteral("check"));
        // By the file that created it: only the helper's timer; its row knows the line to jump to.
        filter.setQuery(QStringLiteral("searchhelper"), CallbackFilter::Field::File);
        QCOMPARE(functions(), (QStringList{"flushCache"}));
        QVERIFY(filter.sourceFile(0).endsWith(QLatin1String("searchhelper.js")));
        QVERIFY(QFileInfo::exists(filter.sourceFile(0)));
        QCOMPARE(filter.sourceLine(0), 2);
        QCOMPARE(filter.data(filter.index(0, CallbackFilter::SourceColumn)).toString(), QStringLiteral("searchhelper.js:2"));
        // Any field: "user" is loadUser's name and afterUser's (a TickObject has its callback's name).
        filter.setQuery(QStringLiteral("user"));
        QVERIFY(functions().contains(QStringLiteral("loadUser")));
        QCOMPARE(filter.matchCount(), filter.rowCount());
        // Selecting afterUser draws loadUser → afterUser and main → loadUser.
        filter.setQuery(QStringLiteral("afterUser"), CallbackFilter::Field::Function);
        QCOMPARE(filter.rowCount(), 1);
        const auto arrows = flowArrows(model.index(), filter.callbackAt(0));
        QCOMPARE(arrows.size(), size_t(2));
        filter.setQuery(QStringLiteral("loadUser"), CallbackFilter::Field::Function);
        QCOMPARE(arrows[0].fromCallback, filter.callbackAt(0));
        filter.setQuery(QStringLiteral("no such thing"));
        QCOMPARE(filter.rowCount(), 0);
    }

    // Queue lengths by Node's rules. 03: main queues tick 1 and tick 2 (1, 2); tick 1 runs (1)
    // and queues tick 1.1 (2); tick 2 runs (1); tick 1.1 runs (0); then promise 2 queues a tick
    // (1) that runs after the microtasks (0). Microtasks: main's two reactions (1, 2), promise 1
    // runs (1), promise 2 runs (0) and queues promise 2.1 (1), which runs (0).
    void queueLengthsOfNestedTicks()
    {
        InspectorModel model(traced("03-nested-ticks.js"));
        COMPARE_LEVELS(model.counter(Counter::NextTickQueue), 1, 2, 1, 2, 1, 0, 1, 0);
        COMPARE_LEVELS(model.counter(Counter::MicrotaskQueue), 1, 2, 1, 0, 1, 0);
        QCOMPARE(model.counter(Counter::NextTickQueue).maxValue(), 2.0);
        // Between the main module's end and the first tick, both queues hold two.
        const int tick1 = callbackPrinting(model.index(), "tick 1\n");
        QCOMPARE(model.counter(Counter::NextTickQueue).valueAt(model.index().callbacks()[size_t(tick1)].startNs - 1), 2.0);
        QCOMPARE(model.counter(Counter::MicrotaskQueue).valueAt(model.index().callbacks()[size_t(tick1)].startNs - 1), 2.0);
    }

    // 06: two immediates (1, 2); immediate 1 runs (1) and queues immediate 3 (2), a tick and a
    // reaction; immediate 2 (1); immediate 3 next iteration (0).
    void queueLengthsOfImmediates()
    {
        InspectorModel model(traced("06-immediate-chain.js"));
        COMPARE_LEVELS(model.counter(Counter::Immediates), 1, 2, 1, 2, 1, 0);
        COMPARE_LEVELS(model.counter(Counter::NextTickQueue), 1, 0);
        COMPARE_LEVELS(model.counter(Counter::MicrotaskQueue), 1, 0);
    }

    // 05: three timers armed (1, 2, 3), 20 ms of busy main, a fourth (4), then all four fire in
    // the first timers phase (3, 2, 1, 0). The first three ran ~19 ms after they were due.
    void timersAndLag()
    {
        InspectorModel model(traced("05-timers-order.js"));
        COMPARE_LEVELS(model.counter(Counter::Timers), 1, 2, 3, 4, 3, 2, 1, 0);
        const CounterTrack &lag = model.counter(Counter::LoopLag);
        QCOMPARE(lag.size(), size_t(4));
        for (size_t i = 0; i < 3; ++i)
            QVERIFY2(lag.value(i) >= 18.0, qPrintable(QString::number(lag.value(i))));
        // Each is its start minus (creation + delay), 0 ms counting as 1 ms.
        const std::uint32_t timeout = model.index().findString("Timeout");
        size_t sample = 0;
        for (const IndexedCallback &cb : model.index().callbacks()) {
            const IndexedResource *r = model.index().resource(cb.asyncId);
            if (!r || r->type != timeout)
                continue;
            QCOMPARE(lag.time(sample), cb.startNs);
            QVERIFY(r->timerDelayMs == 0 || r->timerDelayMs == 1);
            QVERIFY(std::abs(lag.value(sample) - (double(cb.startNs - r->initNs) / 1e6 - 1.0)) < 1e-6);
            ++sample;
        }
        QCOMPARE(sample, size_t(4));
        const CounterTrack &use = model.counter(Counter::Utilisation);
        for (size_t i = 0; i < use.size(); ++i)
            QVERIFY(use.value(i) >= 0.0 && use.value(i) <= 1.0);
    }

    // Each iteration's utilisation is a sample, the run's last one too: it ends with the loop, no
    // next iteration follows (05: the timer made 20 ms late runs in the first timers phase or,
    // not due yet, in a second one; 06: the third immediate runs in a second iteration). The
    // same from the trace saved and opened again.
    void utilisationOfTheLastIteration()
    {
        for (const char *script : {"05-timers-order.js", "06-immediate-chain.js"}) {
            const auto trace = traced(script);
            const InspectorModel model(trace);
            const TraceIndex &index = model.index();
            const CounterTrack &use = model.counter(Counter::Utilisation);
            QVERIFY(index.iterations() >= 1);
            QCOMPARE(use.size(), size_t(index.iterations()));
            QVERIFY(index.phases().back().endsIteration);
            QCOMPARE(use.time(use.size() - 1), index.phases().back().endNs);
            // The last iteration never waits: it runs a due timer or the queued immediate and
            // then nothing is alive (a poll there does not block).
            QVERIFY2(use.value(use.size() - 1) > 0.9, qPrintable(show(levels(use))));
            const InspectorModel imported(reopened(*trace));
            const CounterTrack &importedUse = imported.counter(Counter::Utilisation);
            QCOMPARE(importedUse.size(), use.size());
            // The file keeps times from the trace's start, to the µs or finer: the same instants
            // and, to that rounding, the same values.
            for (std::size_t i = 0; i < use.size(); ++i) {
                const auto since = [](std::uint64_t t, std::uint64_t start) { return double(t) - double(start); };
                QVERIFY(std::abs(since(importedUse.time(i), imported.startNs()) - since(use.time(i), model.startNs())) <= 1000.0);
                QVERIFY2(std::abs(importedUse.value(i) - use.value(i)) < 1e-3,
                         qPrintable(QString::number(importedUse.value(i)) + " vs " + QString::number(use.value(i))));
            }
        }
    }

    // refresh.js (see there): the lag counts from a refresh, and a refresh in a timeout's own run
    // arms it again. Reasoned by hand: `first` is refreshed after ≥ 199 ms (Date.now() is in ms),
    // so its lag is at least 199 ms less than one counted from its creation; `again`'s second and
    // third runs come ≥ 29 ms after the refresh before them, 10 ms due: ≥ 19 ms late. Armed
    // timers: first (1), its run (0), again (1), its runs and refreshes (0, 1, 0, 1, 0).
    void lagCountsFromRefresh()
    {
        const auto trace = tracedPath(QStringLiteral(LOOPSCOPE_TEST_DATA "/refresh.js"));
        checkRefreshes(trace);
        if (QTest::currentTestFailed())
            return;
        checkRefreshes(reopened(*trace));  // the re-arms are in the file too
        if (QTest::currentTestFailed())
            return;
        checkRefreshes(recordedByPreload(QStringLiteral(LOOPSCOPE_TEST_DATA), QStringLiteral("refresh.js")));
    }

    // refresh-cleared.js: a timeout refreshed in its own run and then cleared leaves the armed
    // timers when it is destroyed (it used to stay counted to the end of the run).
    void refreshedThenClearedIsDisarmed()
    {
        // A recorded trace only: the trace file has no destroy events (a cleared timer of a
        // saved trace stays counted, refreshed or not).
        {
            const auto trace = tracedPath(QStringLiteral(LOOPSCOPE_TEST_DATA "/refresh-cleared.js"));
            QVERIFY(trace);
            const InspectorModel model(trace);
            const TraceIndex &index = model.index();
            const int ran = callbackPrinting(index, "ran");
            QVERIFY(ran >= 0);
            const IndexedResource *timer = index.resource(index.callbacks()[size_t(ran)].asyncId);
            QVERIFY(timer && timer->destroyNs);
            // Made, ran, refreshed; keepLoop made in the immediate; the cleared timer's destroy,
            // which node hands to the hooks in the next check phase; keepLoop ran. (Before: the
            // cleared timer stayed counted, and this ended at 1.)
            COMPARE_LEVELS(model.counter(Counter::Timers), 1, 0, 1, 2, 1, 0);
            const CounterTrack &armed = model.counter(Counter::Timers);
            bool disarmedAtDestroy = false;
            for (std::size_t i = 1; i < armed.size(); ++i)
                disarmedAtDestroy |= armed.time(i) == timer->destroyNs && armed.value(i) < armed.value(i - 1);
            QVERIFY(disarmedAtDestroy);
        }
    }

    // The lesson's 300 ms busy timer: the interval's next run is ≥ 250 ms late, the iteration it
    // blocked is ~all busy, and iterations waiting for the 10 ms interval are mostly idle.
    void lagAndUtilisationOfABlockedLoop()
    {
        InspectorModel model(tracedPath(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR "/13-blocking-the-loop/script.js")));
        QVERIFY2(model.counter(Counter::LoopLag).maxValue() >= 250.0,
                 qPrintable(QString::number(model.counter(Counter::LoopLag).maxValue())));
        const CounterTrack &use = model.counter(Counter::Utilisation);
        QVERIFY2(use.size() >= 3, qPrintable(show(levels(use))));  // before, during and after the block
        double lowest = 1;
        for (size_t i = 0; i < use.size(); ++i)
            lowest = std::min(lowest, use.value(i));
        QVERIFY2(use.maxValue() >= 0.9, qPrintable(QString::number(use.maxValue())));
        QVERIFY2(lowest < 0.5, qPrintable(QString::number(lowest)));
    }

    // Following a run while it grows (as the pane does every 100 ms) ends where a model of the
    // finished trace starts: the same tracks, totals and counters.
    void liveUpdatesEqualOneLoad()
    {
        RunOptions options;
        options.scriptPath = QFileInfo(QStringLiteral(LOOPSCOPE_TEST_DATA "/live.js")).canonicalFilePath().toStdString();
        options.trace = std::make_shared<Trace>();
        TraceTests::Captured quiet;
        ScriptRun run(options, &quiet);
        InspectorModel live(options.trace);
        CallbackFilter filter;
        filter.setModel(&live);
        filter.setQuery(QStringLiteral("Timeout"), CallbackFilter::Field::Type);
        QVERIFY(run.start());
        int updates = 0;
        while (run.isRunning()) {
            if (live.update()) {
                ++updates;
                filter.update();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(3));
        }
        run.wait();
        live.update();
        filter.update();
        QVERIFY2(updates >= 3, qPrintable(QString::number(updates)));  // it was followed, not loaded once
        const InspectorModel whole(options.trace);
        compareWithWhole(live, whole);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(live.counter(Counter::Timers).maxValue(), 1.0);
        // The search followed too.
        CallbackFilter once;
        once.setModel(&whole);
        once.setQuery(QStringLiteral("Timeout"), CallbackFilter::Field::Type);
        QCOMPARE(filter.matches(), once.matches());
        QCOMPARE(filter.rowCount(), 60);
    }

    // The pane reads a backlog in slices of a bounded number of records, one per event-loop turn
    // (so no update holds the GUI thread long): cut anywhere, 97 records at a time, the model
    // ends where one load of the whole trace does.
    void slicedUpdatesEqualOneLoad()
    {
        const auto trace = tracedPath(QStringLiteral(LOOPSCOPE_TEST_DATA "/live.js"));
        const std::size_t records = trace->recordCount();
        InspectorModel live(trace, 97);
        int slices = 1;
        std::uint64_t read = live.index().recordsRead();
        QCOMPARE(read, std::uint64_t(97));
        while (live.behind()) {
            QVERIFY(live.update(97) || !live.behind());
            QVERIFY(live.index().recordsRead() - read <= 97);
            read = live.index().recordsRead();
            ++slices;
        }
        QCOMPARE(read, std::uint64_t(records));
        QVERIFY2(slices >= int(records / 97), qPrintable(QString::number(slices)));
        QVERIFY(!live.update(97));  // nothing left
        compareWithWhole(live, InspectorModel(trace));
    }

private:
    void compareWithWhole(const InspectorModel &live, const InspectorModel &whole)
    {
        QCOMPARE(live.index().callbacks().size(), whole.index().callbacks().size());
        const double a = double(whole.startNs()), b = double(whole.endNs()) + 1;
        QCOMPARE(live.callbackTrack().busyIn(a, b), whole.callbackTrack().busyIn(a, b));
        QCOMPARE(live.phaseTrack().busyIn(a, b), whole.phaseTrack().busyIn(a, b));
        QCOMPARE(live.callbackTrack().intervals().size(), whole.callbackTrack().intervals().size());
        // Every level of the live pyramid still adds up to the raw time.
        const auto raw = whole.callbackTrack().busyIn(a, b);
        for (int l = 0; l < live.callbackTrack().levels(); ++l) {
            TimelineLod::Busy sum{};
            for (const auto &bucket : live.callbackTrack().level(l))
                for (size_t c = 0; c < sum.size(); ++c)
                    sum[c] += bucket[c];
            QCOMPARE(sum, raw);
        }
        for (int c = 0; c < int(Counter::Count); ++c) {
            QCOMPARE(levels(live.counter(Counter(c))), levels(whole.counter(Counter(c))));
            QCOMPARE(live.counter(Counter(c)).size(), whole.counter(Counter(c)).size());
        }
    }

private Q_SLOTS:

private:
    // `script` in `dir` run by plain node with the recording preload; its trace file read back.
    std::shared_ptr<Trace> recordedByPreload(const QString &dir, const QString &script)
    {
        QTemporaryDir out;
        const QString file = out.filePath(QStringLiteral("t.json.gz"));
        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LOOPSCOPE_RECORD_FILE"), file);
        node.setProcessEnvironment(env);
        node.setWorkingDirectory(dir);
        node.start(QStringLiteral(LOOPSCOPE_NODE), {QStringLiteral("--require"), QStringLiteral(LOOPSCOPE_RECORD_PRELOAD), script});
        auto trace = std::make_shared<Trace>();
        std::string error;
        if (!node.waitForFinished(120000) || node.exitCode() != 0 || !readChromeTrace(file.toStdString(), *trace, &error)) {
            qWarning("preload run of %s: exit %d, %s", qPrintable(script), node.exitCode(), error.c_str());
            return nullptr;
        }
        return trace;
    }

    void checkRefreshes(const std::shared_ptr<Trace> &trace)
    {
        QVERIFY(trace);
        const InspectorModel model(trace);
        const TraceIndex &index = model.index();
        const auto &cbs = index.callbacks();
        const int first = callbackPrinting(index, "refreshed"), again1 = callbackPrinting(index, "again 1"),
                  again2 = callbackPrinting(index, "again 2"), again3 = callbackPrinting(index, "again 3");
        QVERIFY(first >= 0 && again1 >= 0 && again2 >= 0 && again3 >= 0);
        const std::uint64_t againId = cbs[size_t(again1)].asyncId;
        QCOMPARE(cbs[size_t(again2)].asyncId, againId);  // one timer, run three times
        QCOMPARE(cbs[size_t(again3)].asyncId, againId);
        const auto &rearms = index.timerRearms();
        QCOMPARE(rearms.size(), size_t(3));
        QCOMPARE(rearms[0].asyncId, cbs[size_t(first)].asyncId);
        QCOMPARE(rearms[0].callback, mainCallback(index));
        QCOMPARE(rearms[1].asyncId, againId);
        QCOMPARE(rearms[1].callback, again1);
        QCOMPARE(rearms[2].callback, again2);
        const IndexedResource *firstTimer = index.resource(cbs[size_t(first)].asyncId);
        QVERIFY(rearms[0].timeNs >= firstTimer->initNs + 199'000'000);

        const CounterTrack &lag = model.counter(Counter::LoopLag);
        QCOMPARE(lag.size(), size_t(4));
        auto lateBy = [&](int run, std::uint64_t armedNs, std::uint64_t delayMs) {
            const std::uint64_t due = armedNs + delayMs * 1'000'000, start = cbs[size_t(run)].startNs;
            return start > due ? double(start - due) / 1e6 : 0.0;
        };
        QCOMPARE(lag.time(0), cbs[size_t(first)].startNs);
        QCOMPARE(lag.value(0), lateBy(first, rearms[0].timeNs, 100));
        const double fromCreation = lateBy(first, firstTimer->initNs, 100);
        QVERIFY2(lag.value(0) <= fromCreation - 199.0,
                 qPrintable(QString::number(lag.value(0)) + " vs " + QString::number(fromCreation)));
        QCOMPARE(lag.value(1), lateBy(again1, index.resource(againId)->initNs, 10));
        QCOMPARE(lag.value(2), lateBy(again2, rearms[1].timeNs, 10));
        QCOMPARE(lag.value(3), lateBy(again3, rearms[2].timeNs, 10));
        QVERIFY2(lag.value(2) >= 19.0 && lag.value(3) >= 19.0,
                 qPrintable(QString::number(lag.value(2)) + ", " + QString::number(lag.value(3))));
        COMPARE_LEVELS(model.counter(Counter::Timers), 1, 0, 1, 0, 1, 0, 1, 0);
    }

private Q_SLOTS:
    // A trace recorded by plain node with the preload: no main callback or phases, but arrows,
    // search and queue counters work on it. Plain node's console.log on a pipe queues a tick of
    // its own after each write (Writable's afterWrite), so it has more TickObjects than ours.
    void preloadRecordedTrace()
    {
        const auto trace = recordedByPreload(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR), QStringLiteral("03-nested-ticks.js"));
        QVERIFY(trace);
        InspectorModel model(trace);
        const TraceIndex &index = model.index();
        const int tick1 = callbackPrinting(index, "tick 1\n"), tick11 = callbackPrinting(index, "tick 1.1");
        QVERIFY(tick1 >= 0 && tick11 >= 0);
        const auto arrows = flowArrows(index, tick11);
        QVERIFY(!arrows.empty());
        QCOMPARE(arrows[0].fromCallback, tick1);
        QCOMPARE(arrows[0].toCallback, tick11);
        CallbackFilter filter;
        filter.setModel(&model);
        filter.setQuery(QStringLiteral("TickObject"), CallbackFilter::Field::Type);
        const std::uint32_t tick = index.findString("TickObject");
        int ticks = 0;
        for (const IndexedCallback &cb : index.callbacks())
            ticks += index.resource(cb.asyncId) && index.resource(cb.asyncId)->type == tick;
        QVERIFY(ticks >= 4);
        QCOMPARE(filter.rowCount(), ticks);
        filter.setQuery(QStringLiteral("03-nested"), CallbackFilter::Field::File);
        qInfo("made in 03-nested-ticks.js: %d callbacks", filter.rowCount());
        for (int row = 0; row < filter.rowCount(); ++row)
            QCOMPARE(filter.sourceFile(row).endsWith(QLatin1String("03-nested-ticks.js")), true);
        QVERIFY(filter.rowCount() >= 4);  // tick 1, tick 1.1, tick 2 and the one from promise 2
        QVERIFY(model.counter(Counter::NextTickQueue).maxValue() >= 2.0);  // tick 1 and tick 2, at least
        QCOMPARE(model.counter(Counter::NextTickQueue).valueAt(model.endNs() + 1), 0.0);
        QCOMPARE(model.counter(Counter::NextTickQueue).size(), size_t(2 * ticks));
        QVERIFY(model.callbackTrack().intervals().size() > 0);
        // The causality tree: tick 1.1 ← tick 1 ← main, with where each was made.
        const std::vector<CausalityLink> chain = causalityChain(index, tick11);
        QCOMPARE(chain.size(), size_t(3));
        QCOMPARE(chain[0].type, std::string("TickObject"));
        QCOMPARE(chain[1].asyncId, index.callbacks()[size_t(tick1)].asyncId);
        QCOMPARE(chain[2].type, std::string("main"));
        QVERIFY(QString::fromStdString(chain[0].file).endsWith(QLatin1String("03-nested-ticks.js")));
        QVERIFY(chain[0].line > 0 && chain[1].line > 0 && chain[1].line < chain[0].line);
        // A box selection over the whole trace: every callback counted, its busy time the top-level
        // callbacks' sum, the longest first.
        const RangeStats all = model.statistics(double(model.startNs()), double(model.endNs()) + 1);
        std::uint32_t counted = 0;
        for (std::uint32_t n : all.callbacks)
            counted += n;
        QCOMPARE(std::size_t(counted), index.callbacks().size());
        std::uint64_t busy = 0;
        for (const IndexedCallback &cb : index.callbacks())
            busy += cb.depth == 0 ? model.endOf(cb) - cb.startNs : 0;
        QCOMPARE(all.busyNs, busy);
        QVERIFY(!all.longest.empty());
        const auto length = [&](int i) { return model.endOf(index.callbacks()[size_t(i)]) - index.callbacks()[size_t(i)].startNs; };
        for (std::size_t i = 1; i < all.longest.size(); ++i)
            QVERIFY(length(all.longest[i - 1]) >= length(all.longest[i]));
    }
};

QTEST_GUILESS_MAIN(TestInspectorAnalysis)
#include "tst_inspectoranalysis.moc"
