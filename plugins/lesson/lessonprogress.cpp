#include "lessonprogress.h"

#include "constants.h"

#include <QSettings>

#include <algorithm>

namespace Loopscope::Lesson {

LessonProgress::LessonProgress(QSettings *settings)
    : m_settings(settings)
{
}

QString LessonProgress::key(const QString &lessonId, const char *name) const
{
    return QLatin1String(Constants::ProgressGroup) + QLatin1Char('/') + lessonId + QLatin1Char('/')
        + QLatin1String(name);
}

bool LessonProgress::isCompleted(const QString &lessonId) const
{
    return m_settings && m_settings->value(key(lessonId, "completed"), false).toBool();
}

void LessonProgress::markCompleted(const QString &lessonId)
{
    if (!m_settings || lessonId.isEmpty())
        return;
    m_settings->setValue(key(lessonId, "completed"), true);
    m_settings->sync();  // progress must survive a crash of the session that earned it
}

QStringList LessonProgress::completedLessons() const
{
    QStringList done;
    if (!m_settings)
        return done;
    m_settings->beginGroup(QLatin1String(Constants::ProgressGroup));
    const QStringList ids = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString &id : ids)
        if (isCompleted(id))
            done << id;
    return done;
}

QuizScore LessonProgress::quizScore(const QString &lessonId) const
{
    QuizScore score;
    if (!m_settings)
        return score;
    score.attempts = m_settings->value(key(lessonId, "quizAttempts"), 0).toInt();
    score.lastRight = m_settings->value(key(lessonId, "quizLastRight"), 0).toInt();
    score.bestRight = m_settings->value(key(lessonId, "quizBestRight"), 0).toInt();
    score.total = m_settings->value(key(lessonId, "quizTotal"), 0).toInt();
    score.passed = m_settings->value(key(lessonId, "quizPassed"), false).toBool();
    return score;
}

void LessonProgress::recordQuiz(const QString &lessonId, int right, int total)
{
    if (!m_settings || lessonId.isEmpty())
        return;
    const QuizScore before = quizScore(lessonId);
    m_settings->setValue(key(lessonId, "quizAttempts"), before.attempts + 1);
    m_settings->setValue(key(lessonId, "quizLastRight"), right);
    m_settings->setValue(key(lessonId, "quizBestRight"), std::max(before.bestRight, right));
    m_settings->setValue(key(lessonId, "quizTotal"), total);
    if (right == total && total > 0) {
        m_settings->setValue(key(lessonId, "quizPassed"), true);
        m_settings->setValue(key(lessonId, "completed"), true);
    }
    m_settings->sync();
}

void LessonProgress::forget(const QString &lessonId)
{
    if (m_settings)
        m_settings->remove(QLatin1String(Constants::ProgressGroup) + QLatin1Char('/') + lessonId);
}

} // namespace Loopscope::Lesson
