#include "ideapp.h"

#include "consoleplugin.h"
#include "lessonlocator.h"
#include "mainwindow.h"
#include "paneregistry.h"

#include <QApplication>

namespace Loopscope::App {

bool displayAvailable()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (platform.startsWith("offscreen") || platform.startsWith("minimal") || platform.startsWith("vnc"))
        return false;
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

int runIde(int &argc, char **argv, const std::string &fileToOpen)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Loopscope"));
    QApplication::setApplicationName(QStringLiteral("Loopscope"));
    QApplication::setApplicationVersion(QStringLiteral(LOOPSCOPE_VERSION));
    QApplication::setStyle(QStringLiteral("Fusion"));

    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);

    Ui::MainWindowOptions options;
    options.lessonsDirectory = QString::fromStdString(lessonsDirectory());
    options.defaultLesson = QString::fromStdString(defaultLessonScript());
    options.fileToOpen = QString::fromStdString(fileToOpen);
    Ui::MainWindow window(panes, options);
    window.show();
    return app.exec();
}

} // namespace Loopscope::App
