#include "lessonpane.h"

#include "constants.h"
#include "lessoncourse.h"
#include "lessonwidget.h"
#include "quizrun.h"
#include "runcontroller.h"

#include <QCoreApplication>

namespace Loopscope::Lesson {

LessonPane::LessonPane(LessonCourse *course, const Ui::PaneContext &context)
    : m_course(course)
    , m_context(context)
    , m_quizRun(std::make_unique<QuizRun>(context.runController))
    , m_connections(std::make_unique<QObject>())
{
    QObject::connect(course, &LessonCourse::currentLessonChanged, m_connections.get(), [this](const QString &id) {
        const App::Lesson *lesson = m_course->lesson(id);
        // A lesson that needs a pool size (lesson.json "threadPoolSize") sets the Thread pool
        // selector, through the runs it feeds; the student may change it again before running.
        if (lesson && lesson->threadPoolSize > 0 && m_context.runController)
            m_context.runController->setThreadPoolSize(lesson->threadPoolSize);
        if (!lesson || !m_context.showPane)
            return;
        m_context.showPane(QLatin1String(Constants::PaneId));
        if (lesson->pane != QLatin1String(Constants::PaneId))
            m_context.showPane(lesson->pane);  // false for a pane nobody registered: fine
    });
    if (Runtime::RunController *runs = context.runController)
        QObject::connect(runs, &Runtime::RunController::runFinished, m_connections.get(),
                         [this, runs](const Runtime::RunResult &result) {
                             if (!m_quizRun->isChecking())
                                 m_course->noteRunFinished(runs->scriptPath(), result);
                         });
}

LessonPane::~LessonPane() = default;

QString LessonPane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString LessonPane::displayName() const
{
    return QCoreApplication::translate("Loopscope::Lesson", "Lesson");
}

QWidget *LessonPane::createWidget(QWidget *parent)
{
    return new LessonWidget(m_course, m_quizRun.get(), m_context.highlightSourceLines, parent);
}

} // namespace Loopscope::Lesson
