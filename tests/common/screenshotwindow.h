#pragma once
// The IDE window as the screenshot programs shoot it, and the check that a shot is not blank.

#include "mainwindow.h"

#include <QImage>
#include <QSet>
#include <QSize>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Loopscope::Test {

// A light-theme window on the script of the shipped lesson `lesson` (a folder of `lessonsDir`),
// its settings and recovery file in `state` so no shot depends on the machine's, shown at `size`.
// Null if the platform never exposes it.
inline std::unique_ptr<Ui::MainWindow> makeScreenshotWindow(const Ui::PaneRegistry &panes, const QTemporaryDir &state,
                                                            const QString &lessonsDir, const QString &lesson, QSize size)
{
    Ui::MainWindowOptions options;
    options.settingsFile = state.filePath(QStringLiteral("settings.ini"));
    options.recoveryFile = state.filePath(QStringLiteral("recovery.json"));
    options.lessonsDirectory = lessonsDir;
    options.defaultLesson = lessonsDir + QLatin1Char('/') + lesson + QStringLiteral("/script.js");
    auto window = std::make_unique<Ui::MainWindow>(panes, options);
    window->resize(size);
    window->setThemeMode(Ui::ThemeMode::Light);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    return window;
}

// Distinct colours in an image, sampling every `step`-th pixel, antialiasing shades folded
// together: a blank or single-colour shot has very few.
inline int distinctColours(const QImage &image, int step = 1)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += step)
        for (int x = 0; x < image.width(); x += step)
            colours.insert(image.pixel(x, y) & 0xf0f0f0);
    return int(colours.size());
}

} // namespace Loopscope::Test
