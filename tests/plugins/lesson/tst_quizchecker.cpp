// QuizChecker and QuizRun without widgets: the deterministic shuffle, marking and explanations on
// hand-made origins, and real traced runs of shipped lessons for right, wrong and
// nondeterministic answers.
#include "lessoncatalog.h"
#include "quizchecker.h"
#include "quizrun.h"
#include "runcontroller.h"

#include <QSignalSpy>
#include <QTest>

using namespace Loopscope;
using namespace Loopscope::Lesson;
using Runtime::CallbackQueue;
using Runtime::LoopPhase;

namespace {

App::Lesson shippedLesson(const QString &id)
{
    const App::LessonCatalog catalog = App::LessonCatalog::load(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR));
    for (const App::Lesson &lesson : catalog.lessons())
        if (lesson.id == id)
            return lesson;
    qFatal("no lesson %s", qPrintable(id));
}

LineOrigin origin(CallbackQueue queue, LoopPhase phase, std::uint32_t iteration, const char *type, int callback)
{
    LineOrigin o;
    o.known = true;
    o.queue = queue;
    o.phase = phase;
    o.iteration = iteration;
    o.resourceType = QString::fromLatin1(type);
    o.callback = callback;
    return o;
}

// Runs the quiz of `lesson` on `answer` for real and returns the result.
QuizResult runQuiz(const App::LessonQuiz &quiz, const QStringList &answer)
{
    Runtime::RunController runs;
    QuizRun run(&runs);
    QSignalSpy checked(&run, &QuizRun::checked);
    run.check(quiz, answer);
    if (checked.isEmpty() && !checked.wait(120000))
        return {};
    return checked.first().first().value<QuizResult>();
}

const QuizLineVerdict *verdictFor(const QuizResult &result, const QString &line)
{
    for (const QuizLineVerdict &v : result.lines)
        if (v.text == line)
            return &v;
    return nullptr;
}

} // namespace

class TestQuizChecker : public QObject {
    Q_OBJECT
private slots:
    void shuffleIsStableAndNeverRight()
    {
        const App::LessonCatalog catalog = App::LessonCatalog::load(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR));
        int quizzes = 0;
        for (const App::Lesson &lesson : catalog.lessons()) {
            if (!lesson.quiz)
                continue;
            ++quizzes;
            const QuizChecker checker(*lesson.quiz);
            const QStringList once = checker.shuffled(lesson.id);
            QCOMPARE(checker.shuffled(lesson.id), once);  // the same start for everyone
            QStringList sortedOnce = once, sortedLines = lesson.quiz->lines;
            sortedOnce.sort();
            sortedLines.sort();
            QCOMPARE(sortedOnce, sortedLines);
            QVERIFY2(!checker.isRightOrder(once, lesson.quiz->lines), qPrintable(lesson.id));
        }
        QVERIFY(quizzes >= 6);
        // Two lines in one unordered group of three: the shuffle must still avoid both right orders.
        App::LessonQuiz race{QString(), {"a", "b", "c"}, {{"b", "c"}}};
        for (const QString seed : {"x", "y", "z", "w", "08-timeout-vs-immediate"})
            QVERIFY(!QuizChecker(race).isRightOrder(QuizChecker(race).shuffled(seed), race.lines));
    }

    void marksAndExplainsFromOrigins()
    {
        const App::LessonQuiz quiz{QString(), {"sync", "tick", "promise", "immediate"}, {}};
        const QList<LineOrigin> origins{origin(CallbackQueue::Main, LoopPhase::None, 0, "", -1),
                                        origin(CallbackQueue::NextTick, LoopPhase::None, 0, "TickObject", 0),
                                        origin(CallbackQueue::Microtask, LoopPhase::None, 0, "PROMISE", 1),
                                        origin(CallbackQueue::Check, LoopPhase::Check, 1, "Immediate", 2)};
        const QuizChecker checker(quiz);
        const QuizResult right = checker.check(quiz.lines, quiz.lines, origins);
        QVERIFY(right.passed());
        QCOMPARE(right.rightCount(), 4);

        const QuizResult wrong = checker.check({"sync", "immediate", "tick", "promise"}, quiz.lines, origins);
        QCOMPARE(wrong.outcome, QuizResult::Outcome::Checked);
        QVERIFY(!wrong.passed());
        QCOMPARE(wrong.rightCount(), 1);
        const QuizLineVerdict &immediate = wrong.lines[1];
        QVERIFY(!immediate.right);
        QCOMPARE(immediate.actualPosition, 3);
        QVERIFY2(immediate.explanation.contains("check phase") && immediate.explanation.contains("loop iteration 1"),
                 qPrintable(immediate.explanation));
        const QuizLineVerdict &tick = wrong.lines[2];
        QVERIFY2(tick.explanation.contains("nextTick queue") && tick.explanation.contains("before the event loop starts"),
                 qPrintable(tick.explanation));

        const QuizResult differs = checker.check(quiz.lines, {"sync", "tick"}, origins);
        QCOMPARE(differs.outcome, QuizResult::Outcome::OutputDiffers);
    }

    void explainsMicrotasksBeforeTheCheckPhase()
    {
        const LineOrigin promise = origin(CallbackQueue::Microtask, LoopPhase::Poll, 1, "PROMISE", 3);
        const LineOrigin immediate = origin(CallbackQueue::Check, LoopPhase::Check, 1, "Immediate", 4);
        const QString why = QuizChecker::whyBefore("promise", promise, "immediate", immediate);
        QVERIFY2(why.contains("promise microtask queue") && why.contains("check phase"), qPrintable(why));
        const LineOrigin t1 = origin(CallbackQueue::Check, LoopPhase::Check, 1, "Immediate", 1);
        const LineOrigin t2 = origin(CallbackQueue::Timers, LoopPhase::Timers, 2, "Timeout", 2);
        QVERIFY(QuizChecker::whyBefore("immediate", t1, "timeout", t2).contains("not yet due"));
    }

    // Lesson 1 for real: the right order passes, a wrong one is marked line by line and each wrong
    // line is explained from the trace.
    void realRunRightAndWrong()
    {
        const App::Lesson lesson = shippedLesson("01-main-module");
        QVERIFY(lesson.quiz);
        const QuizResult right = runQuiz(*lesson.quiz, lesson.quiz->lines);
        QCOMPARE(right.outcome, QuizResult::Outcome::Checked);
        QVERIFY(right.passed());

        // The student believes immediates come before promises.
        const QStringList answer{"sync start", "sync end", "nextTick", "immediate", "promise", "queueMicrotask"};
        const QuizResult wrong = runQuiz(*lesson.quiz, answer);
        QCOMPARE(wrong.outcome, QuizResult::Outcome::Checked);
        QCOMPARE(wrong.actual, lesson.quiz->lines);
        QCOMPARE(wrong.rightCount(), 3);
        for (const QuizLineVerdict &v : wrong.lines)
            qInfo("%s %s: %s", v.right ? "right" : "WRONG", qPrintable(v.text), qPrintable(v.explanation));
        const QuizLineVerdict *immediate = verdictFor(wrong, "immediate");
        QVERIFY(immediate && !immediate->right);
        QVERIFY2(immediate->explanation.contains("setImmediate callback at script.js:7")
                     && immediate->explanation.contains("check phase"),
                 qPrintable(immediate->explanation));
        const QuizLineVerdict *promise = verdictFor(wrong, "promise");
        QVERIFY(promise && !promise->right);
        QVERIFY2(promise->explanation.contains("promise microtask queue"), qPrintable(promise->explanation));
        QVERIFY2(promise->explanation.contains("before the event loop starts"), qPrintable(promise->explanation));
    }

    // The race of lesson 8: whichever order this run takes, both orders of timeout and immediate
    // are accepted, each explained as timing-dependent; moving a fixed line is still wrong.
    void realRunNondeterministic()
    {
        const App::Lesson lesson = shippedLesson("08-timeout-vs-immediate");
        QVERIFY(lesson.quiz && !lesson.quiz->unordered.isEmpty());
        const QStringList timeoutFirst{"main module starts", "main module ends", "nextTick", "timeout", "immediate"};
        const QStringList immediateFirst{"main module starts", "main module ends", "nextTick", "immediate", "timeout"};
        for (const QStringList &answer : {timeoutFirst, immediateFirst}) {
            const QuizResult result = runQuiz(*lesson.quiz, answer);
            QCOMPARE(result.outcome, QuizResult::Outcome::Checked);
            QVERIFY2(result.passed(), qPrintable(result.actual.join(" | ")));
            const QuizLineVerdict *timeout = verdictFor(result, "timeout");
            QVERIFY(timeout && timeout->unordered);
            QVERIFY2(timeout->explanation.contains("Either order"), qPrintable(timeout->explanation));
            qInfo("run printed %s; %s", qPrintable(result.actual.join(" | ")), qPrintable(timeout->explanation));
        }
        const QuizResult wrong = runQuiz(*lesson.quiz, {"main module starts", "nextTick", "main module ends",
                                                         "timeout", "immediate"});
        QVERIFY(!wrong.passed());
        QCOMPARE(wrong.rightCount(), 3);
        QVERIFY(!verdictFor(wrong, "nextTick")->right);
    }

    void aRunUnderWayIsReportedNotQueued()
    {
        Runtime::RunController runs;
        QuizRun run(&runs);
        const App::Lesson lesson = shippedLesson("01-main-module");
        QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
        QVERIFY(runs.run(lesson.scriptPath()));
        QSignalSpy checked(&run, &QuizRun::checked);
        QVERIFY(!run.check(*lesson.quiz, lesson.quiz->lines));
        QCOMPARE(checked.size(), 1);
        QCOMPARE(checked.first().first().value<QuizResult>().outcome, QuizResult::Outcome::RunFailed);
        QVERIFY(finished.wait(60000));
    }
};

QTEST_GUILESS_MAIN(TestQuizChecker)
#include "tst_quizchecker.moc"
