#include "lessonwidget.h"

#include "lessoncourse.h"
#include "lessonview.h"
#include "quizrun.h"
#include "quizwidget.h"

#include <QFile>

#include <algorithm>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace Loopscope::Lesson {

static QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

LessonWidget::LessonWidget(LessonCourse *course, QuizRun *run, HighlightLines highlight, QWidget *parent)
    : QWidget(parent)
    , m_course(course)
    , m_highlight(std::move(highlight))
    , m_header(new QLabel)
    , m_problems(new QLabel)
    , m_splitter(new QSplitter(Qt::Vertical))
    , m_view(new LessonView)
    , m_quiz(new QuizWidget(run))
{
    setObjectName(QStringLiteral("Loopscope.Lesson.Widget"));
    m_header->setWordWrap(true);
    m_header->setContentsMargins(12, 6, 12, 0);
    m_problems->setObjectName(QStringLiteral("Loopscope.Lesson.Problems"));
    m_problems->setWordWrap(true);
    m_problems->setContentsMargins(12, 4, 12, 4);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setAutoFillBackground(true);
    m_problems->hide();
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_quiz);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_header);
    layout->addWidget(m_problems);
    layout->addWidget(m_splitter, 1);

    connect(m_view, &LessonView::sourceLinesActivated, this, [this](int first, int last) {
        const App::Lesson *lesson = m_course->lesson(m_lessonId);
        if (lesson && m_highlight)
            m_highlight(lesson->scriptPath(), first, last);
    });
    connect(m_quiz, &QuizWidget::quizChecked, this, [this](const QString &lessonId, const QuizResult &result) {
        m_course->recordQuiz(lessonId, result.rightCount(), int(result.lines.size()));
    });
    connect(m_course, &LessonCourse::currentLessonChanged, this, &LessonWidget::showLesson);
    connect(m_course, &LessonCourse::progressChanged, this, &LessonWidget::updateHeader);
    connect(m_course, &LessonCourse::courseLoaded, this, &LessonWidget::updateProblems);
    updateProblems();
    const App::Lesson *current = m_course->currentLesson();
    showLesson(current ? current->id : QString());
}

void LessonWidget::showLesson(const QString &lessonId)
{
    m_lessonId = lessonId;
    const App::Lesson *lesson = m_course->lesson(lessonId);
    if (!lesson) {
        m_view->clearLesson(tr("# No lesson open\n\nChoose one in **File ▸ Lessons**: its explanation appears here, "
                               "with a quiz when the lesson has one."));
        m_quiz->hide();
        updateHeader();
        return;
    }
    m_view->setLesson(readText(lesson->markdownPath()), readText(lesson->scriptPath()).split(QLatin1Char('\n')));
    if (lesson->quiz) {
        m_quiz->setQuiz(lesson->id, *lesson->quiz);
        m_quiz->show();
        // A splitter gives a child shown after it was laid out no room: share it out again.
        const QList<int> sizes = m_splitter->sizes();
        if (sizes.value(1) < m_quiz->minimumSizeHint().height()) {
            const int total = std::max(sizes.value(0) + sizes.value(1), m_splitter->height());
            m_splitter->setSizes({total * 3 / 5, total * 2 / 5});
        }
    } else {
        m_quiz->hide();
    }
    updateHeader();
}

void LessonWidget::updateHeader()
{
    const App::Lesson *lesson = m_course->lesson(m_lessonId);
    if (!lesson) {
        m_header->setText(tr("%1 lessons in the course, %2 completed")
                              .arg(m_course->lessons().size())
                              .arg(m_course->progress().completedLessons().size()));
        return;
    }
    QString state;
    if (m_course->progress().isCompleted(lesson->id))
        state = tr("✓ completed");
    else if (lesson->quiz)
        state = tr("not completed: answer the quiz");
    else
        state = tr("not completed: run the script (F5)");
    const QuizScore score = m_course->progress().quizScore(lesson->id);
    if (lesson->quiz && score.attempts > 0)
        state += score.attempts == 1
            ? tr(" · quiz: %1 of %2 right in 1 attempt").arg(score.bestRight).arg(score.total)
            : tr(" · quiz: best %1 of %2 right in %3 attempts").arg(score.bestRight).arg(score.total).arg(score.attempts);
    m_header->setText(tr("<b>Lesson %1</b> · %2").arg(lesson->order).arg(state.toHtmlEscaped()));
}

void LessonWidget::updateProblems()
{
    const QList<App::LessonProblem> &problems = m_course->problems();
    if (problems.isEmpty()) {
        m_problems->hide();
        updateHeader();
        return;
    }
    QStringList lines;
    for (const App::LessonProblem &p : problems)
        lines << tr("• <b>%1</b> (in %2): %3").arg(p.id.toHtmlEscaped(), p.lessonsDir.toHtmlEscaped(), p.message.toHtmlEscaped());
    m_problems->setText((problems.size() == 1 ? tr("1 lesson folder skipped:")
                                              : tr("%1 lesson folders skipped:").arg(problems.size()))
                        + QStringLiteral("<br>")
                        + lines.join(QStringLiteral("<br>")));
    QPalette pal = m_problems->palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    pal.setColor(QPalette::Window, dark ? QColor(0x4a, 0x3b, 0x12) : QColor(0xff, 0xf4, 0xce));
    pal.setColor(QPalette::WindowText, dark ? QColor(0xf5, 0xe6, 0xb8) : QColor(0x4a, 0x3b, 0x12));
    m_problems->setPalette(pal);
    m_problems->show();
    updateHeader();
}

QSize LessonWidget::sizeHint() const
{
    // Prose and a quiz need width: start wider than a tool pane.
    return QWidget::sizeHint().expandedTo(QSize(fontMetrics().averageCharWidth() * 60, 400));
}

QString LessonWidget::headerText() const
{
    return m_header->text();
}

QString LessonWidget::problemsText() const
{
    return m_problems->isHidden() ? QString() : m_problems->text();
}

} // namespace Loopscope::Lesson
