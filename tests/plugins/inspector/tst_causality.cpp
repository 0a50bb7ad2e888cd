// Causality chains on real traced runs of the conformance scripts: each callback's resource,
// then what triggered it, up to the main module — checked against Node's rules (a nextTick made
// inside a nextTick callback is triggered by that TickObject; one made in a promise reaction by
// the PROMISE) — and the inspector model's range statistics on the same runs.

#include "causalitychain.h"
#include "cpuprofile.h"
#include "inspectormodel.h"
#include "sampletrack.h"
#include "scriptrun.h"
#include "trace.h"
#include "traceindex.h"
#include "traceruns.h"

#include <QFileInfo>
#include <QTest>

using namespace Loopscope::Runtime;
using namespace Loopscope::Inspector;

namespace {

std::shared_ptr<Trace> traced(const char *script)
{
    return TraceTests::runTraced(QStringLiteral(LOOPSCOPE_CONFORMANCE_DIR "/") + QLatin1String(script)).trace;
}

// The callback that printed a line starting with `text`.
int callbackPrinting(const TraceIndex &index, const std::string &text)
{
    for (const IndexedConsoleWrite &w : index.consoleWrites())
        if (w.head.rfind(text, 0) == 0)
            return w.callback;
    return -1;
}

std::vector<std::string> types(const std::vector<CausalityLink> &chain)
{
    std::vector<std::string> out;
    for (const CausalityLink &l : chain)
        out.push_back(l.type);
    return out;
}

} // namespace

class TestCausality : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nestedTicks()
    {
        TraceIndex index(traced("03-nested-ticks.js"));
        index.update();
        // tick 1.1 was queued by tick 1's callback, which the main module queued.
        const auto inner = causalityChain(index, callbackPrinting(index, "tick 1.1"));
        QCOMPARE(types(inner), (std::vector<std::string>{"TickObject", "TickObject", "main"}));
        QVERIFY(QString::fromStdString(inner[0].file).endsWith(QLatin1String("03-nested-ticks.js")));
        QCOMPARE(inner[0].line, 5u);  // process.nextTick(() => console.log('tick 1.1'))
        QCOMPARE(inner[1].line, 3u);
        QCOMPARE(inner.back().asyncId, std::uint64_t(1));
        // tick 2 came straight from the main module.
        QCOMPARE(types(causalityChain(index, callbackPrinting(index, "tick 2"))),
                 (std::vector<std::string>{"TickObject", "main"}));
        // A tick queued inside a promise reaction: triggered by that promise.
        const auto fromPromise = causalityChain(index, callbackPrinting(index, "tick from promise 2"));
        QVERIFY(fromPromise.size() >= 3);
        QCOMPARE(fromPromise[0].type, std::string("TickObject"));
        QCOMPARE(fromPromise[1].type, std::string("PROMISE"));
        QCOMPARE(fromPromise.back().type, std::string("main"));
        // The main module's own callback: a chain of one.
        QCOMPARE(types(causalityChain(index, callbackPrinting(index, "promise 1")))[0], std::string("PROMISE"));
        QVERIFY(causalityChain(index, -1).empty());
        // tick 1's TickObject caused tick 1.1's.
        const auto caused = causedBy(index, inner[1].asyncId);
        QVERIFY(std::any_of(caused.begin(), caused.end(), [&](const CausalityLink &l) { return l.asyncId == inner[0].asyncId; }));
    }

    void timersOrder()
    {
        TraceIndex index(traced("05-timers-order.js"));
        index.update();
        for (const IndexedConsoleWrite &w : index.consoleWrites()) {
            if (w.callback < 0)
                continue;
            const auto chain = causalityChain(index, w.callback);
            QVERIFY(!chain.empty());
            QCOMPARE(chain.back().asyncId, std::uint64_t(1));  // everything goes back to main
            for (size_t i = 0; i + 1 < chain.size(); ++i)
                QCOMPARE(chain[i].triggerAsyncId, chain[i + 1].asyncId);
        }
    }

    // Run ▸ Profile with the inspector open: the samples of the hot function sit under the
    // Timeout callback that ran it, on the trace's clock.
    void samplesFallUnderTheirCallback()
    {
        RunOptions options;
        options.scriptPath = QFileInfo(QStringLiteral(LOOPSCOPE_HOT_SCRIPT)).canonicalFilePath().toStdString();
        options.trace = std::make_shared<Trace>();
        options.cpuProfile = true;
        TraceTests::Captured quiet;
        const RunResult result = TraceTests::runToEnd(options, &quiet);
        QVERIFY(result.cpuProfile);
        InspectorModel model(options.trace);
        const SampleTrack samples(result.cpuProfile);
        QVERIFY(!samples.isEmpty());
        const RangeStats all = model.statistics(double(model.startNs()), double(model.endNs()) + 1);
        const auto &timer = model.index().callbacks()[size_t(all.longest.front())];
        QCOMPARE(timer.queue, CallbackQueue::Timers);
        std::size_t hot = 0;
        QCOMPARE(samples.hottestWithin(timer.startNs, model.endOf(timer), &hot), std::string("hotLoop"));
        QVERIFY(hot > 10);  // ~600 at 500 µs on an idle machine; fewer when the sampler is starved
        // Before the timer ran, hotLoop never showed up.
        std::size_t before = 0;
        QVERIFY(samples.hottestWithin(0, timer.startNs, &before) != "hotLoop");
    }

    void rangeStatisticsAddUp()
    {
        InspectorModel model(traced("02-io-callback.js"));
        QVERIFY(model.endNs() > model.startNs());
        const RangeStats all = model.statistics(double(model.startNs()), double(model.endNs()) + 1);
        std::uint32_t callbacks = 0;
        for (auto n : all.callbacks)
            callbacks += n;
        QCOMPARE(callbacks, std::uint32_t(model.index().callbacks().size()));
        std::uint64_t phaseTotal = 0;
        for (auto ns : all.phaseNs)
            phaseTotal += ns;
        QVERIFY(phaseTotal > 0);
        QVERIFY(all.busyNs > 0);
        QVERIFY(!all.longest.empty());
        // Longest first.
        const auto len = [&](int i) {
            const auto &c = model.index().callbacks()[size_t(i)];
            return model.endOf(c) - c.startNs;
        };
        for (size_t i = 1; i < all.longest.size(); ++i)
            QVERIFY(len(all.longest[i - 1]) >= len(all.longest[i]));
        QCOMPARE(all.callbacks[size_t(CallbackQueue::Poll)] > 0, true);  // the fs callback
    }
};

QTEST_GUILESS_MAIN(TestCausality)
#include "tst_causality.moc"
