// lessonscreenshot — what a teacher projects: lesson 1 open at 150 % zoom, its explanation in the
// Lesson pane with a code span's lines highlighted in the editor, and its quiz after Check with
// some lines wrong and their explanations; light and dark. PNGs go to argv[1]. Fails unless the
// quiz was checked for real with wrong lines explained, and the console shows all of that run.
// Run under xvfb-run (real xcb painting).
#include "codeeditor.h"
#include "consoleplugin.h"
#include "ideapp.h"
#include "lessoncourse.h"
#include "lessonplugin.h"
#include "lessonsources.h"
#include "lessonview.h"
#include "lessonwidget.h"
#include "mainwindow.h"
#include "quizwidget.h"
#include "screenshotwindow.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Loopscope;

static bool shoot(QWidget &window, const QString &path)
{
    const QImage image = Test::saveShot(window, path);
    if (image.isNull())
        return false;
    std::printf("saved %s (%dx%d)\n", qPrintable(path), image.width(), image.height());
    return true;
}

int main(int argc, char **argv)
{
    Test::ScreenshotProgram program(argc, argv);
    const QString &out = program.out;
    const QTemporaryDir &state = program.state;
    const QString shipped = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR);

    QSettings settings(state.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    Loopscope::Lesson::LessonCourse course(&settings, [&] { return App::lessonsDirectories(shipped, settings); });
    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);
    Loopscope::Lesson::registerLessonPlugin(panes, &course);
    Ui::MainWindowOptions options;
    options.settingsFile = settings.fileName();
    options.recoveryFile = state.filePath(QStringLiteral("recovery.json"));
    options.lessonsDirectory = shipped;
    for (const App::Lesson &lesson : course.lessons())
        options.lessons.append({lesson.id, lesson.title, lesson.scriptPath()});
    Ui::MainWindow window(panes, options);
    App::connectCourse(window, course, settings);
    window.resize(1600, 1000);
    window.setThemeMode(Ui::ThemeMode::Light);
    window.setZoomSteps(5);  // 150 %: what a projector needs
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    window.openFile(shipped + QStringLiteral("/01-main-module/script.js"));
    QApplication::processEvents();
    auto *widget = qobject_cast<Loopscope::Lesson::LessonWidget *>(window.paneWidget(QStringLiteral("Loopscope.Lesson.Pane")));
    if (!widget) {
        std::fprintf(stderr, "no Lesson pane\n");
        return 1;
    }
    window.resizeDocks({window.dock(QStringLiteral("Loopscope.Lesson.Pane"))}, {820}, Qt::Horizontal);
    // Tall enough for the checked run's six lines at 150 % (at 150 px only the last one showed).
    window.resizeDocks({window.dock(QStringLiteral("Loopscope.Console.Pane"))}, {250}, Qt::Vertical);
    widget->findChild<QSplitter *>()->setSizes({380, 620});

    // A code span clicked: `line 7` to `line 10`'s first, the setImmediate line.
    for (int i = 0; i < widget->view()->links().size(); ++i)
        if (widget->view()->links()[i].text == QLatin1String("line 7")) {
            widget->view()->activateLink(i);
            break;
        }

    // A student who thinks immediates beat promises, and that nextTick waits for promises.
    Loopscope::Lesson::QuizWidget *quiz = widget->quiz();
    quiz->setAnswer({QStringLiteral("sync start"), QStringLiteral("sync end"), QStringLiteral("immediate"),
                     QStringLiteral("promise"), QStringLiteral("nextTick"), QStringLiteral("queueMicrotask")});
    QSignalSpy checked(quiz, &Loopscope::Lesson::QuizWidget::quizChecked);
    quiz->check();
    if (!checked.wait(120000)) {
        std::fprintf(stderr, "the quiz was not checked\n");
        return 1;
    }
    std::printf("status: %s\nexplanations:\n%s\n", qPrintable(quiz->statusText()), qPrintable(quiz->explanationText()));
    // The console beside the quiz shows the whole checked run: every line, the first one in view.
    auto *console = window.paneWidget(QStringLiteral("Loopscope.Console.Pane"))
                        ? window.paneWidget(QStringLiteral("Loopscope.Console.Pane"))->findChild<QPlainTextEdit *>()
                        : nullptr;
    auto consoleLineCount = [console] {
        return console ? int(console->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts).size()) : 0;
    };
    (void)QTest::qWaitFor([&] { return consoleLineCount() >= 6; }, 10000);  // it flushes on a timer; checked below
    const int consoleLines = consoleLineCount();
    const bool consoleShowsAll = console && consoleLines == 6
        && console->cursorForPosition(QPoint(4, 4)).blockNumber() == 0
        && console->cursorForPosition(QPoint(4, console->viewport()->height() - 4)).blockNumber() >= 5;
    if (!consoleShowsAll)
        std::fprintf(stderr, "the console does not show the whole run (%d lines)\n", consoleLines);
    const bool explained = quiz->explanationText().contains(QLatin1String("check phase"))
        && quiz->lastResult().rightCount() > 0 && !quiz->lastResult().passed();
    bool ok = shoot(window, out + QStringLiteral("/lesson-quiz-light.png"));
    window.setThemeMode(Ui::ThemeMode::Dark);
    ok = shoot(window, out + QStringLiteral("/lesson-quiz-dark.png")) && ok;
    if (!explained)
        std::fprintf(stderr, "the checked quiz shows no explanation of its wrong lines\n");
    return ok && explained && consoleShowsAll ? 0 : 1;
}
