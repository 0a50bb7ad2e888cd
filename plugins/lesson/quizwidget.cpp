#include "quizwidget.h"

#include "quizrun.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Loopscope::Lesson {

namespace {
constexpr int LineRole = Qt::UserRole + 1;  // the line's own text, without the mark
}

QuizWidget::QuizWidget(QuizRun *run, QWidget *parent)
    : QWidget(parent)
    , m_run(run)
    , m_prompt(new QLabel)
    , m_list(new QListWidget)
    , m_check(new QPushButton(tr("Check")))
    , m_shuffle(new QPushButton(tr("Shuffle")))
    , m_status(new QLabel)
    , m_explanations(new QTextBrowser)
{
    setObjectName(QStringLiteral("Loopscope.Lesson.Quiz"));
    m_prompt->setText(tr("<b>Quiz:</b> put the lines in the order the script prints them "
                         "(drag them, or Alt+Up / Alt+Down), then press Check."));
    m_prompt->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("Loopscope.Lesson.QuizLines"));
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setAlternatingRowColors(true);
    m_list->installEventFilter(this);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setMinimumHeight(m_list->fontMetrics().height() * 4);
    m_check->setObjectName(QStringLiteral("Loopscope.Lesson.QuizCheck"));
    m_check->setToolTip(tr("Run the script for real and compare"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explanations->setObjectName(QStringLiteral("Loopscope.Lesson.QuizExplanations"));
    m_explanations->setReadOnly(true);
    m_explanations->setOpenLinks(false);
    m_explanations->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_check);
    buttons->addWidget(m_shuffle);
    buttons->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_prompt);
    layout->addWidget(m_list, 2);
    layout->addLayout(buttons);
    layout->addWidget(m_explanations, 3);

    connect(m_check, &QPushButton::clicked, this, &QuizWidget::check);
    connect(m_shuffle, &QPushButton::clicked, this, &QuizWidget::reshuffle);
    // Any reordering makes the last marks stale.
    connect(m_list->model(), &QAbstractItemModel::rowsMoved, this, &QuizWidget::clearMarks);
    if (m_run)
        connect(m_run, &QuizRun::checked, this, &QuizWidget::showResult);
}

void QuizWidget::setQuiz(const QString &lessonId, const App::LessonQuiz &quiz)
{
    m_lessonId = lessonId;
    m_quiz = quiz;
    setAnswer(QuizChecker(quiz).shuffled(lessonId));
}

void QuizWidget::reshuffle()
{
    setAnswer(QuizChecker(m_quiz).shuffled(m_lessonId));
}

void QuizWidget::setAnswer(const QStringList &lines)
{
    m_list->clear();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const QString &line : lines) {
        auto *item = new QListWidgetItem(line);
        item->setData(LineRole, line);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        QFont f = item->font();
        f.setFamilies(mono.families());
        item->setFont(f);
        m_list->addItem(item);
    }
    clearMarks();
}

QStringList QuizWidget::answer() const
{
    QStringList lines;
    for (int i = 0; i < m_list->count(); ++i)
        lines << m_list->item(i)->data(LineRole).toString();
    return lines;
}

bool QuizWidget::moveLine(int row, int delta)
{
    const int target = row + delta;
    if (row < 0 || row >= m_list->count() || target < 0 || target >= m_list->count())
        return false;
    QListWidgetItem *item = m_list->takeItem(row);
    m_list->insertItem(target, item);
    m_list->setCurrentRow(target);
    clearMarks();
    return true;
}

bool QuizWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::AltModifier && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) {
            moveLine(m_list->currentRow(), key->key() == Qt::Key_Up ? -1 : 1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void QuizWidget::check()
{
    if (!m_run || m_run->isChecking())
        return;
    clearMarks();
    m_status->setText(tr("Running the script…"));
    m_check->setEnabled(false);
    if (!m_run->check(m_quiz, answer()))
        m_check->setEnabled(true);  // checked() has already said why
}

void QuizWidget::showResult(const QuizResult &result)
{
    m_check->setEnabled(true);
    if (result.lines.size() != m_list->count())
        return;  // another quiz's answer
    m_result = result;
    m_hasResult = result.outcome == QuizResult::Outcome::Checked;
    if (result.outcome != QuizResult::Outcome::Checked) {
        m_status->setText(result.message.section(QLatin1Char('\n'), 0, 0));
        m_explanations->setPlainText(result.message);
        m_explanations->show();
        return;
    }
    paintMarks();
    const int right = result.rightCount();
    m_status->setText(result.passed() ? tr("<b>All %1 lines in order.</b> Lesson completed ✓").arg(right)
                                      : tr("<b>%1 of %2 lines</b> in the right place.").arg(right).arg(result.lines.size()));
    QString html;
    for (const QuizLineVerdict &v : result.lines) {
        if (v.explanation.isEmpty())
            continue;
        html += QStringLiteral("<p><b>%1 %2</b><br>%3</p>")
                    .arg(v.right ? QStringLiteral("✓") : QStringLiteral("✗"), v.text.trimmed().toHtmlEscaped(),
                         v.explanation.toHtmlEscaped());
    }
    if (html.isEmpty())
        html = tr("<p>The run printed exactly this order.</p>");
    m_explanations->setHtml(html);
    m_explanations->show();
    Q_EMIT quizChecked(m_lessonId, result);
}

void QuizWidget::paintMarks()
{
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QColor good = dark ? QColor(0x1f, 0x4d, 0x2b) : QColor(0xd4, 0xf5, 0xdc);
    const QColor bad = dark ? QColor(0x5c, 0x1f, 0x22) : QColor(0xfa, 0xd7, 0xd9);
    for (int i = 0; i < m_list->count() && i < m_result.lines.size(); ++i) {
        const QuizLineVerdict &v = m_result.lines[i];
        QListWidgetItem *item = m_list->item(i);
        item->setText((v.right ? QStringLiteral("✓  ") : QStringLiteral("✗  ")) + item->data(LineRole).toString()
                      + (v.right ? QString() : tr("   → printed as line %1").arg(v.actualPosition + 1)));
        item->setBackground(v.right ? good : bad);
        item->setForeground(palette().color(QPalette::Text));
        item->setToolTip(v.explanation);
    }
}

void QuizWidget::clearMarks()
{
    m_hasResult = false;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        item->setText(item->data(LineRole).toString());
        item->setBackground(QBrush());
        item->setForeground(QBrush());
        item->setToolTip({});
    }
    m_status->clear();
    m_explanations->clear();
    m_explanations->hide();
}

QString QuizWidget::statusText() const
{
    return m_status->text();
}

QString QuizWidget::explanationText() const
{
    return m_explanations->toPlainText();
}

void QuizWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_hasResult)
        paintMarks();
}

} // namespace Loopscope::Lesson
