#include "quizrun.h"

#include "outputattribution.h"
#include "runcontroller.h"
#include "traceindex.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace Loopscope::Lesson {

QuizRun::QuizRun(Runtime::RunController *runs, QObject *parent)
    : QObject(parent)
    , m_runs(runs)
{
    qRegisterMetaType<QuizResult>();
    if (!m_runs)
        return;
    connect(m_runs, &Runtime::RunController::outputAvailable, this, &QuizRun::onOutput);
    connect(m_runs, &Runtime::RunController::runFinished, this, &QuizRun::onFinished);
}

bool QuizRun::check(const App::LessonQuiz &quiz, const QStringList &answer)
{
    auto fail = [this, &answer](const QString &message) {
        QuizResult result;
        result.outcome = QuizResult::Outcome::RunFailed;
        result.message = message;
        for (const QString &line : answer)
            result.lines << QuizLineVerdict{line, false, -1, false, {}};
        Q_EMIT checked(result);
        return false;
    };
    if (!m_runs)
        return fail(QCoreApplication::translate("Loopscope::Lesson::QuizRun", "Nothing can run scripts here."));
    if (m_active || m_runs->isRunning())
        return fail(QCoreApplication::translate("Loopscope::Lesson::QuizRun",
                                                "A script is still running: stop it, then press Check again."));
    m_quiz = quiz;
    m_answer = answer;
    m_stdout.clear();
    m_wasTracing = m_runs->isTracing();
    m_runs->setTracing(true);
    if (!m_runs->run(quiz.scriptPath)) {
        m_runs->setTracing(m_wasTracing);
        return fail(QCoreApplication::translate("Loopscope::Lesson::QuizRun", "The script could not be started."));
    }
    m_active = true;
    return true;
}

void QuizRun::onOutput(const QList<Runtime::OutputChunk> &chunks)
{
    if (!m_active)
        return;
    for (const Runtime::OutputChunk &chunk : chunks)
        if (chunk.stream == Runtime::OutputStream::Stdout)
            m_stdout += chunk.bytes;
}

void QuizRun::onFinished(const Runtime::RunResult &run)
{
    if (!m_active)
        return;
    m_active = false;
    m_runs->setTracing(m_wasTracing);

    QStringList actual = QString::fromUtf8(m_stdout).split(QLatin1Char('\n'));
    if (!actual.isEmpty() && actual.last().isEmpty())
        actual.removeLast();
    QList<LineOrigin> origins;
    if (const std::shared_ptr<Runtime::Trace> trace = m_runs->trace()) {
        Runtime::TraceIndex index(trace);
        index.update();
        origins = attributeOutputLines(index, m_stdout, QFileInfo(m_quiz.scriptPath).absolutePath());
    }
    QuizResult result = QuizChecker(m_quiz).check(m_answer, actual, origins);
    if (run.end != Runtime::RunEnd::Exited && result.outcome == QuizResult::Outcome::Checked) {
        result.outcome = QuizResult::Outcome::RunFailed;
        result.message = QCoreApplication::translate("Loopscope::Lesson::QuizRun", "The run did not end normally: %1")
                             .arg(QString::fromStdString(run.error));
    }
    Q_EMIT checked(result);
}

} // namespace Loopscope::Lesson
