#pragma once
// LessonPane — the Lesson pane: follows the LessonCourse, and when the editor opens a lesson it
// shows itself and the pane the lesson asks for (lesson.json "pane"; unknown ids are ignored).
// It also tells the course when runs end, for the progress of lessons without a quiz.

#include "pane.h"

#include <memory>

namespace Loopscope::Lesson {

class LessonCourse;
class QuizRun;

class LessonPane final : public Ui::Pane {
public:
    LessonPane(LessonCourse *course, const Ui::PaneContext &context);
    ~LessonPane() override;
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::RightDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

private:
    LessonCourse *m_course;
    Ui::PaneContext m_context;
    std::unique_ptr<QuizRun> m_quizRun;
    std::unique_ptr<QObject> m_connections;  // parent of this pane's connections to the course
};

} // namespace Loopscope::Lesson
