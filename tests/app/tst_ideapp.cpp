// When `loopscope` may open a window: a display must be named and Qt not forced off-screen.
#include "ideapp.h"

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
};

QTEST_GUILESS_MAIN(TestIdeApp)
#include "tst_ideapp.moc"
