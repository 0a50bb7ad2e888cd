#include "ideapp.h"

#include "consoleplugin.h"
#include "eventloopplugin.h"
#include "lessoncatalog.h"
#include "lessonlocator.h"
#include "mainwindow.h"
#include "inspectorpane.h"
#include "paneregistry.h"
#include "threadpoolplugin.h"
#include "profilerplugin.h"

#include <QApplication>
#include <QDebug>

namespace Loopscope::App {

bool displayAvailable()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (platform.startsWith("offscreen") || platform.startsWith("minimal") || platform.startsWith("vnc"))
        return false;
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// The course for File ▸ Lessons. A malformed lesson folder is reported and left out; it never
// keeps the IDE from starting.
static QList<Ui::LessonEntry> courseEntries(const QString &lessonsDir)
{
    const LessonCatalog catalog = LessonCatalog::load(lessonsDir);
    for (const LessonProblem &problem : catalog.problems())
        qWarning().noquote() << "loopscope: lesson" << problem.id << "skipped:" << problem.message;
    QList<Ui::LessonEntry> entries;
    for (const Lesson &lesson : catalog.lessons())
        entries.append({lesson.id, lesson.title, lesson.scriptPath()});
    return entries;
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
    EventLoop::registerEventLoopPlugin(panes);
    ThreadPool::registerThreadPoolPlugin(panes);
    Profiler::registerProfilerPlugin(panes);
    Inspector::registerInspectorPlugin(panes);

    Ui::MainWindowOptions options;
    options.lessonsDirectory = QString::fromStdString(lessonsDirectory());
    options.lessons = courseEntries(options.lessonsDirectory);
    options.defaultLesson = QString::fromStdString(defaultLessonScript());
    options.fileToOpen = QString::fromStdString(fileToOpen);
    Ui::MainWindow window(panes, options);
    window.show();
    return app.exec();
}

} // namespace Loopscope::App
