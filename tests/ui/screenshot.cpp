// screenshot — the main window after running the default lesson, light and dark, saved as PNGs
// (argv[1] is the folder). Fails unless the editor shows highlighted text: a blank or
// single-colour editor is the failure the platform notes warn about.
// Run under xvfb-run so the real xcb platform paints, not only offscreen.

#include "codeeditor.h"
#include "consoleplugin.h"
#include "consolewidget.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "threadpoolplugin.h"
#include "traceindex.h"
#include "tracecursor.h"
#include "threadpoolselector.h"
#include "screenshotwindow.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Loopscope;

static bool shoot(Ui::MainWindow &window, const QString &path, const char *label)
{
    const QImage whole = Test::saveShot(window, path);
    if (whole.isNull())
        return false;
    const QImage editor = window.editor()->viewport()->grab().toImage();
    const int colours = Test::distinctColours(editor);
    std::printf("%s: %s (%dx%d), editor text colours: %d, theme %s\n", label, qPrintable(path), whole.width(),
                whole.height(), colours, qPrintable(window.editor()->themeName()));
    if (colours < 6) {
        std::fprintf(stderr, "%s: the editor shows too few colours (%d): no highlighted text\n", label, colours);
        return false;
    }
    return true;
}

// Runs the window's script to its end and waits until the console has shown all of its output.
static bool runToEnd(Ui::MainWindow &window, QSignalSpy &finished, Console::ConsoleWidget *console,
                     int timeoutMs = 30000)
{
    finished.clear();
    window.runScript();
    if (!finished.wait(timeoutMs))
        return false;
    QElapsedTimer t;
    t.start();
    while (console->hasPendingOutput() && t.elapsed() < 5000)
        QTest::qWait(20);
    return true;
}

int main(int argc, char **argv)
{
    Test::ScreenshotProgram program(argc, argv);
    const QString &out = program.out;
    const QTemporaryDir &state = program.state;

    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);
    ThreadPool::registerThreadPoolPlugin(panes);
    const auto shown = Test::makeScreenshotWindow(panes, state, QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR),
                                                  QStringLiteral("01-main-module"), QSize(1200, 800));
    if (!shown)
        return 1;
    Ui::MainWindow &window = *shown;
    QSignalSpy finished(window.runController(), &Runtime::RunController::runFinished);
    auto *console = window.findChild<Console::ConsoleWidget *>();
    if (!runToEnd(window, finished, console))
        return 1;
    std::printf("console: %s | footer: %s\n", qPrintable(console->text().replace('\n', " / ")),
                qPrintable(console->footerText()));
    bool ok = shoot(window, out + QStringLiteral("/mainwindow-light.png"), "light");
    window.setThemeMode(Ui::ThemeMode::Dark);
    ok = shoot(window, out + QStringLiteral("/mainwindow-dark.png"), "dark") && ok;

    // The console's colours: stderr and ANSI SGR codes, in the dark theme.
    window.newFile();
    window.editor()->setPlainText(QStringLiteral(
        "// Colours in the console\n"
        "console.log('plain stdout');\n"
        "console.error('an error on stderr');\n"
        "console.log('\\x1b[31mred\\x1b[0m \\x1b[32mgreen\\x1b[0m \\x1b[1;94mbold bright blue\\x1b[0m');\n"
        "process.exitCode = 3;\n"));
    if (!runToEnd(window, finished, console))
        return 1;
    ok = shoot(window, out + QStringLiteral("/console-colours-dark.png"), "colours") && ok;

    // TypeScript: the lesson in .ts, highlighted as TypeScript, run with its types stripped.
    if (!window.openFile(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR "/19-typescript/script.ts"))
        || window.editor()->definitionName() != QLatin1String("TypeScript")) {
        std::fprintf(stderr, "typescript: the lesson did not open as TypeScript (%s)\n",
                     qPrintable(window.editor()->definitionName()));
        return 1;
    }
    if (!runToEnd(window, finished, console))
        return 1;
    if (!console->text().contains(QStringLiteral("a done"))) {
        std::fprintf(stderr, "typescript: the run printed %s\n", qPrintable(console->text()));
        return 1;
    }
    ok = shoot(window, out + QStringLiteral("/typescript-lesson-dark.png"), "typescript") && ok;
    window.newTypeScriptFile();
    if (window.editor()->definitionName() != QLatin1String("TypeScript")) {
        std::fprintf(stderr, "File > New TypeScript: the editor reads %s\n", qPrintable(window.editor()->definitionName()));
        return 1;
    }
    window.newFile();

    // Replay: six pbkdf2 hashes on the default pool of four, the cursor put back in the middle
    // of the first wave (4 lanes busy, 2 queued), light theme.
    window.setThemeMode(Ui::ThemeMode::Light);
    window.editor()->setPlainText(QStringLiteral(
        "// Six hashes, four workers\n"
        "const crypto = require('crypto');\n"
        "for (let i = 1; i <= 6; i++)\n"
        "  crypto.pbkdf2('secret', 'salt', 200000, 64, 'sha512', () => console.log('hash', i));\n"));
    finished.clear();
    window.runScript();
    if (!finished.wait(30000))
        return 1;
    Ui::TraceCursor *cursor = window.traceCursor();
    std::vector<std::uint64_t> starts;
    std::uint64_t firstFinish = UINT64_MAX;
    for (const auto &task : cursor->index()->poolTasks()) {
        starts.push_back(task.startNs);
        firstFinish = std::min(firstFinish, task.finishNs);
    }
    std::sort(starts.begin(), starts.end());
    if (starts.size() < 6) {
        std::fprintf(stderr, "replay: %zu pool tasks, expected 6\n", starts.size());
        return 1;
    }
    cursor->moveTo(starts[3] + (firstFinish - starts[3]) / 2);
    ok = shoot(window, out + QStringLiteral("/replay-threadpool-light.png"), "replay") && ok;
    window.editor()->document()->setModified(false);

    // A classroom machine: safe mode in the status bar, a pool of 8 chosen in the Run toolbar,
    // the run in a child process streaming its output back.
    Ui::MainWindowOptions classroom;
    classroom.recoveryFile = state.filePath(QStringLiteral("recovery.json"));
    classroom.lessonsDirectory = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR);
    classroom.settingsFile = state.filePath(QStringLiteral("classroom.ini"));
    classroom.defaultLesson = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR "/15-thread-pool/script.js");
    classroom.policyNotice = QStringLiteral("Safe mode (set by your administrator): scripts may write only in ~/Documents/Loopscope and /tmp.");
    Ui::MainWindow pooled(panes, classroom);
    pooled.runController()->setChildExecutable(QStringLiteral(LOOPSCOPE_EXECUTABLE));
    pooled.resize(1200, 800);
    pooled.setThemeMode(Ui::ThemeMode::Light);
    pooled.show();
    if (!QTest::qWaitForWindowExposed(&pooled))
        return 1;
    pooled.findChild<Ui::ThreadPoolSelector *>()->setSize(8);
    pooled.newFile();
    pooled.editor()->setPlainText(QStringLiteral(
        "// Eight hashes on a pool of eight: all start at once\n"
        "const crypto = require('crypto');\n"
        "const t0 = Date.now();\n"
        "for (let i = 1; i <= 8; i++)\n"
        "  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', () =>\n"
        "    console.log(`hash ${i} done after ${Date.now() - t0} ms`));\n"
        "console.log('pool size', process.env.UV_THREADPOOL_SIZE);\n"));
    QSignalSpy pooledFinished(pooled.runController(), &Runtime::RunController::runFinished);
    auto *pooledConsole = pooled.findChild<Console::ConsoleWidget *>();
    if (!runToEnd(pooled, pooledFinished, pooledConsole, 60000) || !pooled.runController()->isChildRun())
        return 1;
    std::printf("classroom console: %s\n", qPrintable(pooledConsole->text().replace('\n', " / ")));
    ok = pooledConsole->text().contains(QStringLiteral("pool size 8")) && ok;
    ok = shoot(pooled, out + QStringLiteral("/classroom-pool8-safemode.png"), "classroom") && ok;
    pooled.editor()->document()->setModified(false);
    return ok ? 0 : 1;
}
