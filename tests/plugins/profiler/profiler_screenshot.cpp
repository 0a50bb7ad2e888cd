// profiler_screenshot — the IDE end to end on the blocking-the-loop lesson: Run ▸ Profile, the
// CPU profile pane shows the 300 ms busy callback as the widest frame under the timer, a click
// on it puts the editor on its line; the window and the pane are saved as PNGs (argv[1] is the
// folder) to be looked at. Fails if the pane stays blank or the click goes nowhere.
// Run under xvfb-run so the real xcb platform paints.

#include "calltreemodel.h"
#include "codeeditor.h"
#include "consoleplugin.h"
#include "flamegraphwidget.h"
#include "mainwindow.h"
#include "profilerplugin.h"
#include "profilerwidget.h"
#include "runcontroller.h"
#include "screenshotwindow.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Loopscope;

int main(int argc, char **argv)
{
    Test::ScreenshotProgram program(argc, argv);
    const QString &out = program.out;
    const QTemporaryDir &state = program.state;

    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);
    Profiler::registerProfilerPlugin(panes);
    const auto shown = Test::makeScreenshotWindow(panes, state, QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR),
                                                  QStringLiteral("13-blocking-the-loop"), QSize(1400, 950));
    if (!shown)
        return 1;
    Ui::MainWindow &window = *shown;
    QSignalSpy finished(window.runController(), &Runtime::RunController::runFinished);
    window.profileScript();
    if (!finished.wait(60000)) {
        std::fprintf(stderr, "the profiled run did not finish\n");
        return 1;
    }
    QApplication::processEvents();
    auto *dock = window.findChild<QDockWidget *>(QStringLiteral("Loopscope.Profiler.Pane"));
    auto *pane = window.findChild<Profiler::ProfilerWidget *>();
    if (!dock || !pane || dock->isHidden()) {
        std::fprintf(stderr, "Run > Profile did not show the CPU profile pane\n");
        return 1;
    }
    // Give the profile pane most of the window, as a user inspecting a profile would.
    window.resizeDocks({dock}, {620}, Qt::Vertical);
    QTest::qWait(300);
    std::printf("profile: %s\n", qPrintable(pane->summaryText()));

    // The busy timer callback (an arrow function on line 19) holds most of the samples.
    Profiler::FlameGraphWidget *flame = pane->flameGraph();
    const auto &layout = flame->flameLayout();
    int busiest = -1;
    for (int f = 0; f < int(layout.frames().size()); ++f) {
        const auto &cf = layout.callFrame(f);
        if (cf.url.find("13-blocking-the-loop") != std::string::npos
            && (busiest < 0 || layout.frames()[size_t(f)].selfUs > layout.frames()[size_t(busiest)].selfUs))
            busiest = f;
    }
    if (busiest < 0) {
        std::fprintf(stderr, "no frame of the lesson's script in the profile\n");
        return 1;
    }
    const auto &frame = layout.frames()[size_t(busiest)];
    std::printf("busiest frame: %s line %d, self %.1f ms of %.1f ms\n",
                qPrintable(Profiler::CallTreeModel::functionLabel(layout.callFrame(busiest))),
                layout.callFrame(busiest).lineNumber + 1, double(frame.selfUs) / 1000, layout.totalUs() / 1000);
    bool ok = layout.callFrame(busiest).lineNumber + 1 == 19 && frame.selfUs > 150000;  // of its 300 ms
    if (!ok)
        std::fprintf(stderr, "the busy callback (line 19, ~300 ms) is not the busiest frame\n");

    const QImage whole = window.grab().toImage();
    whole.save(out + QStringLiteral("/profiler-window.png"));
    const QImage paneImage = pane->grab().toImage();
    paneImage.save(out + QStringLiteral("/profiler-pane.png"));
    const int paneColours = Test::distinctColours(flame->grab().toImage(), 2);
    std::printf("flame graph colours: %d\n", paneColours);
    if (paneColours < 6) {
        std::fprintf(stderr, "the flame graph looks blank\n");
        ok = false;
    }

    // Click the busy frame: it fills the view and the editor goes to its line.
    const int rowHeight = flame->fontMetrics().height() + 4;
    const double x = Profiler::FlameGraphLayout::toPixels(frame.start + frame.width / 2, flame->visibleRange(), flame->width());
    window.editor()->moveCursor(QTextCursor::Start);
    QTest::mouseClick(flame, Qt::LeftButton, {}, QPoint(int(x), frame.depth * rowHeight + rowHeight / 2));
    QTest::qWait(100);
    const int line = window.editor()->textCursor().blockNumber() + 1;
    std::printf("after the click: editor on line %d, view %.1f..%.1f ms\n", line,
                flame->visibleRange().start / 1000, flame->visibleRange().end / 1000);
    if (line != 19) {
        std::fprintf(stderr, "clicking the frame did not show line 19 in the editor\n");
        ok = false;
    }
    pane->grab().save(out + QStringLiteral("/profiler-pane-zoomed.png"));
    pane->setSearchText(QStringLiteral("timers"));
    QTest::qWait(100);
    pane->grab().save(out + QStringLiteral("/profiler-pane-search.png"));
    window.editor()->document()->setModified(false);
    return ok ? 0 : 1;
}
