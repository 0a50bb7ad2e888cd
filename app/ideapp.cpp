#include "ideapp.h"

#include "classroompolicy.h"
#include "consoleplugin.h"
#include "eventloopplugin.h"
#include "lessoncatalog.h"
#include "lessoncourse.h"
#include "lessonlocator.h"
#include "lessonplugin.h"
#include "lessonsources.h"
#include "mainwindow.h"
#include "inspectorpane.h"
#include "paneregistry.h"
#include "threadpoolplugin.h"
#include "profilerplugin.h"
#include "runcontroller.h"

#include <QApplication>
#include <QDebug>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>

namespace Loopscope::App {

// The course for File ▸ Lessons, with the user's progress.
static QList<Ui::LessonEntry> courseEntries(const Loopscope::Lesson::LessonCourse &course)
{
    QList<Ui::LessonEntry> entries;
    for (const App::Lesson &lesson : course.lessons())
        entries.append({lesson.id, lesson.title, lesson.scriptPath(), course.progress().isCompleted(lesson.id)});
    return entries;
}

// A malformed lesson folder is reported and left out; it never keeps the IDE from starting.
static QString reportProblems(const Loopscope::Lesson::LessonCourse &course)
{
    for (const LessonProblem &problem : course.problems())
        qWarning().noquote() << "loopscope: lesson" << problem.id << "in" << problem.lessonsDir
                             << "skipped:" << problem.message;
    if (course.problems().isEmpty())
        return {};
    const qsizetype n = course.problems().size();
    const QString first = course.problems().first().id + QStringLiteral(": ") + course.problems().first().message;
    return n == 1 ? QApplication::translate("Loopscope::App", "1 lesson folder skipped: %1").arg(first)
                  : QApplication::translate("Loopscope::App", "%1 lesson folders skipped (the Lesson pane lists them); "
                                                              "the first: %2").arg(n).arg(first);
}

void connectCourse(Ui::MainWindow &window, Loopscope::Lesson::LessonCourse &course, QSettings &settings)
{
    QObject::connect(&window, &Ui::MainWindow::documentOpened, &course, &Loopscope::Lesson::LessonCourse::openFile);
    course.openFile(window.filePath());  // opened while the window was being made
    QObject::connect(&course, &Loopscope::Lesson::LessonCourse::progressChanged, &window,
                     [&window, &course] { window.setLessons(courseEntries(course)); });
    QObject::connect(&window, &Ui::MainWindow::lessonsFolderChosen, &course,
                     [&window, &course, &settings](const QString &folder) {
                         settings.setValue(QLatin1String(TeacherDirectoryKey), folder);
                         settings.sync();
                         course.reload();
                         window.setLessons(courseEntries(course));
                         const QString problems = reportProblems(course);
                         window.statusBar()->showMessage(
                             problems.isEmpty() ? QApplication::translate("Loopscope::App", "Lessons loaded from %1").arg(folder)
                                                : problems,
                             15000);
                     });
}

int runIde(int &argc, char **argv, const std::string &fileToOpen)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Loopscope"));
    QApplication::setApplicationName(QStringLiteral("Loopscope"));
    QApplication::setApplicationVersion(QStringLiteral(LOOPSCOPE_VERSION));
    QApplication::setStyle(QStringLiteral("Fusion"));

    const QString shippedLessons = QString::fromStdString(lessonsDirectory());
    QSettings settings;  // the user's; the window's QSettings shares it (same process, same file)
    const ClassroomPolicy policy = ClassroomPolicy::load();
    Loopscope::Lesson::LessonCourse course(&settings, [&settings, shippedLessons, classroomDir = policy.lessonsDir] {
        return lessonsDirectories(shippedLessons, settings, classroomDir);
    });

    Ui::PaneRegistry panes;
    Console::registerConsolePlugin(panes);
    EventLoop::registerEventLoopPlugin(panes);
    ThreadPool::registerThreadPoolPlugin(panes);
    Profiler::registerProfilerPlugin(panes);
    Inspector::registerInspectorPlugin(panes);
    Loopscope::Lesson::registerLessonPlugin(panes, &course);

    Ui::MainWindowOptions options;
    options.lessonsDirectory = shippedLessons;
    options.lessons = courseEntries(course);
    if (policy.safeMode)
        options.policyNotice = policy.safeModeDescription();
    options.defaultLesson = QString::fromStdString(defaultLessonScript());
    options.fileToOpen = QString::fromStdString(fileToOpen);
    Ui::MainWindow window(panes, options);
    // A run in a child process (a lesson's own pool size) starts the command line beside us,
    // which loads no GUI libraries: the child's start-up is then what `loopscope run` costs.
    if (const QString cli = QString::fromStdString(siblingExecutable("loopscope")); QFileInfo(cli).isExecutable())
        window.runController()->setChildExecutable(cli);
    connectCourse(window, course, settings);
    if (const QString problems = reportProblems(course); !problems.isEmpty())
        window.statusBar()->showMessage(problems, 15000);
    window.show();
    return app.exec();
}

} // namespace Loopscope::App
