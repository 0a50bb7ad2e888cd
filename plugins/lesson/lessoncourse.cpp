#include "lessoncourse.h"

#include "runtypes.h"

#include <QFileInfo>

namespace Loopscope::Lesson {

LessonCourse::LessonCourse(QSettings *settings, std::function<QStringList()> directories, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_directoriesProvider(std::move(directories))
    , m_progress(settings)
{
    reload();
}

void LessonCourse::reload()
{
    m_directories = m_directoriesProvider ? m_directoriesProvider() : QStringList();
    m_catalog = App::LessonCatalog::load(m_directories);
    Q_EMIT courseLoaded();
    if (!m_current.isEmpty() && !lesson(m_current)) {
        m_current.clear();
        Q_EMIT currentLessonChanged(m_current);
    }
}

const App::Lesson *LessonCourse::lesson(const QString &id) const
{
    if (id.isEmpty())
        return nullptr;
    for (const App::Lesson &l : m_catalog.lessons())
        if (l.id == id)
            return &l;
    return nullptr;
}

const App::Lesson *LessonCourse::lessonForFile(const QString &path) const
{
    const QString file = QFileInfo(path).canonicalFilePath();
    if (file.isEmpty())
        return nullptr;
    for (const App::Lesson &l : m_catalog.lessons()) {
        if (QFileInfo(l.scriptPath()).canonicalFilePath() == file)
            return &l;
        if (l.quiz && QFileInfo(l.quiz->scriptPath).canonicalFilePath() == file)
            return &l;
    }
    return nullptr;
}

void LessonCourse::openFile(const QString &path)
{
    const App::Lesson *l = lessonForFile(path);
    const QString id = l ? l->id : QString();
    if (id == m_current)
        return;
    m_current = id;
    Q_EMIT currentLessonChanged(m_current);
}

void LessonCourse::noteRunFinished(const QString &scriptPath, const Runtime::RunResult &result)
{
    const App::Lesson *l = lessonForFile(scriptPath);
    if (!l || l->quiz || QFileInfo(scriptPath).canonicalFilePath() != QFileInfo(l->scriptPath()).canonicalFilePath())
        return;
    if (result.end != Runtime::RunEnd::Exited || result.exitCode != l->exitCode || m_progress.isCompleted(l->id))
        return;
    m_progress.markCompleted(l->id);
    Q_EMIT progressChanged(l->id);
}

void LessonCourse::recordQuiz(const QString &lessonId, int right, int total)
{
    m_progress.recordQuiz(lessonId, right, total);
    Q_EMIT progressChanged(lessonId);
}

} // namespace Loopscope::Lesson
