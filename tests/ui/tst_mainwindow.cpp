// The IDE shell end to end (offscreen): lessons, open/edit/save/recover, runs from the window,
// stopping a busy script while the GUI keeps running, zoom, settings.
#include "lessoncatalog.h"
#include "codeeditor.h"
#include "findbar.h"
#include "consoleplugin.h"
#include "consolewidget.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "testfiles.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTimer>

using namespace Loopscope;

class TestMainWindow : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    Ui::PaneRegistry m_panes;
    const QString m_lessons = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR);

    Ui::MainWindowOptions options(const QString &fileToOpen = {})
    {
        Ui::MainWindowOptions o;
        o.settingsFile = m_dir->filePath(QStringLiteral("settings.ini"));
        o.recoveryFile = m_dir->filePath(QStringLiteral("recovery.json"));
        o.lessonsDirectory = m_lessons;
        const App::LessonCatalog course = App::LessonCatalog::load(m_lessons);
        for (const App::Lesson &lesson : course.lessons())
            o.lessons.append({lesson.id, lesson.title, lesson.scriptPath()});
        o.defaultLesson = m_lessons + QStringLiteral("/01-main-module/script.js");
        o.fileToOpen = fileToOpen;
        o.askToSave = [](const QString &) { return Ui::SaveChoice::Discard; };
        return o;
    }

    QString write(const QString &name, const QByteArray &text)
    {
        return Loopscope::Test::writeFile(*m_dir, name, text);
    }

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Panes are created when first shown, so the window is shown first.
    static Console::ConsoleWidget *console(Ui::MainWindow &w)
    {
        if (!w.isVisible()) {
            w.show();
            if (!QTest::qWaitForWindowExposed(&w))
                return nullptr;
        }
        return qobject_cast<Console::ConsoleWidget *>(w.paneWidget(QStringLiteral("Loopscope.Console.Pane")));
    }

    static bool runToEnd(Ui::MainWindow &w)
    {
        QSignalSpy finished(w.runController(), &Runtime::RunController::runFinished);
        w.runScript();
        if (!finished.wait(30000))
            return false;
        return QTest::qWaitFor([&] { return !console(w)->hasPendingOutput(); }, 10000);
    }

private Q_SLOTS:
    void initTestCase() { QApplication::setStyle(QStringLiteral("Fusion")); Console::registerConsolePlugin(m_panes); }
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void firstStartOpensTheDefaultLessonReadOnly()
    {
        Ui::MainWindow w(m_panes, options());
        QCOMPARE(w.filePath(), m_lessons + QStringLiteral("/01-main-module/script.js"));
        QVERIFY(w.isReadOnlyLesson());
        QVERIFY(w.editor()->isReadOnly());
        QVERIFY(w.editor()->toPlainText().startsWith(QStringLiteral("// The main module")));
        QVERIFY(w.windowTitle().contains(QStringLiteral("read-only")));
        QVERIFY(w.dock(QStringLiteral("Loopscope.Console.Pane")));
        QCOMPARE(w.runStateText(), QStringLiteral("Idle"));
    }

    void goToLineIsCtrlGInTheEditMenu()
    {
        Ui::MainWindow w(m_panes, options());
        auto *goTo = w.findChild<QAction *>(QStringLiteral("Loopscope.GoToLine"));
        QVERIFY(goTo);
        QCOMPARE(goTo->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_G));
        auto *edit = qobject_cast<QMenu *>(goTo->parent());
        QVERIFY(edit);
        QCOMPARE(edit->title(), QStringLiteral("&Edit"));
        w.editor()->goToLine(3);
        QCOMPARE(w.editor()->textCursor().blockNumber(), 2);
    }

    void findAndReplaceAreInTheEditMenu()
    {
        const QString path = write(QStringLiteral("find.js"), "let a = 1;\nlet b = a;\n");
        Ui::MainWindow w(m_panes, options(path));
        auto *find = w.findChild<QAction *>(QStringLiteral("Loopscope.Find"));
        auto *replace = w.findChild<QAction *>(QStringLiteral("Loopscope.Replace"));
        QVERIFY(find && replace);
        QCOMPARE(find->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_F));
        QCOMPARE(replace->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_H));
        QVERIFY(w.findBar()->isHidden());
        replace->trigger();
        QVERIFY(!w.findBar()->isHidden());
        QCOMPARE(w.findBar()->replaceAll(QStringLiteral("let"), QStringLiteral("const")), 2);
        QCOMPARE(w.editor()->toPlainText(), QStringLiteral("const a = 1;\nconst b = a;\n"));
        QVERIFY(w.isModified());
    }

    void notUtf8IsShownAsLatin1AndSavedBackUnchanged()
    {
        const QByteArray bytes("// caf\xe9 \xff\xfe\r\nconsole.log('x')\n");
        const QString path = write(QStringLiteral("latin1.js"), bytes);
        Ui::MainWindow w(m_panes, options(path));
        QCOMPARE(w.filePath(), path);
        QVERIFY(!w.isDecodedCleanly());
        QVERIFY(w.editor()->toPlainText().startsWith(QStringLiteral("// caf\u00e9 \u00ff\u00fe")));
        QVERIFY(!w.isModified());
        QVERIFY(w.save());
        QCOMPARE(read(path), bytes);
        // Edited text is written as UTF-8.
        w.editor()->moveCursor(QTextCursor::End);
        QTest::keyClicks(w.editor(), QStringLiteral("1"));
        QVERIFY(w.save());
        QCOMPARE(read(path), w.editor()->toPlainText().toUtf8());
    }

    void binaryFileAsksAndDecliningKeepsTheCurrentFile()
    {
        const QString text = write(QStringLiteral("keep.js"), "console.log('keep')\n");
        const QString binary = write(QStringLiteral("blob.bin"), QByteArray("abc\0def", 7));
        QStringList asked;
        bool answer = false;
        Ui::MainWindowOptions o = options(text);
        o.askToOpenUnusual = [&](const QString &path, const QString &) {
            asked << path;
            return answer;
        };
        Ui::MainWindow w(m_panes, o);
        QVERIFY(asked.isEmpty());  // an ordinary text file is not asked about
        QVERIFY(!w.openFile(binary));
        QCOMPARE(asked, QStringList{binary});
        QCOMPARE(w.filePath(), text);
        QCOMPARE(w.editor()->toPlainText(), QStringLiteral("console.log('keep')\n"));
        answer = true;
        QVERIFY(w.openFile(binary));
        QCOMPARE(asked.size(), 2);
        QCOMPARE(w.filePath(), binary);
        QVERIFY(w.save());
        QCOMPARE(read(binary), QByteArray("abc\0def", 7));
    }

    void clickingAStackFrameShowsTheErrorLine()
    {
        const QString path = write(QStringLiteral("throws.js"), "const a = 1;\nconst b = a + 1;\nthrow new Error('boom ' + b);\n");
        const QString other = write(QStringLiteral("other.js"), "console.log('other')\n");
        Ui::MainWindow w(m_panes, options(path));
        QVERIFY(runToEnd(w));
        Console::ConsoleWidget *c = console(w);
        QVERIFY(c);
        QVERIFY2(c->text().contains(QStringLiteral("Error: boom 2")), qPrintable(c->text()));
        int header = -1, frame = -1, internal = -1;
        const QStringList lines = c->view()->toPlainText().split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i) {
            if (lines[i] == path + QStringLiteral(":3"))
                header = i;
            else if (frame < 0 && lines[i].contains(QStringLiteral("(%1:3:").arg(path)))
                frame = i;
            else if (internal < 0 && lines[i].contains(QStringLiteral("node:internal")))
                internal = i;
        }
        QVERIFY2(header >= 0 && frame >= 0, qPrintable(c->text()));
        QVERIFY(!c->activateLine(header + 1));  // the source text under the header is no link
        if (internal >= 0)
            QVERIFY(!c->activateLine(internal));

        // A frame in another file than the open one: that file is opened.
        QVERIFY(w.openFile(other));
        QSignalSpy activated(c, &Console::ConsoleWidget::sourceLocationActivated);
        QVERIFY(c->activateLine(frame));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), path);
        QCOMPARE(activated.at(0).at(1).toInt(), 3);
        QCOMPARE(w.filePath(), path);
        QCOMPARE(w.editor()->textCursor().blockNumber(), 2);
        QCOMPARE(w.editor()->errorLine(), 3);
        // An edit clears the marker.
        QTest::keyClicks(w.editor(), QStringLiteral("x"));
        QCOMPARE(w.editor()->errorLine(), 0);
        w.editor()->undo();

        // A real click on the report's header line does the same.
        w.editor()->goToLine(1);
        const QTextBlock block = c->view()->document()->findBlockByNumber(header);
        QTextCursor at(block);
        c->view()->setTextCursor(at);
        const QPoint point = c->view()->cursorRect(at).center() + QPoint(2, 0);
        QTest::mouseClick(c->view()->viewport(), Qt::LeftButton, {}, point);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(w.editor()->textCursor().blockNumber(), 2);
        QCOMPARE(w.editor()->errorLine(), 3);
    }

    void runShowsOutputInOrder()
    {
        Ui::MainWindow w(m_panes, options());
        QVERIFY(runToEnd(w));
        QCOMPARE(console(w)->text(), QStringLiteral("sync start\nsync end\nnextTick\npromise\nqueueMicrotask\nimmediate\n"));
        QVERIFY2(console(w)->footerText().startsWith(QStringLiteral("Exited with code 0 in ")), qPrintable(console(w)->footerText()));
        QVERIFY2(w.runStateText().startsWith(QStringLiteral("Exited with code 0")), qPrintable(w.runStateText()));
    }

    void saveAsMakesALessonWritable()
    {
        Ui::MainWindow w(m_panes, options());
        QVERIFY(w.isReadOnlyLesson());
        const QString copy = m_dir->filePath(QStringLiteral("mine.js"));
        QVERIFY(w.saveAs(copy));
        QVERIFY(!w.isReadOnlyLesson());
        QVERIFY(!w.editor()->isReadOnly());
        QCOMPARE(w.filePath(), copy);
        QCOMPARE(read(copy), read(m_lessons + QStringLiteral("/01-main-module/script.js")));
        QCOMPARE(w.recentFiles().value(0), copy);
    }

    void openEditSaveAndRunTheSavedText()
    {
        const QString path = write(QStringLiteral("edit.js"), "console.log('before')\n");
        Ui::MainWindow w(m_panes, options(path));
        QCOMPARE(w.filePath(), path);
        QVERIFY(!w.isReadOnlyLesson());
        w.editor()->selectAll();
        QTest::keyClicks(w.editor(), QStringLiteral("console.log('after')"));
        QVERIFY(w.isModified());
        QVERIFY(w.windowTitle().contains(QStringLiteral("[*]")));
        // Running a modified file saves it first, so the run sees what the editor shows.
        QVERIFY(runToEnd(w));
        QVERIFY(!w.isModified());
        QCOMPARE(read(path), QByteArray("console.log('after')"));
        QCOMPARE(console(w)->text(), QStringLiteral("after\n"));
    }

    void untitledScriptsRun()
    {
        Ui::MainWindow w(m_panes, options());
        w.newFile();
        QVERIFY(w.filePath().isEmpty());
        w.editor()->setPlainText(QStringLiteral("console.error('to stderr'); process.exitCode = 4;"));
        QVERIFY(runToEnd(w));
        QCOMPARE(console(w)->text(), QStringLiteral("to stderr\n"));
        QVERIFY(console(w)->footerText().startsWith(QStringLiteral("Exited with code 4")));
    }

    void unsavedChangesGuard()
    {
        const QString path = write(QStringLiteral("guard.js"), "1\n");
        auto o = options(path);
        int asked = 0;
        Ui::SaveChoice answer = Ui::SaveChoice::Cancel;
        o.askToSave = [&](const QString &) { ++asked; return answer; };
        Ui::MainWindow w(m_panes, o);
        w.editor()->selectAll();
        w.editor()->insertPlainText(QStringLiteral("2\n"));
        w.newFile();  // cancelled: nothing lost
        QCOMPARE(asked, 1);
        QCOMPARE(w.filePath(), path);
        QCOMPARE(w.editor()->toPlainText(), QStringLiteral("2\n"));
        answer = Ui::SaveChoice::Save;
        w.newFile();
        QCOMPARE(asked, 2);
        QCOMPARE(read(path), QByteArray("2\n"));
        QVERIFY(w.filePath().isEmpty());
    }

    void unsavedTextIsRecoveredNeverRun()
    {
        const QString path = write(QStringLiteral("rec.js"), "console.log('disk')\n");
        {
            Ui::MainWindow w(m_panes, options(path));
            w.editor()->selectAll();
            w.editor()->insertPlainText(QStringLiteral("console.log('typed')\n"));
            w.autosaveNow();  // what the autosave timer does every few seconds
            QVERIFY(QFile::exists(m_dir->filePath(QStringLiteral("recovery.json"))));
            // the session dies without saving: no close, no guard
        }
        Ui::MainWindow w(m_panes, options());
        QSignalSpy started(w.runController(), &Runtime::RunController::runStarted);
        QVERIFY(w.hasRecoveryOffer());
        QCOMPARE(w.filePath(), path);  // the last session's file
        QCOMPARE(w.editor()->toPlainText(), QStringLiteral("console.log('disk')\n"));
        w.autosaveNow();  // an undecided offer keeps its file
        QVERIFY(QFile::exists(m_dir->filePath(QStringLiteral("recovery.json"))));
        w.restoreRecovery();
        QVERIFY(!w.hasRecoveryOffer());
        QCOMPARE(w.editor()->toPlainText(), QStringLiteral("console.log('typed')\n"));
        QVERIFY(w.isModified());
        QTest::qWait(100);
        QCOMPARE(started.count(), 0);  // never run by itself
        QVERIFY(w.save());
        QCOMPARE(read(path), QByteArray("console.log('typed')\n"));
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("recovery.json"))));
    }

    void recoveryCanBeDiscarded()
    {
        Ui::RecoveryStore(m_dir->filePath(QStringLiteral("recovery.json"))).save({QString(), QStringLiteral("lost")});
        Ui::MainWindow w(m_panes, options());
        QVERIFY(w.hasRecoveryOffer());
        w.discardRecovery();
        QVERIFY(!w.hasRecoveryOffer());
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("recovery.json"))));
        QVERIFY(w.editor()->toPlainText().startsWith(QStringLiteral("// The main module")));
    }

    void stopBusyScriptWhileTheGuiRuns()
    {
        const QString path = write(QStringLiteral("busy.js"), "console.log('spinning');\nwhile (true) {}\n");
        Ui::MainWindow w(m_panes, options(path));
        w.show();
        QSignalSpy finished(w.runController(), &Runtime::RunController::runFinished);
        w.runScript();
        QVERIFY(QTest::qWaitFor([&] { return console(w)->text() == QStringLiteral("spinning\n"); }, 20000));
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
        ticker.start(10);
        QTest::qWait(1300);
        // ~130 possible; a loaded machine delays timers, a blocked GUI thread stops them.
        QVERIFY2(ticks >= 20, qPrintable(QString::number(ticks)));
        QVERIFY2(QRegularExpression(QStringLiteral("^Running for [1-9][0-9]* s$")).match(w.runStateText()).hasMatch(),
                 qPrintable(w.runStateText()));
        QVERIFY(console(w)->input()->isEnabled());
        w.stopScript();
        QVERIFY(finished.wait(10000));
        QVERIFY(QTest::qWaitFor([&] { return w.runStateText().startsWith(QStringLiteral("Stopped")); }, 2000));
        QVERIFY(console(w)->footerText().startsWith(QStringLiteral("Stopped after")));
        QVERIFY(!console(w)->input()->isEnabled());
    }

    void closingWhileABusyScriptRunsEndsIt()
    {
        const QString path = write(QStringLiteral("busy3.js"), "console.log('spin');\nwhile (true) {}\n");
        auto w = std::make_unique<Ui::MainWindow>(m_panes, options(path));
        w->show();
        w->runScript();
        QVERIFY(QTest::qWaitFor([&] { return console(*w)->text() == QStringLiteral("spin\n"); }, 20000));
        QElapsedTimer t;
        t.start();
        QVERIFY(w->close());
        w.reset();  // the controller stops the run and joins its thread
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    }

    void rerunStopsAndStartsAgain()
    {
        const QString path = write(QStringLiteral("busy2.js"), "console.log('go');\nwhile (true) {}\n");
        Ui::MainWindow w(m_panes, options(path));
        QSignalSpy started(w.runController(), &Runtime::RunController::runStarted);
        QSignalSpy finished(w.runController(), &Runtime::RunController::runFinished);
        w.runScript();
        QVERIFY(QTest::qWaitFor([&] { return console(w)->text() == QStringLiteral("go\n"); }, 20000));
        w.rerunScript();
        QVERIFY(QTest::qWaitFor([&] { return started.count() == 2; }, 10000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(w.runController()->isRunning());
        w.stopScript();
        QVERIFY(finished.wait(10000));
    }

    void stdinFromTheConsole()
    {
        const QString path = write(QStringLiteral("ask.js"),
            "process.stdin.once('data', d => { console.log('hello ' + String(d).trim()); process.exit(0); });\n");
        Ui::MainWindow w(m_panes, options(path));
        QSignalSpy asked(w.runController(), &Runtime::RunController::stdinRequested);
        QSignalSpy finished(w.runController(), &Runtime::RunController::runFinished);
        w.runScript();
        QVERIFY(asked.wait(20000));
        QTest::keyClicks(console(w)->input(), QStringLiteral("Ada"));
        QTest::keyClick(console(w)->input(), Qt::Key_Return);
        QVERIFY(finished.wait(10000));
        QVERIFY(QTest::qWaitFor([&] { return !console(w)->hasPendingOutput(); }, 5000));
        QCOMPARE(console(w)->text(), QStringLiteral("Ada\nhello Ada\n"));
    }

    void zoomScalesEditorAndPanes()
    {
        Ui::MainWindow w(m_panes, options());
        QPlainTextEdit *consoleView = console(w)->view();
        const double editor0 = w.editor()->font().pointSizeF();
        const double console0 = consoleView->font().pointSizeF();
        const QString family = consoleView->font().family();
        w.zoomIn();
        w.zoomIn();
        QCOMPARE(w.zoomSteps(), 2);
        QVERIFY(w.editor()->font().pointSizeF() > editor0 * 1.15);
        QVERIFY(consoleView->font().pointSizeF() > console0 * 1.15);
        QCOMPARE(consoleView->font().family(), family);  // still the mono font
        QVERIFY(w.editor()->font().fixedPitch());
        w.zoomReset();
        QCOMPARE(w.editor()->font().pointSizeF(), editor0);
        QCOMPARE(consoleView->font().pointSizeF(), console0);
        w.zoomOut();
        QVERIFY(w.editor()->font().pointSizeF() < editor0);
    }

    void settingsRoundTrip()
    {
        const QString path = write(QStringLiteral("kept.js"), "1\n");
        {
            Ui::MainWindow w(m_panes, options(path));
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(700, 500);  // the offscreen screen is 800×600
            QTRY_COMPARE(w.size(), QSize(700, 500));
            w.setZoomSteps(3);
            w.setThemeMode(Ui::ThemeMode::Dark);
            w.dock(QStringLiteral("Loopscope.Console.Pane"))->setFloating(true);
            w.close();  // saves settings
        }
        Ui::MainWindow w(m_panes, options());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.filePath(), path);
        QCOMPARE(w.zoomSteps(), 3);
        QCOMPARE(w.themeMode(), Ui::ThemeMode::Dark);
        QVERIFY(w.dock(QStringLiteral("Loopscope.Console.Pane"))->isFloating());
        QCOMPARE(w.size(), QSize(700, 500));
        QCOMPARE(w.recentFiles().value(0), path);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        w.setThemeMode(Ui::ThemeMode::Light);
    }

    void lessonsMenuListsEveryLesson()
    {
        Ui::MainWindow w(m_panes, options());
        QMenu *lessons = nullptr;
        for (QMenu *m : w.findChildren<QMenu *>())
            if (m->title() == QStringLiteral("&Lessons"))
                lessons = m;
        QVERIFY(lessons);
        const QList<App::Lesson> course = App::LessonCatalog::load(m_lessons).lessons();
        QVERIFY(course.size() >= 14);
        // Every lesson, then a separator and Add Lessons Folder.
        QList<QAction *> entries = lessons->actions();
        QCOMPARE(entries.size(), course.size() + 2);
        QVERIFY(entries.at(course.size())->isSeparator());
        QCOMPARE(entries.last()->objectName(), QStringLiteral("Loopscope.AddLessonsFolder"));
        entries = entries.mid(0, course.size());
        QVERIFY(entries.first()->text().startsWith(QStringLiteral("01 — The main module")));
        entries.last()->trigger();
        QCOMPARE(w.filePath(), course.last().scriptPath());
        QVERIFY(w.isReadOnlyLesson());
    }

    void shortcutsAreBound()
    {
        Ui::MainWindow w(m_panes, options());
        QStringList shortcuts;
        for (QAction *a : w.findChildren<QAction *>())
            for (const QKeySequence &k : a->shortcuts())
                shortcuts << k.toString(QKeySequence::PortableText);
        for (const char *k : {"Ctrl+N", "Ctrl+O", "Ctrl+S", "F5", "Shift+F5", "Ctrl+=", "Ctrl+-", "Ctrl+0"})
            QVERIFY2(shortcuts.contains(QLatin1String(k)), k);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
