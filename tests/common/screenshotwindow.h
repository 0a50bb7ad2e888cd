#pragma once
// The IDE window as the screenshot programs shoot it, and the check that a shot is not blank.

#include "mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QSet>
#include <QSize>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

namespace Loopscope::Test {

// What every screenshot program starts with: the application in the Fusion style (the same look on
// every machine), the folder the shots go to (argv[1], else the current one), and a scratch folder
// for the window's settings and recovery file.
struct ScreenshotProgram {
    ScreenshotProgram(int &argc, char **argv)
        : app(argc, argv)
        , out(argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath())
    {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QDir().mkpath(out);
    }
    QApplication app;
    const QString out;
    QTemporaryDir state;
};

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

// Lets pending paints land, then grabs `widget` and saves it to `path`. A null image, and the
// reason on stderr, if it cannot be saved.
inline QImage saveShot(QWidget &widget, const QString &path)
{
    QTest::qWait(300);
    QApplication::processEvents();
    QImage image = widget.grab().toImage();
    if (!image.save(path)) {
        std::fprintf(stderr, "cannot save %s\n", qPrintable(path));
        return QImage();
    }
    return image;
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
