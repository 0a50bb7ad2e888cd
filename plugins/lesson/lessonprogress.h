#pragma once
// LessonProgress — what one user has done in the course, kept in their QSettings under
// "Lessons/progress/<lesson id>/": completed (a lesson with a quiz is completed when its quiz
// was answered right; one without, when its script ran to its expected end), and the quiz's
// last and best results. GUI thread (it uses the shell's QSettings).

#include <QString>
#include <QStringList>

class QSettings;

namespace Loopscope::Lesson {

struct QuizScore {
    int attempts = 0;
    int lastRight = 0;
    int bestRight = 0;
    int total = 0;
    bool passed = false;  // answered right at least once
};

class LessonProgress final {
public:
    explicit LessonProgress(QSettings *settings);

    bool isCompleted(const QString &lessonId) const;
    void markCompleted(const QString &lessonId);
    QStringList completedLessons() const;

    QuizScore quizScore(const QString &lessonId) const;
    // One checked answer: `right` of `total` lines in place. All right completes the lesson.
    void recordQuiz(const QString &lessonId, int right, int total);

    void forget(const QString &lessonId);

private:
    QString key(const QString &lessonId, const char *name) const;

    QSettings *m_settings;
};

} // namespace Loopscope::Lesson
