#pragma once
// LessonWidget — the Lesson pane's view: the lesson's title and progress, problems met while
// loading lessons folders, the explanation (LessonView) and, when the lesson has one, its quiz
// (QuizWidget). It shows whichever lesson the LessonCourse says the editor has open.
// GUI thread only.

#include <QWidget>

#include <functional>

class QLabel;
class QSplitter;

namespace Loopscope::Lesson {

class LessonCourse;
class LessonView;
class QuizRun;
class QuizWidget;

class LessonWidget final : public QWidget {
    Q_OBJECT
public:
    using HighlightLines = std::function<void(const QString &path, int firstLine, int lastLine)>;

    LessonWidget(LessonCourse *course, QuizRun *run, HighlightLines highlight, QWidget *parent = nullptr);

    LessonView *view() const { return m_view; }
    QuizWidget *quiz() const { return m_quiz; }
    QString headerText() const;
    QString problemsText() const;
    QString shownLessonId() const { return m_lessonId; }
    QSize sizeHint() const override;

private:
    void showLesson(const QString &lessonId);
    void updateHeader();
    void updateProblems();

    LessonCourse *m_course;
    HighlightLines m_highlight;
    QString m_lessonId;
    QLabel *m_header;
    QLabel *m_problems;
    QSplitter *m_splitter;
    LessonView *m_view;
    QuizWidget *m_quiz;
};

} // namespace Loopscope::Lesson
