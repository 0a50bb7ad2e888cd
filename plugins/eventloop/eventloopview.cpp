#include "eventloopview.h"

#include "constants.h"
#include "loopcardwidget.h"
#include "theme.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPropertyAnimation>
#include <QtMath>

namespace Loopscope::EventLoop {

using Runtime::LoopPhase;

static bool s_animations = true;

// Okabe & Ito's colour-blind-safe palette.
namespace Colour {
const QColor Vermillion(213, 94, 0);
const QColor Orange(230, 159, 0);
const QColor ReddishPurple(204, 121, 167);
const QColor Blue(0, 114, 178);
const QColor BluishGreen(0, 158, 115);
const QColor SkyBlue(86, 180, 233);
const QColor Yellow(240, 228, 66);
const QColor Grey(153, 153, 153);
} // namespace Colour

static QColor phaseColour(LoopPhase phase)
{
    switch (phase) {
    case LoopPhase::Timers: return Colour::Blue;
    case LoopPhase::Poll: return Colour::BluishGreen;
    case LoopPhase::Check: return Colour::SkyBlue;
    case LoopPhase::Close: return Colour::Yellow;
    default: return Colour::Grey;
    }
}

struct EventLoopView::Column {
    QString key;
    QString title;
    QColor colour;
    CardList LoopState::*list;
    bool topRow;
    QLabel *header = nullptr;
    QLabel *more = nullptr;
    QList<LoopCardWidget *> cards;
};

EventLoopView::EventLoopView(LoopStateModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_counters(new QLabel(this))
{
    setAccessibleName(tr("Event loop"));
    const struct { const char *key; QString title; QColor colour; CardList LoopState::*list; bool top; } columns[] = {
        {"callStack", tr("Call stack"), Colour::Vermillion, &LoopState::callStack, true},
        {"nextTicks", tr("process.nextTick queue"), Colour::Orange, &LoopState::nextTicks, true},
        {"microtasks", tr("Promise microtask queue"), Colour::ReddishPurple, &LoopState::microtasks, true},
        {"timers", tr("Timers"), Colour::Blue, &LoopState::timers, false},
        {"io", tr("Poll: waiting I/O"), Colour::BluishGreen, &LoopState::io, false},
        {"immediates", tr("Check: immediates"), Colour::SkyBlue, &LoopState::immediates, false},
        {"closing", tr("Close callbacks"), Colour::Yellow, &LoopState::closing, false},
    };
    for (const auto &c : columns) {
        auto *column = new Column{QString::fromLatin1(c.key), c.title, c.colour, c.list, c.top, nullptr, nullptr, {}};
        column->header = new QLabel(c.title, this);
        QFont bold = font();
        bold.setBold(true);
        column->header->setFont(bold);
        column->header->setTextInteractionFlags(Qt::TextSelectableByMouse);
        column->more = new QLabel(this);
        column->more->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_columns.append(column);
    }
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_counters->setAccessibleName(tr("Event loop counters"));
    m_counters->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_model, &LoopStateModel::stateChanged, this, &EventLoopView::showState);
    showState();
}

EventLoopView::~EventLoopView()
{
    qDeleteAll(m_columns);
}

void EventLoopView::setSourceLineHighlighter(std::function<void(const QString &, int)> highlight)
{
    m_highlight = std::move(highlight);
    highlightRunning();
}

void EventLoopView::setAnimationsEnabled(bool enabled)
{
    s_animations = enabled;
}

bool EventLoopView::animationsEnabled()
{
    return s_animations;
}

QList<LoopCardWidget *> EventLoopView::cardsIn(const QString &column) const
{
    for (const Column *c : m_columns)
        if (c->key == column)
            return c->cards;
    return {};
}

QString EventLoopView::countersText() const
{
    return m_counters->text();
}

static QString phaseLabel(const LoopState &s)
{
    if (!s.hasTrace)
        return EventLoopView::tr("no traced run yet");
    if (s.inMainScript)
        return EventLoopView::tr("main module");
    if (s.phase == LoopPhase::None)
        return EventLoopView::tr("between phases");
    return QString::fromLatin1(Runtime::loopPhaseName(s.phase));
}

void EventLoopView::showState()
{
    const LoopState &s = m_model->state();
    const QString phase = phaseLabel(s);
    const std::uint64_t origin = m_model->index() ? m_model->index()->startNs() : 0;
    m_counters->setText(tr("Phase: %1\nIteration %2 · %3 callbacks run\nBlocked in poll: %4 ms\n"
                           "Loop utilisation: %5 %\nAt %6 ms")
                            .arg(phase)
                            .arg(s.iteration)
                            .arg(s.callbacksRun)
                            .arg(double(s.pollBlockedNs) / 1e6, 0, 'f', 2)
                            .arg(qRound(s.utilisation * 100))
                            .arg(s.cursorNs > origin ? double(s.cursorNs - origin) / 1e6 : 0.0, 0, 'f', 3));
    setAccessibleDescription(tr("Phase %1, iteration %2").arg(phase).arg(s.iteration));

    for (Column *column : m_columns) {
        const CardList &list = s.*(column->list);
        const int shown = std::min<int>(list.cards.size(), Constants::VisibleCards);
        // Reuse cards by asyncId so a card that stays can slide to its new place.
        QHash<std::uint64_t, LoopCardWidget *> old;
        for (LoopCardWidget *w : std::as_const(column->cards))
            old.insert(w->card().asyncId, w);
        QList<LoopCardWidget *> next;
        for (int i = 0; i < shown; ++i) {
            const LoopCard &card = list.cards[i];
            LoopCardWidget *w = old.take(card.asyncId);
            if (!w) {
                w = new LoopCardWidget(this);
                connect(w, &LoopCardWidget::hovered, this, [this](const QString &path, int line) {
                    m_hovering = true;
                    if (m_highlight)
                        m_highlight(path, line);
                });
                connect(w, &LoopCardWidget::unhovered, this, [this] {
                    m_hovering = false;
                    highlightRunning();
                });
                w->show();
            }
            next.append(w);
        }
        for (LoopCardWidget *w : std::as_const(old))
            w->deleteLater();
        column->cards = next;
        column->more->setText(list.total > shown ? tr("+ %1 more").arg(list.total - shown)
                              : list.total == 0 && s.hasTrace ? tr("(empty)") : QString());
        column->header->setText(list.total > 0 ? tr("%1 (%2)").arg(column->title).arg(list.total) : column->title);
    }
    relayout(s_animations && isVisible());
    for (Column *column : m_columns) {
        const CardList &list = s.*(column->list);
        for (int i = 0; i < column->cards.size(); ++i)
            column->cards[i]->setCard(list.cards[i], column->colour, column->key == QLatin1String("callStack") && i == 0);
    }
    highlightRunning();
    update();
}

void EventLoopView::highlightRunning()
{
    if (!m_highlight || m_hovering)
        return;
    const LoopState &s = m_model->state();
    if (s.runningCallback >= 0 && !s.callStack.cards.isEmpty())
        m_highlight(s.callStack.cards[0].file, s.callStack.cards[0].line);
    else if (s.paused && s.next.line > 0)
        m_highlight(s.next.file, s.next.line);  // step mode: the callback about to run
    else
        m_highlight(QString(), 0);
}

QRect EventLoopView::ringRect() const
{
    const int em = fontMetrics().height();
    return QRect(em, em, 17 * em, 17 * em);
}

void EventLoopView::relayout(bool animate)
{
    const QFontMetrics fm = fontMetrics();
    const int em = fm.height();
    const int gap = em / 2;
    const int cardWidth = 14 * em;
    const int stackCard = LoopCardWidget::heightFor(fm, true);
    const int queueCard = LoopCardWidget::heightFor(fm, false);
    const QRect ring = ringRect();
    m_counters->setGeometry(ring.left(), ring.bottom() + em, ring.width(), 6 * em);

    const int topX = ring.right() + 2 * em;
    const int topY = em;
    int topHeight = ring.height() + 7 * em;
    const int rowTwoGuess = topY + std::max(topHeight, em * 2 + Constants::VisibleCards * (stackCard + gap) + em * 2);
    int x[2] = {topX, em};
    int bottom = 0;
    for (Column *column : m_columns) {
        const int row = column->topRow ? 0 : 1;
        const int y = row == 0 ? topY : rowTwoGuess + em;
        const int cardHeight = column->key == QLatin1String("callStack") ? stackCard : queueCard;
        column->header->setGeometry(x[row], y, cardWidth, em + 4);
        int cy = y + em + gap + 4;
        for (LoopCardWidget *w : std::as_const(column->cards)) {
            const QRect target(x[row], cy, cardWidth, cardHeight);
            for (QPropertyAnimation *running : w->findChildren<QPropertyAnimation *>(Qt::FindDirectChildrenOnly))
                running->stop();  // deletes it
            if (animate && w->geometry().isValid() && w->geometry() != target && w->width() > 0) {
                auto *anim = new QPropertyAnimation(w, "geometry", w);
                anim->setDuration(Constants::CardAnimationMs);
                anim->setEasingCurve(QEasingCurve::OutCubic);
                anim->setEndValue(target);
                anim->start(QAbstractAnimation::DeleteWhenStopped);
            } else {
                w->setGeometry(target);
            }
            cy += cardHeight + gap;
        }
        column->more->setGeometry(x[row], cy, cardWidth, em + 4);
        bottom = std::max(bottom, cy + em + 4);
        x[row] += cardWidth + em;
    }
    m_contentSize = QSize(std::max(x[0], x[1]), bottom + em);
    setMinimumSize(m_contentSize);
}

QSize EventLoopView::sizeHint() const
{
    return m_contentSize;
}

QSize EventLoopView::minimumSizeHint() const
{
    return m_contentSize;
}

void EventLoopView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        for (Column *c : m_columns) {
            QFont bold = font();
            bold.setBold(true);
            c->header->setFont(bold);
        }
        showState();
    }
}

void EventLoopView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const LoopState &s = m_model->state();
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int em = fm.height();
    const QRectF ring = ringRect();
    const QPointF centre = ring.center();
    const double radius = ring.width() / 2.0 - 1.2 * em;

    // The loop itself, with arrows showing its direction (timers → ... → close → timers).
    QColor line = pal.color(QPalette::Text);
    line.setAlphaF(0.45);
    p.setPen(QPen(line, 2));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(centre, radius, radius);
    const LoopPhase phases[] = {LoopPhase::Timers, LoopPhase::Pending, LoopPhase::IdlePrepare,
                                LoopPhase::Poll, LoopPhase::Check, LoopPhase::Close};
    for (int i = 0; i < 6; ++i) {
        const double a = qDegreesToRadians(-90.0 + 60.0 * i + 30.0);
        const QPointF at = centre + QPointF(std::cos(a), std::sin(a)) * radius;
        const QPointF dir(-std::sin(a), std::cos(a));  // clockwise tangent
        const QPointF side(std::cos(a), std::sin(a));
        const double h = em * 0.45;
        QPainterPath arrow;
        arrow.moveTo(at + dir * h);
        arrow.lineTo(at - dir * h + side * h * 0.8);
        arrow.lineTo(at - dir * h - side * h * 0.8);
        arrow.closeSubpath();
        p.fillPath(arrow, line);
    }
    QFont bold = font();
    bold.setBold(true);
    for (int i = 0; i < 6; ++i) {
        const double a = qDegreesToRadians(-90.0 + 60.0 * i);
        const QPointF at = centre + QPointF(std::cos(a), std::sin(a)) * radius;
        const QString name = QString::fromLatin1(Runtime::loopPhaseName(phases[i]));
        const double w = QFontMetrics(bold).horizontalAdvance(name) + em;
        const QRectF box(at.x() - w / 2, at.y() - em * 0.8, w, em * 1.6);
        const bool lit = s.hasTrace && s.phase == phases[i];
        const QColor colour = phaseColour(phases[i]);
        p.setPen(QPen(lit ? colour.darker(130) : line, lit ? 2 : 1));
        p.setBrush(lit ? colour : pal.color(QPalette::Base));
        p.drawRoundedRect(box, em * 0.4, em * 0.4);
        p.setFont(lit ? bold : font());
        const bool darkText = lit ? colour.lightnessF() > 0.45 : !Ui::isDark(pal);
        p.setPen(lit ? (darkText ? Qt::black : Qt::white) : pal.color(QPalette::Text));
        p.drawText(box, Qt::AlignCenter, name);
    }
    // In the middle: where the loop is.
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const QRectF middle(centre.x() - radius * 0.75, centre.y() - em * 1.6, radius * 1.5, em * 3.2);
    QString text = tr("iteration %1").arg(s.iteration);
    if (s.inMainScript)
        text = tr("main module");
    p.drawText(middle, Qt::AlignHCenter | Qt::AlignTop, text);
    p.setFont(font());
    const QString queue = s.runningCallback >= 0 ? tr("running: %1").arg(QString::fromLatin1(Runtime::callbackQueueName(s.runningQueue)))
        : s.paused ? tr("paused · %1 next").arg(QString::fromLatin1(Runtime::callbackQueueName(s.nextQueue)))
                   : tr("idle");
    p.drawText(middle, Qt::AlignHCenter | Qt::AlignBottom, s.hasTrace ? queue : QString());
}

} // namespace Loopscope::EventLoop
