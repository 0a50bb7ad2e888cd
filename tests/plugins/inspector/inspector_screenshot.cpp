// inspector_screenshot — the async inspector end to end under Xvfb: the pane traces a run of the
// blocking-the-loop lesson (Run ▸ Profile, so CPU samples show under their callbacks), the timeline shows it, a click on the 300 ms timer callback shows
// its causality chain (Timeout → main) in the tree and its flow arrow; the search lists the
// run's timers and a click on one selects it and moves the editor to its line; PNGs into argv[1]. Then a synthetic trace of
// one million callbacks: its load time and the timeline's paint time at 30 zoom levels.

#include "codeeditor.h"
#include "consoleplugin.h"
#include "callbackfilter.h"
#include "inspectormodel.h"
#include "inspectorpane.h"
#include "inspectorwidget.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "timelinewidget.h"
#include "trace.h"
#include "screenshotwindow.h"
#include "processmemory.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <algorithm>
#include <cstdio>

using namespace Loopscope;

int main(int argc, char **argv)
{
    Test::ScreenshotProgram program(argc, argv);
    const QString &out = program.out;
    const QTemporaryDir &state = program.state;

    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);
    Inspector::registerInspectorPlugin(panes);
    const auto shown = Test::makeScreenshotWindow(panes, state, QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR),
                                                  QStringLiteral("13-blocking-the-loop"), QSize(1400, 950));
    if (!shown)
        return 1;
    Ui::MainWindow &window = *shown;
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("Loopscope.Inspector.Pane"));
    if (!dock)
        return 1;
    dock->show();
    dock->raise();
    QApplication::processEvents();
    auto *inspector = window.findChild<Inspector::InspectorWidget *>();
    if (!inspector) {
        std::fprintf(stderr, "the inspector pane made no widget\n");
        return 1;
    }
    window.resizeDocks({dock}, {560}, Qt::Vertical);
    QSignalSpy finished(window.runController(), &Runtime::RunController::runFinished);
    window.profileScript();  // traced for the inspector and sampled: samples under their callback
    if (!finished.wait(60000))
        return 1;
    QTest::qWait(300);
    const Inspector::InspectorModel *model = inspector->model();
    if (!model || model->index().callbacks().empty()) {
        std::fprintf(stderr, "the run was not traced into the inspector\n");
        return 1;
    }
    // The longest callback is the 300 ms blocking timer.
    const auto stats = model->statistics(double(model->startNs()), double(model->endNs()) + 1);
    const int longest = stats.longest.front();
    const auto &cb = model->index().callbacks()[size_t(longest)];
    std::printf("longest callback: %s, %.1f ms\n", Runtime::callbackQueueName(cb.queue),
                double(model->endOf(cb) - cb.startNs) / 1e6);
    bool ok = cb.queue == Runtime::CallbackQueue::Timers && model->endOf(cb) - cb.startNs > 250'000'000;
    Inspector::TimelineWidget *timeline = inspector->timeline();
    const double x = timeline->viewport().toPixels(double(cb.startNs + (model->endOf(cb) - cb.startNs) / 2), timeline->width());
    const int rh = timeline->fontMetrics().height() + 4;
    QTest::mouseClick(timeline, Qt::LeftButton, {}, QPoint(int(x), 2 * rh + rh / 2));
    QTest::qWait(100);
    QTreeWidgetItem *top = inspector->causality()->topLevelItem(0);
    std::printf("causality: %s > %s\n", top ? qPrintable(top->text(0)) : "-",
                top && top->childCount() ? qPrintable(top->child(0)->text(0) + QLatin1Char(' ') + top->child(0)->text(1)) : "-");
    if (!top || top->text(0) != QLatin1String("main") || !top->childCount() || !top->child(0)->text(0).startsWith(QLatin1String("Timeout"))) {
        std::fprintf(stderr, "the causality tree does not show main > Timeout for the blocking callback\n");
        ok = false;
    }
    inspector->showRange(double(model->startNs()), double(model->endNs()));
    // The selection's flow arrows: main → the blocking timer.
    std::printf("flow arrows for the blocking callback: %zu\n", timeline->flowArrows().size());
    if (timeline->flowArrows().empty() || timeline->flowArrows().front().toCallback != longest) {
        std::fprintf(stderr, "no flow arrow into the selected callback\n");
        ok = false;
    }
    // The search: the run's timers; a click on the blocking one selects it and shows its line.
    inspector->setSearch(QStringLiteral("Timeout"), 1);
    const Inspector::CallbackFilter *results = inspector->searchResults();
    int blockingRow = -1;
    for (int row = 0; row < results->rowCount(); ++row)
        if (results->callbackAt(row) == longest)
            blockingRow = row;
    std::printf("search 'Timeout': %d rows, the blocking timer at row %d\n", results->rowCount(), blockingRow);
    if (results->rowCount() < 3 || blockingRow < 0) {
        std::fprintf(stderr, "the search does not list the run's timers\n");
        ok = false;
    }
    inspector->searchList()->scrollTo(results->index(blockingRow, 0));
    const QRect rowRect = inspector->searchList()->visualRect(results->index(blockingRow, 0));
    QTest::mouseClick(inspector->searchList()->viewport(), Qt::LeftButton, {}, rowRect.center());
    QTest::qWait(100);
    const int editorLine = window.editor()->textCursor().blockNumber() + 1;
    std::printf("clicked the search result: timeline selection %d, editor line %d (created at line %d)\n",
                timeline->selectedCallback(), editorLine, results->sourceLine(blockingRow));
    if (timeline->selectedCallback() != longest || editorLine != results->sourceLine(blockingRow))
        ok = false;
    QTest::qWait(100);
    window.grab().save(out + QStringLiteral("/inspector-window.png"));
    inspector->grab().save(out + QStringLiteral("/inspector-pane.png"));
    // An interval run after the block: arrows from main to each run around it.
    for (int row = 0; row < results->rowCount(); ++row) {
        const int cb = results->callbackAt(row);
        const auto *res = model->index().resource(model->index().callbacks()[size_t(cb)].asyncId);
        if (cb > longest && res && res->timerRepeat) {
            inspector->activateSearchResult(row);
            break;
        }
    }
    std::printf("interval selected: %zu arrows\n", timeline->flowArrows().size());
    QTest::qWait(100);
    inspector->grab().save(out + QStringLiteral("/inspector-interval.png"));
    const int c = Test::distinctColours(timeline->grab().toImage(), 2);
    std::printf("timeline colours: %d; statistics: %s\n", c, qPrintable(inspector->statisticsText().left(200)));
    if (c < 6)
        ok = false;

    // One million callbacks (timers, microtasks, poll in turn) with phases around them.
    auto big = std::make_shared<Runtime::Trace>(std::size_t(1) << 30);
    Runtime::TraceWriter *w = big->addWriter("loop");
    std::uint64_t t = 1'000'000'000;
    const Runtime::CallbackQueue queues[] = {Runtime::CallbackQueue::Timers, Runtime::CallbackQueue::Microtask,
                                             Runtime::CallbackQueue::Poll};
    for (int i = 0; i < 1'000'000; ++i) {
        if (i % 100 == 0) {
            w->appendAt(t, Runtime::TraceKind::IterationStart, 0, 0, std::uint64_t(i / 100 + 1), 0);
            w->appendAt(t, Runtime::TraceKind::PhaseEnter, std::uint8_t(Runtime::LoopPhase::Timers), 0, 0, 0);
        }
        const auto q = queues[i % 3];
        w->appendAt(t += 500, Runtime::TraceKind::CallbackBefore, std::uint8_t(q), 0, std::uint64_t(i + 10), 0);
        w->appendAt(t += 2000 + std::uint64_t(i % 7) * 300, Runtime::TraceKind::CallbackAfter, std::uint8_t(q), 0,
                    std::uint64_t(i + 10), 0);
    }
    const long before = Loopscope::Test::residentKb();
    QElapsedTimer load;
    load.start();
    inspector->setTrace(big);
    const qint64 loadMs = load.elapsed();
    std::printf("1 M callbacks (%llu records): loaded in %lld ms, +%ld MB resident\n",
                (unsigned long long)big->recordCount(), loadMs, (Loopscope::Test::residentKb() - before) / 1024);
    std::vector<double> frames;
    timeline->viewport().showAll();
    for (int step = 0; step < 30; ++step) {
        timeline->repaint();
        frames.push_back(timeline->lastPaintMs());
        timeline->viewport().zoom(0.43, 1.6);
    }
    std::sort(frames.begin(), frames.end());
    std::printf("timeline paint over 30 zoom levels: median %.2f ms, worst %.2f ms\n", frames[frames.size() / 2],
                frames.back());
    inspector->grab().save(out + QStringLiteral("/inspector-1m.png"));
    window.editor()->document()->setModified(false);
    return ok ? 0 : 1;
}
