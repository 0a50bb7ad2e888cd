// The Lesson pane offscreen: lesson.md rendered as Markdown with clickable code spans that
// highlight script lines in the editor, the pane following File ▸ Lessons, a quiz checked through
// the window's runs with its ✓ in the Lessons menu, a teacher's folder with malformed lessons,
// and progress that survives a new QSettings.
#include "codeeditor.h"
#include "consoleplugin.h"
#include "ideapp.h"
#include "lessoncourse.h"
#include "lessonplugin.h"
#include "lessonprogress.h"
#include "lessonsources.h"
#include "lessonview.h"
#include "lessonwidget.h"
#include "mainwindow.h"
#include "quizwidget.h"
#include "runcontroller.h"
#include "tracecursor.h"
#include "sourcereference.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

using namespace Loopscope;

namespace {

const QString Shipped = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR);
const QString Teacher = QStringLiteral(LOOPSCOPE_TEACHER_LESSONS_DIR);

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// Clicks the middle of the `index`th link of `view`, as a student would.
void clickLink(Lesson::LessonView *view, int index)
{
    QTextCursor cursor(view->document());
    cursor.setPosition(view->links()[index].position + 1);
    const QRect r = view->cursorRect(cursor);
    view->ensureCursorVisible();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->cursorRect(cursor).center() + QPoint(2, 0));
    Q_UNUSED(r);
}

QAction *menuAction(QMenu *menu, const QString &startsWith)
{
    for (QAction *a : menu->actions())
        if (a->text().startsWith(startsWith))
            return a;
    return nullptr;
}

} // namespace

class TestLessonPane : public QObject {
    Q_OBJECT
private slots:
    void sourceReferences()
    {
        const QStringList script{"// t", "const fs = require('fs');", "console.log('sync start');", "x"};
        using R = Lesson::SourceReference;
        QCOMPARE(R::resolve("line 3", script)->firstLine, 3);
        QCOMPARE(R::resolve("lines 2-4", script)->lastLine, 4);
        QCOMPARE(R::resolve("L2-L3", script)->firstLine, 2);
        QCOMPARE(R::resolve("L4", script)->lastLine, 4);
        QVERIFY(!R::resolve("line 5", script));   // beyond the script
        QVERIFY(!R::resolve("lines 3-2", script));
        QCOMPARE(R::resolve("sync start", script)->firstLine, 3);  // a fragment: the line holding it
        QVERIFY(!R::resolve("fs", script));        // too short to point anywhere
        QVERIFY(!R::resolve("setImmediate", script));
        QCOMPARE(R::fromHref(R{2, 4}.href())->lastLine, 4);
    }

    void rendersMarkdownWithClickableCodeSpans()
    {
        Lesson::LessonView view;
        view.resize(700, 900);
        const QString folder = Shipped + "/01-main-module";
        view.setLesson(readText(folder + "/lesson.md"), readText(folder + "/script.js").split('\n'));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        // Markdown, not text: the title is a level-1 heading, "## Predict" a level-2 one, and no '#' shows.
        const QTextBlock first = view.document()->firstBlock();
        QCOMPARE(first.text(), QStringLiteral("The main module, nextTick, promises, timers and immediates"));
        QCOMPARE(first.blockFormat().headingLevel(), 1);
        QVERIFY(!view.toPlainText().contains("## "));
        QVERIFY(!view.toPlainText().contains('`'));

        // `line 6`, `line 7` ... and `sync start` (a fragment of line 6) are links.
        QVERIFY(view.links().size() >= 8);
        bool line8 = false, fragment = false;
        for (const auto &link : view.links()) {
            line8 = line8 || (link.text == "line 8" && link.reference.firstLine == 8);
            fragment = fragment || (link.text == "sync start" && link.reference.firstLine == 6);
            QTextCursor c(view.document());
            c.setPosition(link.position + 1);
            QVERIFY(c.charFormat().isAnchor());
            // Code spans follow the pane's zoom: no fixed size of their own.
            QVERIFY(!c.charFormat().hasProperty(QTextFormat::FontPointSize));
        }
        QVERIFY(line8 && fragment);

        QSignalSpy activated(&view, &Lesson::LessonView::sourceLinesActivated);
        const int index = int(std::find_if(view.links().cbegin(), view.links().cend(),
                                           [](const auto &l) { return l.text == "line 8"; })
                              - view.links().cbegin());
        clickLink(&view, index);
        QTRY_COMPARE_WITH_TIMEOUT(activated.size(), 1, 5000);
        QCOMPARE(activated.first().at(0).toInt(), 8);
        QCOMPARE(activated.first().at(1).toInt(), 8);

        // 150 %: the text grows with the widget's font.
        const qreal before = view.document()->defaultFont().pointSizeF();
        QFont f = view.font();
        f.setPointSizeF(f.pointSizeF() * 1.5);
        view.setFont(f);
        QVERIFY(view.document()->defaultFont().pointSizeF() > before * 1.4);
    }

    void progressPersistsAcrossSettingsInstances()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("progress.ini");
        {
            QSettings settings(file, QSettings::IniFormat);
            Lesson::LessonProgress progress(&settings);
            QVERIFY(!progress.isCompleted("01-main-module"));
            progress.recordQuiz("01-main-module", 3, 6);
            QVERIFY(!progress.isCompleted("01-main-module"));
            progress.recordQuiz("01-main-module", 6, 6);
            progress.recordQuiz("01-main-module", 4, 6);
            progress.markCompleted("04-emitter-sync");
        }
        QSettings settings(file, QSettings::IniFormat);
        Lesson::LessonProgress progress(&settings);
        QVERIFY(progress.isCompleted("01-main-module"));
        QVERIFY(progress.isCompleted("04-emitter-sync"));
        QVERIFY(!progress.isCompleted("02-nested-ticks"));
        const Lesson::QuizScore score = progress.quizScore("01-main-module");
        QCOMPARE(score.attempts, 3);
        QCOMPARE(score.bestRight, 6);
        QCOMPARE(score.lastRight, 4);
        QCOMPARE(score.total, 6);
        QVERIFY(score.passed);
        QCOMPARE(progress.completedLessons().size(), 2);
        QVERIFY(settings.contains("Lessons/progress/01-main-module/completed"));
    }

    // The whole path in a window: open a lesson, click a code span, answer the quiz wrong then
    // right, see the ✓; then add a teacher's folder whose broken lessons are reported and skipped.
    void inTheWindow()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("settings.ini"), QSettings::IniFormat);
        Lesson::LessonCourse course(&settings, [&settings] { return App::lessonsDirectories(Shipped, settings); });
        QVERIFY(course.problems().isEmpty());

        Ui::PaneRegistry panes;
        Console::registerConsolePlugin(panes);
        Lesson::registerLessonPlugin(panes, &course);
        Ui::MainWindowOptions options;
        options.settingsFile = settings.fileName();
        options.recoveryFile = dir.filePath("recovery.json");
        options.lessonsDirectory = Shipped;
        for (const App::Lesson &lesson : course.lessons())
            options.lessons.append({lesson.id, lesson.title, lesson.scriptPath()});
        options.askToSave = [](const QString &) { return Ui::SaveChoice::Discard; };
        options.askLessonsFolder = [] { return Teacher; };
        Ui::MainWindow window(panes, options);
        App::connectCourse(window, course, settings);
        window.resize(1300, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QMenu *lessons = window.findChild<QMenu *>("Loopscope.LessonsMenu");
        QVERIFY(lessons);
        QAction *first = menuAction(lessons, "01 — ");
        QVERIFY(first);
        first->trigger();  // File ▸ Lessons ▸ 01: the lesson's pane appears (its EventLoop pane is unknown here)
        QTRY_VERIFY(window.paneWidget("Loopscope.Lesson.Pane"));
        auto *widget = qobject_cast<Lesson::LessonWidget *>(window.paneWidget("Loopscope.Lesson.Pane"));
        QVERIFY(widget);
        QTRY_COMPARE(widget->shownLessonId(), QStringLiteral("01-main-module"));
        QVERIFY(window.dock("Loopscope.Lesson.Pane")->isVisible());
        QVERIFY(widget->headerText().contains("not completed"));

        // A code span highlights its line in the editor.
        Lesson::LessonView *view = widget->view();
        const auto links = view->links();
        const int line7 = int(std::find_if(links.cbegin(), links.cend(), [](const auto &l) { return l.text == "line 7"; })
                              - links.cbegin());
        QVERIFY(line7 < links.size());
        view->activateLink(line7);
        QCOMPARE(window.editor()->highlightedFirstLine(), 7);
        QCOMPARE(window.editor()->highlightedLastLine(), 7);
        QCOMPARE(window.editor()->textCursor().blockNumber() + 1, 7);

        // The quiz: a wrong answer by keyboard (Alt+Up), then Check runs the script for real.
        Lesson::QuizWidget *quiz = widget->quiz();
        QVERIFY(quiz->isVisible());
        QCOMPARE(quiz->answer(), Lesson::QuizChecker(*course.lesson("01-main-module")->quiz).shuffled("01-main-module"));
        quiz->setAnswer({"sync start", "sync end", "nextTick", "promise", "immediate", "queueMicrotask"});
        quiz->list()->setFocus();
        quiz->list()->setCurrentRow(5);
        QTest::keyClick(quiz->list(), Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(quiz->answer(), QStringList({"sync start", "sync end", "nextTick", "promise", "queueMicrotask", "immediate"}));
        QVERIFY(quiz->moveLine(5, -1));  // immediate before queueMicrotask: wrong
        QSignalSpy checked(quiz, &Lesson::QuizWidget::quizChecked);
        QTRY_VERIFY(quiz->checkButton()->height() > 0);  // really there to be clicked
        QTest::mouseClick(quiz->checkButton(), Qt::LeftButton);
        QVERIFY2(checked.wait(120000), qPrintable(quiz->statusText() + " | " + quiz->explanationText()));
        QVERIFY2(quiz->statusText().contains("4 of 6"), qPrintable(quiz->statusText()));
        QVERIFY2(quiz->explanationText().contains("check phase"), qPrintable(quiz->explanationText()));
        QVERIFY(quiz->list()->item(4)->text().startsWith("✗"));
        QVERIFY(quiz->list()->item(0)->text().startsWith("✓"));
        QVERIFY(!menuAction(lessons, "✓ 01"));
        // The console shows the whole checked run, not just what the trace cursor had reached.
        const QStringList printed = {"sync start", "sync end", "nextTick", "promise", "queueMicrotask", "immediate"};
        Ui::TraceCursor *cursor = window.traceCursor();
        QVERIFY(window.dock("Loopscope.Console.Pane"));
        window.dock("Loopscope.Console.Pane")->show();
        QTRY_VERIFY(window.paneWidget("Loopscope.Console.Pane"));
        auto *console = window.paneWidget("Loopscope.Console.Pane")->findChild<QPlainTextEdit *>("Loopscope.Console.View");
        QVERIFY(console);
        QVERIFY(cursor->isLive());
        QTRY_COMPARE(console->toPlainText().split('\n', Qt::SkipEmptyParts), printed);

        // Replaying the first check's trace from its start, then checking again: the new run is
        // live again, and the console shows all of it.
        cursor->moveToStart();
        QVERIFY(!cursor->isLive());
        QTRY_VERIFY(console->toPlainText().split('\n', Qt::SkipEmptyParts).size() < printed.size());
        QVERIFY(quiz->moveLine(4, 1));  // put it right
        QTest::mouseClick(quiz->checkButton(), Qt::LeftButton);
        QVERIFY2(checked.wait(120000), qPrintable(quiz->statusText() + " | " + quiz->explanationText()));
        QVERIFY(cursor->isLive());
        QTRY_COMPARE(console->toPlainText().split('\n', Qt::SkipEmptyParts), printed);
        QVERIFY2(quiz->statusText().contains("Lesson completed"), qPrintable(quiz->statusText()));
        QVERIFY(menuAction(lessons, "✓ 01"));
        QVERIFY2(widget->headerText().contains("✓ completed"), qPrintable(widget->headerText()));

        // A lesson without a quiz is completed by running it to its expected end.
        menuAction(lessons, "04 — ")->trigger();
        QTRY_COMPARE(widget->shownLessonId(), QStringLiteral("04-emitter-sync"));
        QVERIFY(!quiz->isVisible());
        QSignalSpy finished(window.runController(), &Runtime::RunController::runFinished);
        window.runScript();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY(menuAction(lessons, "✓ 04"));

        // A lesson that asks for a pool size sets the Thread pool selector (and so the next run's
        // pool); one that asks for none leaves it as it is.
        auto *poolBox = window.findChild<QWidget *>("Loopscope.ThreadPoolSelector")->findChild<QComboBox *>();
        QVERIFY(poolBox);
        menuAction(lessons, "16 — ")->trigger();
        QTRY_COMPARE(widget->shownLessonId(), QStringLiteral("16-readfile-steps"));
        QCOMPARE(window.runController()->threadPoolSize(), 1);
        QCOMPARE(poolBox->currentText(), QStringLiteral("1"));
        menuAction(lessons, "✓ 01 — ")->trigger();
        QTRY_COMPARE(widget->shownLessonId(), QStringLiteral("01-main-module"));
        QCOMPARE(window.runController()->threadPoolSize(), 1);
        menuAction(lessons, "15 — ")->trigger();
        QTRY_COMPARE(widget->shownLessonId(), QStringLiteral("15-thread-pool"));
        QCOMPARE(window.runController()->threadPoolSize(), 4);
        QCOMPARE(poolBox->currentText(), QStringLiteral("4"));

        // A teacher's folder: its good lesson joins the menu, the broken ones are reported and skipped.
        const qsizetype shipped = course.lessons().size();
        QVERIFY(shipped >= 19);
        lessons->findChild<QAction *>("Loopscope.AddLessonsFolder")->trigger();
        QCOMPARE(settings.value(App::TeacherDirectoryKey).toString(), Teacher);
        QVERIFY(menuAction(lessons, "01 — My first teacher lesson"));
        QCOMPARE(course.lessons().size(), shipped + 1);
        QVERIFY2(window.statusBar()->currentMessage().contains("3 lesson folders skipped"),
                 qPrintable(window.statusBar()->currentMessage()));
        const QString problems = widget->problemsText();
        QVERIFY2(problems.contains("02-broken-quiz") && problems.contains("03-no-explanation")
                     && problems.contains("lesson.md is missing or empty"),
                 qPrintable(problems));
        menuAction(lessons, "01 — My first teacher lesson")->trigger();
        QTRY_COMPARE(widget->shownLessonId(), QStringLiteral("01-my-first"));
        QVERIFY(window.isReadOnlyLesson());
    }
};

QTEST_MAIN(TestLessonPane)
#include "tst_lessonpane.moc"
