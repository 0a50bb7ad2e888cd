#pragma once
// QuizRun — checks one answer by running the quiz's script for real: a traced run through the
// shell's RunController, its stdout collected, then each line attributed to the callback that
// printed it (outputattribution.h) and the answer marked and explained (quizchecker.h).
// Qt Core only; GUI thread. Never blocks: checked() arrives when the run has ended.

#include "quizchecker.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

namespace Loopscope::Runtime { class RunController; struct OutputChunk; struct RunResult; }

namespace Loopscope::Lesson {

class QuizRun final : public QObject {
    Q_OBJECT
public:
    QuizRun(Runtime::RunController *runs, QObject *parent = nullptr);

    bool isChecking() const { return m_active; }

    // Starts the run that checks `answer`; false (and failed() says why) if another run is under way.
    bool check(const App::LessonQuiz &quiz, const QStringList &answer);

Q_SIGNALS:
    void checked(const Loopscope::Lesson::QuizResult &result);

private:
    void onOutput(const QList<Runtime::OutputChunk> &chunks);
    void onFinished(const Runtime::RunResult &result);

    QPointer<Runtime::RunController> m_runs;
    bool m_active = false;
    bool m_wasTracing = false;
    App::LessonQuiz m_quiz;
    QStringList m_answer;
    QByteArray m_stdout;
};

} // namespace Loopscope::Lesson

Q_DECLARE_METATYPE(Loopscope::Lesson::QuizResult)
