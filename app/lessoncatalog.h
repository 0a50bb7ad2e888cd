#pragma once
// lessoncatalog — the course: loads every lesson folder (NN-name/ holding script.js or script.ts, lesson.md,
// lesson.json and expected.txt or expected-pattern.txt), checks each against the lesson contract,
// and reports a malformed folder with a clear message instead of failing the whole catalog.
// Plain Qt Core, no widgets: the CLI, the IDE's Lessons menu and the tests all use it.
// Called from any one thread at a time; a catalog is an immutable value once loaded.

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Loopscope::App {

// A predict-the-order quiz (lesson.json "quiz", see docs/lessons.md): the student orders `lines`,
// then the real run of `scriptPath` says which order is right.
struct LessonQuiz {
    QString scriptPath;            // absolute: script.js, or the file lesson.json's "script" names
    QStringList lines;             // the stdout lines to order, in one right order
    QList<QStringList> unordered;  // groups of lines whose order differs from run to run
};

struct Lesson {
    enum class Expect { Exact, Pattern };

    QString id;            // the folder name, "01-main-module"
    QString folder;        // absolute path of the folder
    QString title;         // lesson.json "title", also the script's first line "// Title"
    int order = 0;         // lesson.json "order", also the folder's NN prefix
    QStringList concepts;  // lesson.json "concepts"
    QString pane;          // lesson.json "pane", a pane id such as "Loopscope.EventLoop.Pane"
    Expect expect = Expect::Exact;
    int exitCode = 0;      // lesson.json "exitCode", 0 unless the lesson exits non-zero on purpose
    // lesson.json "threadPoolSize" (1-16): the libuv pool size the lesson runs with; 0: not set,
    // whatever the run would have. The IDE sets its Thread pool selector to it when the lesson
    // opens; `loopscope run` uses it for the lesson's script.js unless UV_THREADPOOL_SIZE is set.
    int threadPoolSize = 0;
    std::optional<LessonQuiz> quiz;  // lesson.json "quiz"
    QString lessonsDir;    // the lessons folder this lesson came from (shipped first, then teachers')

    // script.js, or script.ts for a lesson in TypeScript (node strips its types).
    QString scriptName = QStringLiteral("script.js");

    QString scriptPath() const { return folder + QLatin1Char('/') + scriptName; }
    QString markdownPath() const { return folder + QStringLiteral("/lesson.md"); }
    // expected.txt (the exact stdout) or expected-pattern.txt (one regular expression per line).
    QString expectedPath() const;
};

struct LessonProblem {
    QString id;       // the folder name
    QString message;  // what is wrong, for a person: "lesson.json: no \"title\""
    QString lessonsDir;  // the lessons folder holding it
};

class LessonCatalog final {
public:
    // Every sub-folder of `lessonsDir` that is a valid lesson, ordered by "order"; the others land
    // in problems(). A missing or unreadable `lessonsDir` is itself one problem.
    static LessonCatalog load(const QString &lessonsDir);
    // Several lessons folders, the shipped course first: each folder's lessons in their order,
    // after those of the folders before it. A lesson whose folder name an earlier folder already
    // has is reported and skipped (progress is kept by that name). Empty entries are ignored.
    static LessonCatalog load(const QStringList &lessonsDirs);
    // One folder; on failure returns nothing and says why in `error`.
    static std::optional<Lesson> loadLesson(const QString &folder, QString *error);
    // The lesson whose script.js (or script.ts) `scriptPath` is, if its folder is a valid lesson; else nothing.
    static std::optional<Lesson> lessonForScript(const QString &scriptPath);

    const QList<Lesson> &lessons() const { return m_lessons; }
    const QList<LessonProblem> &problems() const { return m_problems; }

    static const QStringList &knownPanes();

private:
    QList<Lesson> m_lessons;
    QList<LessonProblem> m_problems;
};

} // namespace Loopscope::App
