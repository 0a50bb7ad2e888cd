#include "quizchecker.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>

namespace Loopscope::Lesson {

using Runtime::CallbackQueue;
using Runtime::LoopPhase;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Loopscope::Lesson::QuizChecker", text);
}

QString quoted(const QString &line)
{
    return QStringLiteral("“%1”").arg(line.trimmed());
}

QString ordinal(int n)
{
    const int mod100 = n % 100;
    const char *suffix = (mod100 >= 11 && mod100 <= 13) ? "th"
                         : n % 10 == 1                  ? "st"
                         : n % 10 == 2                  ? "nd"
                         : n % 10 == 3                  ? "rd"
                                                        : "th";
    return QString::number(n) + QLatin1String(suffix);
}

QString sentence(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

QString phaseName(LoopPhase phase)
{
    return QString::fromLatin1(Runtime::loopPhaseName(phase));
}

bool isJobQueue(CallbackQueue queue)
{
    return queue == CallbackQueue::NextTick || queue == CallbackQueue::Microtask;
}

QString jobQueueName(CallbackQueue queue)
{
    return queue == CallbackQueue::NextTick ? tr("nextTick queue") : tr("promise microtask queue");
}

// Main-module work (and the jobs right after it) sorts before iteration 1's timers phase.
std::pair<std::uint32_t, int> context(const LineOrigin &o)
{
    if (o.queue == CallbackQueue::Main || o.iteration == 0)
        return {0, 0};
    return {o.iteration, int(o.phase)};
}

// What kind of callback wrote the line, in the words a script author uses.
QString callbackKind(const LineOrigin &o)
{
    const QString &type = o.resourceType;
    if (o.queue == CallbackQueue::NextTick || type == QLatin1String("TickObject"))
        return tr("a process.nextTick callback");
    if (type == QLatin1String("PROMISE"))
        return tr("a promise reaction (.then, or the code after an await)");
    if (type == QLatin1String("Microtask"))
        return tr("a queueMicrotask callback");
    if (type == QLatin1String("Timeout"))
        return o.timerDelayMs >= 0 ? tr("a setTimeout callback (%1 ms)").arg(o.timerDelayMs)
                                   : tr("a setTimeout callback");
    if (type == QLatin1String("Immediate"))
        return tr("a setImmediate callback");
    if (type.startsWith(QLatin1String("FSREQ")))
        return tr("an fs callback");
    if (type.startsWith(QLatin1String("TCP")) || type.startsWith(QLatin1String("PIPE")))
        return tr("a socket callback");
    if (o.queue == CallbackQueue::Close)
        return tr("a close callback");
    if (o.queue == CallbackQueue::Microtask)
        return tr("a microtask");
    if (!type.isEmpty())
        return tr("a %1 callback").arg(type);
    return tr("a callback");
}

} // namespace

int QuizResult::rightCount() const
{
    return int(std::count_if(lines.cbegin(), lines.cend(), [](const QuizLineVerdict &v) { return v.right; }));
}

QuizChecker::QuizChecker(App::LessonQuiz quiz)
    : m_quiz(std::move(quiz))
{
}

const QStringList *QuizChecker::groupOf(const QString &line) const
{
    for (const QStringList &group : m_quiz.unordered)
        if (group.contains(line))
            return &group;
    return nullptr;
}

QList<bool> QuizChecker::marks(const QStringList &answer, const QStringList &reference) const
{
    QList<bool> right;
    for (qsizetype i = 0; i < answer.size(); ++i) {
        const QString expected = i < reference.size() ? reference[i] : QString();
        const QStringList *group = groupOf(expected);
        right << (answer[i] == expected || (group && group->contains(answer[i])));
    }
    return right;
}

bool QuizChecker::isRightOrder(const QStringList &answer, const QStringList &reference) const
{
    if (answer.size() != reference.size())
        return false;
    const QList<bool> right = marks(answer, reference);
    return std::all_of(right.cbegin(), right.cend(), [](bool r) { return r; });
}

QStringList QuizChecker::shuffled(const QString &seed) const
{
    // FNV-1a of the seed, then xorshift64: the same on every platform and Qt version.
    std::uint64_t state = 14695981039346656037ull;
    for (const QChar c : seed) {
        state ^= c.unicode();
        state *= 1099511628211ull;
    }
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    QStringList lines = m_quiz.lines;
    for (qsizetype i = lines.size() - 1; i > 0; --i)
        lines.swapItemsAt(i, qsizetype(next() % std::uint64_t(i + 1)));
    // An answer that is already right teaches nothing: rotate until it is not.
    for (qsizetype turns = 0; turns < lines.size() && isRightOrder(lines, m_quiz.lines); ++turns)
        lines.append(lines.takeFirst());
    return lines;
}

QString QuizChecker::describe(const LineOrigin &o)
{
    if (!o.known)
        return tr("a write the trace did not record");
    if (o.queue == CallbackQueue::Main)
        return tr("the main module's own synchronous code");
    QString text = callbackKind(o);
    if (!o.location.isEmpty())
        text += tr(" at %1").arg(o.location);
    if (isJobQueue(o.queue)) {
        text += tr(", taken from the %1").arg(jobQueueName(o.queue));
        if (o.iteration == 0)
            text += tr(" right after the main module, before the event loop started");
        else
            text += tr(" after a callback of the %1 phase in loop iteration %2").arg(phaseName(o.phase)).arg(o.iteration);
    } else {
        text += tr(", run in the %1 phase of loop iteration %2").arg(phaseName(o.phase)).arg(o.iteration);
    }
    return text;
}

QString QuizChecker::whyBefore(const QString &firstText, const LineOrigin &a, const QString &secondText,
                               const LineOrigin &b)
{
    const QString first = quoted(firstText), second = quoted(secondText);
    if (!a.known || !b.known)
        return tr("%1 was printed before %2 (the trace does not say why).").arg(first, second);
    if (a.callback == b.callback && a.queue == b.queue)
        return tr("the same code printed both, %1 first.").arg(first);
    if (a.queue == CallbackQueue::Main)
        return tr("the main module runs to its end before any callback it scheduled, so %1 (main module) "
                  "comes before %2.").arg(first, second);
    const auto ca = context(a), cb = context(b);
    if (ca.first < cb.first) {
        if (ca.first == 0)
            return tr("%1 came from the %2, which drains as soon as the main module returns, before the event "
                      "loop starts; %3 waited for the %4 phase of loop iteration %5.")
                .arg(first, jobQueueName(a.queue), second, phaseName(b.phase))
                .arg(b.iteration);
        QString why = tr("%1 ran in loop iteration %2, %3 only in iteration %4")
                          .arg(first)
                          .arg(a.iteration)
                          .arg(second)
                          .arg(b.iteration);
        if (b.queue == CallbackQueue::Timers)
            why += tr(": its timer was not yet due when iteration %1 ran its timers phase").arg(a.iteration);
        else if (b.queue == CallbackQueue::Check && a.phase == LoopPhase::Check)
            why += tr(": an immediate queued during the check phase waits for the next iteration's check phase");
        return why + QLatin1Char('.');
    }
    if (ca == cb) {
        if (a.queue == CallbackQueue::NextTick && b.queue == CallbackQueue::Microtask)
            return tr("%1 came from the nextTick queue, and Node empties the whole nextTick queue before the "
                      "promise microtask queue where %2 waited.").arg(first, second);
        if (isJobQueue(a.queue) && !isJobQueue(b.queue))
            return tr("%1 came from the %2, which drains as soon as the callback that queued it returns, before "
                      "the next callback of the %3 phase (%4) runs.")
                .arg(first, jobQueueName(a.queue), phaseName(b.phase), second);
        if (!isJobQueue(a.queue) && isJobQueue(b.queue))
            return tr("%1's callback ran first; %2 came from the %3, filled by a callback that ran after it.")
                .arg(first, second, jobQueueName(b.queue));
        if (a.queue == b.queue) {
            switch (a.queue) {
            case CallbackQueue::Timers:
                return tr("both timers ran in the same timers phase, which runs them in order of when they are "
                          "due, and timers due together in the order they were created.");
            case CallbackQueue::Check:
                return tr("both ran in the same check phase, which runs immediates in the order setImmediate was "
                          "called.");
            case CallbackQueue::Microtask:
                return tr("both came from the promise microtask queue, which runs in the order jobs were queued; "
                          "a job queued by another job waits behind those already in the queue.");
            case CallbackQueue::NextTick:
                return tr("both came from the nextTick queue, which runs in the order callbacks were queued; one "
                          "queued while it drains goes to its back.");
            case CallbackQueue::Poll:
                return tr("both were I/O callbacks of the same poll phase, run in the order their operations "
                          "completed.");
            case CallbackQueue::Close:
                return tr("both were close callbacks, run in the order the handles were closed.");
            default:
                break;
            }
        }
        if (a.queue == CallbackQueue::Microtask && b.queue == CallbackQueue::NextTick)
            return tr("%1 came from the promise microtask queue; %2 was queued by a microtask after that, and "
                      "Node only returns to the nextTick queue when the microtask queue is empty.").arg(first, second);
        return tr("%1's callback was started before %2's.").arg(first, second);
    }
    // Same iteration, an earlier phase.
    if (isJobQueue(a.queue))
        return tr("%1 came from the %2, which drains right after the callback before it, before the loop moves "
                  "on to the %3 phase where %4 ran.")
            .arg(first, jobQueueName(a.queue), phaseName(b.phase), second);
    return tr("in each loop iteration the %1 phase (%2) comes before the %3 phase (%4).")
        .arg(phaseName(a.phase), first, phaseName(b.phase), second);
}

QuizResult QuizChecker::check(const QStringList &answer, const QStringList &actual,
                              const QList<LineOrigin> &origins) const
{
    QuizResult result;
    result.actual = actual;
    QStringList sortedAnswer = answer, sortedActual = actual;
    sortedAnswer.sort();
    sortedActual.sort();
    if (sortedAnswer != sortedActual) {
        result.outcome = QuizResult::Outcome::OutputDiffers;
        result.message = tr("The run printed other lines than the quiz lists, so the quiz cannot be checked:\n%1")
                             .arg(actual.join(QLatin1Char('\n')));
        return result;
    }

    // The k-th copy of a line in the answer is the k-th copy in the run.
    QList<int> actualPosition;
    QHash<QString, int> seen;
    for (const QString &line : answer) {
        const int k = seen[line]++;
        int position = -1;
        for (int j = 0, copies = 0; j < actual.size(); ++j)
            if (actual[j] == line && copies++ == k) {
                position = j;
                break;
            }
        actualPosition << position;
    }
    const LineOrigin unknown;
    auto originAt = [&](int j) -> const LineOrigin & { return j >= 0 && j < origins.size() ? origins[j] : unknown; };

    const QList<bool> right = marks(answer, actual);
    for (qsizetype i = 0; i < answer.size(); ++i) {
        QuizLineVerdict v;
        v.text = answer[i];
        v.right = right[i];
        v.actualPosition = actualPosition[i];
        const QStringList *group = groupOf(answer[i]);
        v.unordered = group != nullptr;
        const int j = v.actualPosition;
        const LineOrigin &mine = originAt(j);

        if (v.right && v.unordered) {
            // Accepted either way: say so, and say what this run did and why, from the trace.
            QStringList others;
            for (const QString &line : *group)
                if (line != answer[i])
                    others << quoted(line);
            v.explanation = tr("Either order of %1 and %2 is right: it depends on timing. This run printed it %3, "
                               "from %4.")
                                .arg(quoted(answer[i]), others.join(tr(", ")), ordinal(j + 1), describe(mine));
            for (int k = 0; k < actual.size(); ++k) {
                if (k == j || !group->contains(actual[k]))
                    continue;
                v.explanation += QLatin1Char(' ')
                    + sentence(k > j ? whyBefore(answer[i], mine, actual[k], originAt(k))
                                     : whyBefore(actual[k], originAt(k), answer[i], mine));
                break;
            }
            // The classic race: say why the timer won this time (it loses with its own reason).
            if (mine.known && mine.resourceType == QLatin1String("Timeout") && mine.iteration == 1
                && mine.queue == CallbackQueue::Timers)
                v.explanation += tr(" This time its delay had passed by the loop's first timers phase; on a faster "
                                    "start it is not yet due there and waits for the next iteration.");
        } else if (!v.right) {
            v.explanation = tr("The run printed it %1, from %2.").arg(ordinal(j + 1), describe(mine));
            if (v.unordered)
                v.explanation += tr(" (Its order against %1 may change from run to run, but not its place against "
                                    "the other lines.)").arg(group->join(tr(", ")));
            // Name one line it was misplaced against: the nearest one the student put on the wrong
            // side of it (the pair a student is most likely to have pondered).
            QList<qsizetype> byDistance;
            for (qsizetype k = 0; k < answer.size(); ++k)
                byDistance << k;
            std::stable_sort(byDistance.begin(), byDistance.end(),
                             [i](qsizetype x, qsizetype y) { return qAbs(x - i) < qAbs(y - i); });
            for (const qsizetype k : std::as_const(byDistance)) {
                if (k == i || answer[k] == answer[i])
                    continue;
                const int other = actualPosition[k];
                const bool placedBefore = k < i;
                const bool ranBefore = other < j;
                if (placedBefore == ranBefore)
                    continue;
                const QStringList *otherGroup = groupOf(answer[k]);
                if (group && otherGroup == group)
                    continue;  // the two may swap: not the reason
                v.explanation += QLatin1Char(' ')
                    + (ranBefore ? tr("It comes after %1: ").arg(quoted(answer[k]))
                                       + whyBefore(answer[k], originAt(other), answer[i], mine)
                                 : tr("It comes before %1: ").arg(quoted(answer[k]))
                                       + whyBefore(answer[i], mine, answer[k], originAt(other)));
                break;
            }
        }
        result.lines << v;
    }
    return result;
}

} // namespace Loopscope::Lesson
