// When `loopscope` may open a window: a display must be named and Qt not forced off-screen.
#include "ideapp.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTest>

using Loopscope::App::displayAvailable;

class TestIdeApp : public QObject {
    Q_OBJECT
    void setEnv(const char *qpa, const char *display, const char *wayland)
    {
        qputenv("QT_QPA_PLATFORM", qpa);
        qputenv("DISPLAY", display);
        qputenv("WAYLAND_DISPLAY", wayland);
    }
private Q_SLOTS:
    void cleanupTestCase() { qputenv("QT_QPA_PLATFORM", "offscreen"); }
    void decides()
    {
        setEnv("", "", "");
        QVERIFY(!displayAvailable());
        setEnv("", ":0", "");
        QVERIFY(displayAvailable());
        setEnv("", "", "wayland-0");
        QVERIFY(displayAvailable());
        setEnv("xcb", ":1", "");
        QVERIFY(displayAvailable());
        setEnv("offscreen", ":0", "");
        QVERIFY(!displayAvailable());
        setEnv("minimal", "", "wayland-0");
        QVERIFY(!displayAvailable());
    }
    // `loopscope` finds loopscope-ide, and the IDE finds `loopscope` for its child runs, in the
    // folder of the running executable (here the test's).
    void findsSiblingsBesideItself()
    {
        const QString sibling = QString::fromStdString(Loopscope::App::siblingExecutable("loopscope-ide"));
        QCOMPARE(QFileInfo(sibling).absolutePath(), QCoreApplication::applicationDirPath());
        QCOMPARE(QFileInfo(sibling).fileName(), QStringLiteral("loopscope-ide"));
    }
    // With no loopscope-ide beside it, the hand-over fails with an exit code instead of exec'ing.
    void startIdeFailsWithoutTheIde()
    {
        QVERIFY(!QFileInfo::exists(QString::fromStdString(Loopscope::App::siblingExecutable("loopscope-ide"))));
        char name[] = "loopscope";
        char *argv[] = {name, nullptr};
        QCOMPARE(Loopscope::App::startIde(argv), 1);
    }
};

QTEST_GUILESS_MAIN(TestIdeApp)
#include "tst_ideapp.moc"
