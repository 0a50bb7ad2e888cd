// Step mode from the window (offscreen): Run ▸ Step starts a run paused before its main module,
// each Step lets one callback run (its output appears in the console then, not before), the
// status bar says where the run waits, Continue and Stop work while paused, and the actions are
// enabled only when they mean something. Saves a screenshot of a paused run into the build tree.
#include "consoleplugin.h"
#include "consolewidget.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "testfiles.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope;

class TestStepMode : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    Ui::PaneRegistry m_panes;

    std::unique_ptr<Ui::MainWindow> window(const QString &file)
    {
        Ui::MainWindowOptions o;
        o.settingsFile = m_dir->filePath(QStringLiteral("settings.ini"));
        o.recoveryFile = m_dir->filePath(QStringLiteral("recovery.json"));
        o.fileToOpen = file;
        o.askToSave = [](const QString &) { return Ui::SaveChoice::Discard; };
        auto w = std::make_unique<Ui::MainWindow>(m_panes, o);
        w->resize(1100, 700);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return nullptr;
        return w;
    }

    QString write(const QString &name, const QByteArray &text)
    {
        return Loopscope::Test::writeFile(*m_dir, name, text);
    }

    static QAction *action(Ui::MainWindow &w, const char *name)
    {
        return w.findChild<QAction *>(QString::fromLatin1(name));
    }

    static Console::ConsoleWidget *console(Ui::MainWindow &w)
    {
        return qobject_cast<Console::ConsoleWidget *>(w.paneWidget(QStringLiteral("Loopscope.Console.Pane")));
    }

    // Waits until the run is paused at its `n`-th pause (1-based) and the console has caught up.
    static bool pausedAtStep(Ui::MainWindow &w, std::uint64_t n)
    {
        return QTest::qWaitFor([&] {
            const auto p = w.runController()->pausedAt();
            return p && p->step == n && !console(w)->hasPendingOutput();
        }, 60000);
    }

private slots:
    void initTestCase()
    {
        QApplication::setStyle(QStringLiteral("Fusion"));
        Console::registerConsolePlugin(m_panes);
    }
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void actionsFollowTheRun()
    {
        const QString path = write(QStringLiteral("steps.js"),
            "console.log('one');\n"
            "setTimeout(() => console.log('three'), 0);\n"
            "process.nextTick(() => console.log('two'));\n");
        auto w = window(path);
        QVERIFY(w);
        QAction *run = action(*w, "Loopscope.Run");
        QAction *step = action(*w, "Loopscope.Step");
        QAction *phase = action(*w, "Loopscope.StepToNextPhase");
        QAction *cont = action(*w, "Loopscope.Continue");
        QVERIFY(run && step && phase && cont);
        QCOMPARE(step->shortcut(), QKeySequence(Qt::Key_F10));
        QCOMPARE(cont->shortcut(), QKeySequence(Qt::Key_F5));
        QVERIFY(step->isEnabled());
        QVERIFY(!phase->isEnabled());
        QVERIFY(!cont->isEnabled());
        QVERIFY(run->isEnabled());

        // F10 starts the run paused before the main module: nothing printed yet.
        QTest::keyClick(w.get(), Qt::Key_F10);
        QVERIFY(w->runController()->isRunning());
        QVERIFY(pausedAtStep(*w, 1));
        QVERIFY(step->isEnabled());
        QVERIFY(phase->isEnabled());
        QVERIFY(cont->isEnabled());
        QVERIFY(!run->isEnabled());
        QTRY_COMPARE(w->runStateText(), QStringLiteral("Paused before the main module"));
        QCOMPARE(console(*w)->text(), QString());

        // Each step: one callback's output, and the status names the next one.
        step->trigger();
        QVERIFY(pausedAtStep(*w, 2));
        QCOMPARE(console(*w)->text(), QStringLiteral("one\n"));
        QTRY_COMPARE(w->runStateText(), QStringLiteral("Paused before nextTick callback TickObject at line 3"));
        QTest::keyClick(w.get(), Qt::Key_F10);
        QVERIFY(pausedAtStep(*w, 3));
        QCOMPARE(console(*w)->text(), QStringLiteral("one\ntwo\n"));
        QTRY_COMPARE(w->runStateText(), QStringLiteral("Paused before timers callback Timeout at line 2"));

        // F5 continues the paused run to its end.
        QSignalSpy finished(w->runController(), &Runtime::RunController::runFinished);
        QTest::keyClick(w.get(), Qt::Key_F5);
        QVERIFY(finished.wait(60000) || finished.size() == 1);
        QCOMPARE(w->runController()->lastResult().exitCode, 0);
        QTRY_COMPARE(console(*w)->text(), QStringLiteral("one\ntwo\nthree\n"));
        QVERIFY(step->isEnabled());
        QVERIFY(!phase->isEnabled());
        QVERIFY(!cont->isEnabled());
        QVERIFY(run->isEnabled());
    }

    void stopWhilePaused()
    {
        const QString path = write(QStringLiteral("stop.js"),
            "console.log('before');\nsetImmediate(() => console.log('never'));\n");
        auto w = window(path);
        QVERIFY(w);
        w->stepScript();
        QVERIFY(pausedAtStep(*w, 1));
        w->stepScript();
        QVERIFY(pausedAtStep(*w, 2));
        QTRY_COMPARE(w->runStateText(), QStringLiteral("Paused before check callback Immediate at line 2"));

        // A screenshot of the paused run, looked at by a person: toolbar, console, status bar.
        const QString shots = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
        QDir().mkpath(shots);
        QVERIFY(w->grab().save(shots + QStringLiteral("/step-paused.png")));

        QSignalSpy finished(w->runController(), &Runtime::RunController::runFinished);
        w->stopScript();
        QVERIFY(finished.wait(60000) || finished.size() == 1);
        QCOMPARE(w->runController()->lastResult().end, Runtime::RunEnd::Stopped);
        QTRY_COMPARE(console(*w)->text(), QStringLiteral("before\n"));
        QVERIFY2(w->runStateText().startsWith(QStringLiteral("Stopped")), qPrintable(w->runStateText()));
    }

    // Slow motion: a rate set before Step plays the whole run by itself.
    void slowMotionPlaysToTheEnd()
    {
        const QString path = write(QStringLiteral("play.js"),
            "let n = 0;\nfunction next() { console.log(++n); if (n < 5) setImmediate(next); }\nsetImmediate(next);\n");
        auto w = window(path);
        QVERIFY(w);
        auto *rate = w->findChild<QSpinBox *>(QStringLiteral("Loopscope.StepRate"));
        QVERIFY(rate);
        rate->setValue(50);
        QSignalSpy finished(w->runController(), &Runtime::RunController::runFinished);
        w->stepScript();
        QVERIFY(finished.wait(60000) || finished.size() == 1);
        QCOMPARE(w->runController()->lastResult().exitCode, 0);
        QTRY_COMPARE(console(*w)->text(), QStringLiteral("1\n2\n3\n4\n5\n"));
    }
};

QTEST_MAIN(TestStepMode)
#include "tst_stepmode.moc"
