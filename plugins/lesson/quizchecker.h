#pragma once
// QuizChecker — a predict-the-order quiz without widgets: the deterministic shuffle the student
// starts from, and the check of an answer against what a real run printed, with an explanation
// for each misplaced line drawn from where the trace says each line came from.
// Plain Qt Core; called on the GUI thread, but holds no thread affinity.

#include "lessoncatalog.h"
#include "lineorigin.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Loopscope::Lesson {

struct QuizLineVerdict {
    QString text;
    bool right = false;
    int actualPosition = -1;  // 0-based position in the run's output
    bool unordered = false;   // one of a group whose order is up to timing
    QString explanation;      // why it is where it is; empty for a plainly right line
};

struct QuizResult {
    enum class Outcome { Checked, RunFailed, OutputDiffers };
    Outcome outcome = Outcome::Checked;
    QString message;                 // for RunFailed / OutputDiffers: what went wrong
    QList<QuizLineVerdict> lines;    // in the student's order
    QStringList actual;              // what the run printed, in its order

    int rightCount() const;
    bool passed() const { return outcome == Outcome::Checked && rightCount() == lines.size(); }
};

class QuizChecker final {
public:
    explicit QuizChecker(App::LessonQuiz quiz);

    const App::LessonQuiz &quiz() const { return m_quiz; }

    // The quiz's lines shuffled by a generator seeded from `seed` (the lesson's id), so every
    // student and every test sees the same start; never an order that would already be right.
    QStringList shuffled(const QString &seed) const;

    // True if `answer` puts every line where `reference` has it, lines of an unordered group
    // being interchangeable among the group's places.
    bool isRightOrder(const QStringList &answer, const QStringList &reference) const;

    // Marks each line of `answer` against the run's stdout lines `actual` and explains the wrong
    // ones (and the timing-dependent ones) from `origins` (one per line of `actual`).
    QuizResult check(const QStringList &answer, const QStringList &actual, const QList<LineOrigin> &origins) const;

    // For the text of explanations: "a setImmediate callback (script.js:7) in the check phase of
    // loop iteration 1"; and why `first` ran before `second`.
    static QString describe(const LineOrigin &origin);
    static QString whyBefore(const QString &firstText, const LineOrigin &first, const QString &secondText,
                             const LineOrigin &second);

private:
    const QStringList *groupOf(const QString &line) const;
    QList<bool> marks(const QStringList &answer, const QStringList &reference) const;

    App::LessonQuiz m_quiz;
};

} // namespace Loopscope::Lesson
