#pragma once
// LessonCourse — the course as the IDE sees it while it runs: the lessons of every lessons
// folder (the shipped course first, then the ones the app adds, e.g. a teacher's), what went
// wrong loading them, which lesson the editor shows, and the user's progress. It follows the
// editor (openFile) and the runs (a lesson without a quiz is completed by running it to its
// expected end). Qt Core only; GUI thread.

#include "lessoncatalog.h"
#include "lessonprogress.h"

#include <QObject>

#include <functional>

class QSettings;

namespace Loopscope::Runtime { struct RunResult; }

namespace Loopscope::Lesson {

class LessonCourse final : public QObject {
    Q_OBJECT
public:
    // `directories` lists the lessons folders to load, in order; asked again by reload().
    LessonCourse(QSettings *settings, std::function<QStringList()> directories, QObject *parent = nullptr);

    const QList<App::Lesson> &lessons() const { return m_catalog.lessons(); }
    const QList<App::LessonProblem> &problems() const { return m_catalog.problems(); }
    QStringList directories() const { return m_directories; }
    const App::Lesson *lesson(const QString &id) const;
    // The lesson whose script (or quiz script) `path` is, or null.
    const App::Lesson *lessonForFile(const QString &path) const;
    const App::Lesson *currentLesson() const { return lesson(m_current); }

    LessonProgress &progress() { return m_progress; }
    const LessonProgress &progress() const { return m_progress; }

public Q_SLOTS:
    // Loads every folder again; emits courseLoaded() (problems() says what was skipped).
    void reload();
    // The editor opened `path`: emits currentLessonChanged() when that changes the lesson.
    void openFile(const QString &path);
    // A run of `scriptPath` ended: a lesson without a quiz that ended as expected is completed.
    void noteRunFinished(const QString &scriptPath, const Loopscope::Runtime::RunResult &result);
    void recordQuiz(const QString &lessonId, int right, int total);

Q_SIGNALS:
    void courseLoaded();
    void currentLessonChanged(const QString &lessonId);  // empty: the editor shows no lesson
    void progressChanged(const QString &lessonId);

private:
    QSettings *m_settings;
    std::function<QStringList()> m_directoriesProvider;
    QStringList m_directories;
    App::LessonCatalog m_catalog;
    LessonProgress m_progress;
    QString m_current;
};

} // namespace Loopscope::Lesson
