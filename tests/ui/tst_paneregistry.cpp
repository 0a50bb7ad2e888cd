// The shell docks whatever plugins registered, by id, and survives a plugin that fails.
#include "mainwindow.h"
#include "pane.h"
#include "paneregistry.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope::Ui;

namespace {
class FakePane final : public Pane {
public:
    FakePane(QString id, Qt::DockWidgetArea area, bool makesWidget, const PaneContext &context)
        : m_id(std::move(id)), m_area(area), m_makesWidget(makesWidget), m_context(context) {}
    QString id() const override { return m_id; }
    QString displayName() const override { return QStringLiteral("Fake ") + m_id; }
    Qt::DockWidgetArea defaultArea() const override { return m_area; }
    QWidget *createWidget(QWidget *parent) override
    {
        if (!m_makesWidget)
            return nullptr;
        auto *l = new QLabel(m_context.runController ? QStringLiteral("has runs") : QStringLiteral("no runs"), parent);
        l->setObjectName(m_id + QStringLiteral(".Label"));
        return l;
    }

private:
    QString m_id;
    Qt::DockWidgetArea m_area;
    bool m_makesWidget;
    PaneContext m_context;
};
} // namespace

class TestPaneRegistry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registryKeepsOrderAndIgnoresEmptyFactories()
    {
        PaneRegistry r;
        r.registerPane({});
        r.registerPane([](const PaneContext &c) { return std::make_unique<FakePane>("A", Qt::LeftDockWidgetArea, true, c); });
        QCOMPARE(r.factories().size(), 1);
    }

    void shellDocksRegisteredPanesAndSkipsBrokenOnes()
    {
        QTemporaryDir dir;
        PaneRegistry r;
        r.registerPane([](const PaneContext &c) { return std::make_unique<FakePane>("Test.Left.Pane", Qt::LeftDockWidgetArea, true, c); });
        r.registerPane([](const PaneContext &) { return std::unique_ptr<Pane>(); });  // a plugin that failed
        r.registerPane([](const PaneContext &c) { return std::make_unique<FakePane>("Test.NoWidget.Pane", Qt::RightDockWidgetArea, false, c); });
        r.registerPane([](const PaneContext &c) { return std::make_unique<FakePane>("Test.Right.Pane", Qt::RightDockWidgetArea, true, c); });
        MainWindowOptions o;
        o.settingsFile = dir.filePath(QStringLiteral("s.ini"));
        o.recoveryFile = dir.filePath(QStringLiteral("r.json"));
        QTest::ignoreMessage(QtWarningMsg, "Loopscope: a plugin's pane could not be created; skipped");
        MainWindow w(r, o);
        QDockWidget *left = w.dock(QStringLiteral("Test.Left.Pane"));
        QDockWidget *right = w.dock(QStringLiteral("Test.Right.Pane"));
        QVERIFY(left && right);
        // Views are made when their dock is first shown, not before.
        QVERIFY(!w.paneWidget(QStringLiteral("Test.Left.Pane")));
        left->hide();
        QTest::ignoreMessage(QtWarningMsg, "Loopscope: pane Test.NoWidget.Pane made no widget; skipped");
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.paneWidget(QStringLiteral("Test.Right.Pane")));
        QVERIFY(!w.paneWidget(QStringLiteral("Test.Left.Pane")));  // hidden: still not made
        left->show();
        QTRY_VERIFY(w.paneWidget(QStringLiteral("Test.Left.Pane")));
        QTRY_VERIFY(!w.dock(QStringLiteral("Test.NoWidget.Pane")));
        QTRY_COMPARE(w.findChildren<QDockWidget *>().size(), 2);
        QCOMPARE(w.dockWidgetArea(left), Qt::LeftDockWidgetArea);
        QCOMPARE(w.dockWidgetArea(right), Qt::RightDockWidgetArea);
        QCOMPARE(left->windowTitle(), QStringLiteral("Fake Test.Left.Pane"));
        auto *label = qobject_cast<QLabel *>(left->widget());
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("has runs"));  // the context reached the pane
    }
};

QTEST_MAIN(TestPaneRegistry)
#include "tst_paneregistry.moc"
