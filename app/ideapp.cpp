#include "ideapp.h"

#include "classroompolicy.h"
#include "consoleplugin.h"
#include "lessoncatalog.h"
#include "lessonlocator.h"
#include "mainwindow.h"
#include "paneregistry.h"

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
static QList<Ui::LessonEntry> courseEntries(const QStringList &lessonsDirs)
{
    QList<Ui::LessonEntry> entries;
    for (const QString &lessonsDir : lessonsDirs) {
        const LessonCatalog catalog = LessonCatalog::load(lessonsDir);
        for (const LessonProblem &problem : catalog.problems())
            qWarning().noquote() << "loopscope: lesson" << problem.id << "skipped:" << problem.message;
        for (const Lesson &lesson : catalog.lessons())
            entries.append({lesson.id, lesson.title, lesson.scriptPath()});
    }
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

    Ui::MainWindowOptions options;
    options.lessonsDirectory = QString::fromStdString(lessonsDirectory());
    const ClassroomPolicy policy = ClassroomPolicy::load();
    options.lessons = courseEntries(policy.lessonsDirectories(options.lessonsDirectory));
    if (policy.safeMode)
        options.policyNotice = policy.safeModeDescription();
    options.defaultLesson = QString::fromStdString(defaultLessonScript());
    options.fileToOpen = QString::fromStdString(fileToOpen);
    Ui::MainWindow window(panes, options);
    window.show();
    return app.exec();
}

} // namespace Loopscope::App
