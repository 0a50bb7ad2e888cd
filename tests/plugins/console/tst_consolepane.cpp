// The console registers itself with one call and makes its widget on demand.
#include "consoleplugin.h"
#include "consolewidget.h"
#include "paneregistry.h"
#include "runcontroller.h"
#include "testfiles.h"

#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope;

class TestConsolePane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registersOnePane()
    {
        Ui::PaneRegistry registry;
        Console::registerConsolePlugin(registry);
        QCOMPARE(registry.factories().size(), 1);
        Runtime::RunController runs;
        auto pane = registry.factories().first()(Ui::PaneContext{&runs});
        QVERIFY(pane);
        QCOMPARE(pane->id(), QStringLiteral("Loopscope.Console.Pane"));
        QCOMPARE(pane->displayName(), QStringLiteral("Console"));
        QCOMPARE(pane->defaultArea(), Qt::BottomDockWidgetArea);
        QWidget parent;
        QWidget *w = pane->createWidget(&parent);
        QVERIFY(qobject_cast<Console::ConsoleWidget *>(w));
        QCOMPARE(w->parent(), &parent);
    }

    void outputBeforeTheViewExistsIsKept()
    {
        QTemporaryDir dir;
        const QString script = Test::writeFile(dir, QStringLiteral("early.js"),
            "console.log('said early'); console.error('and on stderr'); process.exitCode = 2;\n");
        Ui::PaneRegistry registry;
        Console::registerConsolePlugin(registry);
        Runtime::RunController runs;
        auto pane = registry.factories().first()(Ui::PaneContext{&runs});
        QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
        QVERIFY(runs.run(script));
        QVERIFY(finished.wait(20000));
        // The dock is shown only now: the view must still show the whole run.
        QWidget parent;
        auto *console = qobject_cast<Console::ConsoleWidget *>(pane->createWidget(&parent));
        QVERIFY(console);
        QVERIFY(QTest::qWaitFor([&] { return !console->hasPendingOutput(); }, 5000));
        QCOMPARE(console->text(), QStringLiteral("said early\nand on stderr\n"));
        QVERIFY(console->footerText().startsWith(QStringLiteral("Exited with code 2")));
    }

    void theLineCapComesFromTheSettings()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("Console/lineCap"), 50);
        const QString script = Test::writeFile(dir, QStringLiteral("many.js"),
                                               "for (let i = 1; i <= 200; i++) console.log('line ' + i);\n");
        Ui::PaneRegistry registry;
        Console::registerConsolePlugin(registry);
        Runtime::RunController runs;
        Ui::PaneContext context{&runs};
        context.settings = &settings;
        auto pane = registry.factories().first()(context);
        QWidget parent;
        auto *console = qobject_cast<Console::ConsoleWidget *>(pane->createWidget(&parent));
        QCOMPARE(console->lineCap(), 50);
        QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
        QVERIFY(runs.run(script));
        QVERIFY(finished.wait(20000));
        QVERIFY(QTest::qWaitFor([&] { return !console->hasPendingOutput(); }, 5000));
        const QStringList lines = console->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() <= 51, qPrintable(QString::number(lines.size())));
        QCOMPARE(lines.last(), QStringLiteral("line 200"));
        QVERIFY(!console->text().contains(QStringLiteral("line 100\n")));
        QVERIFY(console->droppedLines() >= 149);  // and the console says so
    }
};

QTEST_MAIN(TestConsolePane)
#include "tst_consolepane.moc"
