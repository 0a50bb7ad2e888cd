// The console registers itself with one call and makes its widget on demand.
#include "consoleplugin.h"
#include "consolewidget.h"
#include "paneregistry.h"
#include "runcontroller.h"

#include <QApplication>
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
};

QTEST_MAIN(TestConsolePane)
#include "tst_consolepane.moc"
