// LessonCatalog: the shipped course is complete and valid; malformed folders are reported with a
// clear message and skipped, while the valid lessons beside them still load.
#include "lessoncatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Loopscope::App;

namespace {

// A one-line exact lesson "01-x" in `dir` whose lesson.json ends with `extraJson` ("key": value).
QString writeLesson(const QTemporaryDir &dir, const QByteArray &extraJson)
{
    const QString folder = dir.filePath("01-x");
    QDir().mkpath(folder);
    auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile f(folder + "/" + name);
        if (f.open(QIODevice::WriteOnly))
            f.write(bytes);
    };
    write("script.js", "// X\nconsole.log('a');\n");
    write("lesson.md", "# X\n");
    write("expected.txt", "a\n");
    write("lesson.json", R"({"title": "X", "order": 1, "concepts": ["x"], "pane": "Loopscope.Console.Pane",
                             "expect": "exact", )" + extraJson + "}");
    return folder;
}

} // namespace

class TestLessonCatalog : public QObject {
    Q_OBJECT
private slots:
    void malformedFoldersAreReportedAndSkipped()
    {
        const LessonCatalog catalog = LessonCatalog::load(QStringLiteral(LOOPSCOPE_TEST_DATA "/malformed"));
        QCOMPARE(catalog.lessons().size(), 1);
        QCOMPARE(catalog.lessons().first().id, QStringLiteral("01-good"));
        QCOMPARE(catalog.lessons().first().title, QStringLiteral("A good lesson"));

        QHash<QString, QString> problems;
        for (const LessonProblem &p : catalog.problems())
            problems.insert(p.id, p.message);
        for (auto it = problems.cbegin(); it != problems.cend(); ++it)
            qInfo("skipped %s: %s", qPrintable(it.key()), qPrintable(it.value()));
        QCOMPARE(problems.size(), 5);
        QCOMPARE(problems.value("02-missing-script"), QStringLiteral("script.js is missing"));
        QVERIFY2(problems.value("03-bad-json").startsWith("lesson.json is not valid JSON"),
                 qPrintable(problems.value("03-bad-json")));
        QCOMPARE(problems.value("04-missing-title"),
                 QStringLiteral("lesson.json: no \"title\" (a non-empty string)"));
        QCOMPARE(problems.value("05-pattern-file-missing"),
                 QStringLiteral("expected-pattern.txt is missing (lesson.json says \"expect\": \"pattern\")"));
        QVERIFY(problems.value("Not_A_Lesson").startsWith("not a lesson folder"));
    }

    void aMissingLessonsFolderIsOneProblem()
    {
        const LessonCatalog catalog = LessonCatalog::load(QStringLiteral(LOOPSCOPE_TEST_DATA "/no-such-folder"));
        QVERIFY(catalog.lessons().isEmpty());
        QCOMPARE(catalog.problems().size(), 1);
    }

    void theShippedCourseIsValidAndComplete()
    {
        const LessonCatalog catalog = LessonCatalog::load(QStringLiteral(LOOPSCOPE_LESSONS_SOURCE_DIR));
        for (const LessonProblem &p : catalog.problems())
            qWarning("%s: %s", qPrintable(p.id), qPrintable(p.message));
        QVERIFY(catalog.problems().isEmpty());
        QVERIFY2(catalog.lessons().size() >= 14, "issue 7 asks for at least 14 lessons");
        QCOMPARE(catalog.lessons().first().id, QStringLiteral("01-main-module"));
        for (qsizetype i = 0; i < catalog.lessons().size(); ++i)
            QCOMPARE(catalog.lessons()[i].order, int(i + 1));  // 1, 2, 3, ... with no gaps

        // The topics issue 7 names, each taught by at least one lesson.
        QSet<QString> concepts;
        for (const Lesson &lesson : catalog.lessons())
            for (const QString &c : lesson.concepts)
                concepts.insert(c);
        const QStringList required{
            "timers phase", "pending callbacks phase", "idle/prepare phase", "poll phase", "check phase",
            "close callbacks phase", "process.nextTick", "promise microtasks", "nondeterminism",
            "1 ms minimum", "async/await", "UV_THREADPOOL_SIZE", "fs.readFile", "network I/O",
            "event loop lag", "worker_threads", "EventEmitter", "unhandledRejection",
            "uncaughtException", "backpressure"};
        for (const QString &c : required)
            QVERIFY2(concepts.contains(c), qPrintable("no lesson teaches " + c));
    }

    // A teacher's folder loads after the shipped course; its malformed folders, and one named
    // like a shipped lesson, are reported with the folder they are in and skipped.
    void teacherFolderLoadsAfterTheShippedCourse()
    {
        const QString shipped = QStringLiteral(LOOPSCOPE_LESSONS_SOURCE_DIR);
        const QString teacher = QStringLiteral(LOOPSCOPE_TEST_DATA "/teacher");
        const LessonCatalog shippedOnly = LessonCatalog::load(shipped);
        const LessonCatalog catalog = LessonCatalog::load(QStringList{shipped, QString(), teacher, shipped});
        QCOMPARE(catalog.lessons().size(), shippedOnly.lessons().size() + 1);
        for (qsizetype i = 0; i < shippedOnly.lessons().size(); ++i)
            QCOMPARE(catalog.lessons()[i].id, shippedOnly.lessons()[i].id);
        const Lesson &mine = catalog.lessons().last();
        QCOMPARE(mine.id, QStringLiteral("01-my-first"));
        QCOMPARE(mine.lessonsDir, QDir(teacher).absolutePath());
        QVERIFY(mine.quiz);
        QCOMPARE(mine.quiz->lines, QStringList({"one", "two", "three"}));
        QCOMPARE(catalog.lessons().first().lessonsDir, QDir(shipped).absolutePath());

        QHash<QString, QString> problems;
        for (const LessonProblem &p : catalog.problems()) {
            QCOMPARE(p.lessonsDir, QDir(teacher).absolutePath());
            problems.insert(p.id, p.message);
        }
        QCOMPARE(problems.size(), 3);
        QCOMPARE(problems.value("02-broken-quiz"),
                 QStringLiteral("lesson.json: a quiz whose every line is \"unordered\" has no right order"));
        QCOMPARE(problems.value("03-no-explanation"), QStringLiteral("lesson.md is missing or empty"));
        QVERIFY2(problems.value("04-emitter-sync").startsWith("a lesson named 04-emitter-sync is already loaded from"),
                 qPrintable(problems.value("04-emitter-sync")));
    }

    // Quizzes: at least six shipped lessons carry one; each orders lines the lesson really prints,
    // and the timing-dependent one says which lines may swap.
    void shippedQuizzesAreWellFormed()
    {
        const LessonCatalog catalog = LessonCatalog::load(QStringLiteral(LOOPSCOPE_LESSONS_SOURCE_DIR));
        int quizzes = 0;
        bool nondeterministic = false;
        for (const Lesson &lesson : catalog.lessons()) {
            if (!lesson.quiz)
                continue;
            ++quizzes;
            QVERIFY(QFileInfo(lesson.quiz->scriptPath).isFile());
            QVERIFY(lesson.quiz->lines.size() >= 3);
            nondeterministic = nondeterministic || !lesson.quiz->unordered.isEmpty();
        }
        QVERIFY2(quizzes >= 6, qPrintable(QString::number(quizzes)));
        QVERIFY(nondeterministic);
    }

    void malformedQuizzesAreReported_data()
    {
        QTest::addColumn<QString>("quiz");
        QTest::addColumn<QString>("message");
        QTest::newRow("kind") << R"({"kind": "match"})" << R"(lesson.json: quiz "kind" must be "order")";
        QTest::newRow("script") << R"({"kind": "order", "script": "../x.js", "lines": ["a", "b"]})"
                                << R"(lesson.json: quiz "script" must name a file in the lesson folder)";
        QTest::newRow("one line") << R"({"kind": "order", "lines": ["a"]})"
                                  << "lesson.json: a quiz orders 2 to 20 lines, not 1";
        QTest::newRow("same lines") << R"({"kind": "order", "lines": ["a", "a"]})"
                                    << "lesson.json: a quiz needs at least two different lines";
        QTest::newRow("group") << R"({"kind": "order", "lines": ["a", "b", "c"], "unordered": [["a", "x"]]})"
                               << R"(lesson.json: each quiz "unordered" group must list 2 or more of its "lines")";
    }

    void malformedQuizzesAreReported()
    {
        QFETCH(QString, quiz);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString folder = writeLesson(dir, R"("quiz": )" + quiz.toUtf8());
        QString error;
        QVERIFY(!LessonCatalog::loadLesson(folder, &error));
        QCOMPARE(error, message);
    }

    // "threadPoolSize": the pool a lesson needs (1 to 16, what the Thread pool selector offers).
    // The shipped thread-pool lessons ask for theirs; no shipped lesson forks (safe mode forbids it).
    void threadPoolSizes_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("size");  // 0: rejected
        QTest::newRow("1") << "1" << 1;
        QTest::newRow("16") << "16" << 16;
        QTest::newRow("0") << "0" << 0;
        QTest::newRow("17") << "17" << 0;
        QTest::newRow("fraction") << "2.5" << 0;
        QTest::newRow("string") << R"("4")" << 0;
    }

    void threadPoolSizes()
    {
        QFETCH(QString, value);
        QFETCH(int, size);
        QTemporaryDir dir;
        const QString folder = writeLesson(dir, R"("threadPoolSize": )" + value.toUtf8());
        QString error;
        const std::optional<Lesson> lesson = LessonCatalog::loadLesson(folder, &error);
        if (size == 0) {
            QVERIFY(!lesson);
            QCOMPARE(error, QStringLiteral("lesson.json: \"threadPoolSize\" must be a whole number from 1 to 16"));
            QVERIFY(!LessonCatalog::lessonForScript(folder + "/script.js"));
            return;
        }
        QVERIFY2(lesson, qPrintable(error));
        QCOMPARE(lesson->threadPoolSize, size);
        // `loopscope run` finds the lesson from its script, and only from its script.js.
        const std::optional<Lesson> found = LessonCatalog::lessonForScript(folder + "/script.js");
        QVERIFY(found);
        QCOMPARE(found->threadPoolSize, size);
        QVERIFY(!LessonCatalog::lessonForScript(folder + "/lesson.md"));
    }

    void shippedPoolLessonsAskForTheirPoolAndNoneForks()
    {
        const LessonCatalog catalog = LessonCatalog::load(QStringLiteral(LOOPSCOPE_LESSONS_SOURCE_DIR));
        QHash<QString, int> sizes;
        for (const Lesson &lesson : catalog.lessons()) {
            sizes.insert(lesson.id, lesson.threadPoolSize);
            for (const QString &name : QDir(lesson.folder).entryList({"*.js"}, QDir::Files)) {
                QFile script(lesson.folder + "/" + name);
                QVERIFY(script.open(QIODevice::ReadOnly));
                QVERIFY2(!script.readAll().contains("child_process"), qPrintable(lesson.id + "/" + name));
            }
        }
        QCOMPARE(sizes.value("15-thread-pool"), 4);
        QCOMPARE(sizes.value("16-readfile-steps"), 1);
        QCOMPARE(sizes.value("17-network-no-pool"), 1);
        QCOMPARE(sizes.value("01-main-module"), 0);
    }

    // lesson.md starts with "# Title" and its `line N` references (clickable in the Lesson pane)
    // point at lines that exist in script.js, so a renumbered script cannot leave them dangling.
    void markdownMatchesItsScript()
    {
        const LessonCatalog catalog = LessonCatalog::load(QStringLiteral(LOOPSCOPE_LESSONS_SOURCE_DIR));
        QVERIFY(!catalog.lessons().isEmpty());
        static const QRegularExpression lineRef(QStringLiteral("`line ([0-9]+)`"));
        for (const Lesson &lesson : catalog.lessons()) {
            QFile md(lesson.markdownPath());
            QFile script(lesson.scriptPath());
            QVERIFY(md.open(QIODevice::ReadOnly) && script.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(md.readAll());
            const qsizetype scriptLines = script.readAll().count('\n');
            QVERIFY2(text.startsWith("# " + lesson.title + "\n"),
                     qPrintable(lesson.id + ": lesson.md must start with \"# " + lesson.title + "\""));
            int references = 0;
            for (auto it = lineRef.globalMatch(text); it.hasNext(); ++references) {
                const int line = it.next().captured(1).toInt();
                QVERIFY2(line >= 1 && line <= scriptLines,
                         qPrintable(QStringLiteral("%1: `line %2` but script.js has %3 lines")
                                        .arg(lesson.id)
                                        .arg(line)
                                        .arg(scriptLines)));
            }
            QVERIFY2(references > 0, qPrintable(lesson.id + ": lesson.md refers to no script line"));
        }
    }
};

QTEST_GUILESS_MAIN(TestLessonCatalog)
#include "tst_lessoncatalog.moc"
