// Light, dark, and back to whatever the platform painted with.
#include "theme.h"

#include <QApplication>
#include <QTest>

using namespace Loopscope::Ui;

class TestTheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void names()
    {
        for (ThemeMode m : {ThemeMode::System, ThemeMode::Light, ThemeMode::Dark})
            QCOMPARE(themeModeFromName(themeModeName(m)), m);
        QCOMPARE(themeModeFromName(QStringLiteral("purple")), ThemeMode::System);
    }
    void switchesAndRestoresThePlatformPalette()
    {
        const QColor platformWindow = QApplication::palette().color(QPalette::Window);
        applyTheme(ThemeMode::Dark);
        QVERIFY(isDark(QApplication::palette()));
        applyTheme(ThemeMode::Light);
        QVERIFY(!isDark(QApplication::palette()));
        applyTheme(ThemeMode::Dark);
        applyTheme(ThemeMode::System);  // offscreen reports no dark scheme: the platform's palette
        QCOMPARE(QApplication::palette().color(QPalette::Window), platformWindow);
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
