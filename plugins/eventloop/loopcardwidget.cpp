#include "loopcardwidget.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace Loopscope::EventLoop {

constexpr int kStripe = 6;  // the coloured edge that says which queue a card is in

LoopCardWidget::LoopCardWidget(QWidget *parent)
    : QFrame(parent), m_title(new QLabel(this)), m_detail(new QLabel(this)), m_creator(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kStripe + 6, 3, 6, 3);
    layout->setSpacing(0);
    QFont bold = font();
    bold.setBold(true);
    m_title->setFont(bold);
    for (QLabel *l : {m_title, m_detail, m_creator}) {
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setTextFormat(Qt::PlainText);
        layout->addWidget(l);
    }
    layout->addStretch();
    setFocusPolicy(Qt::TabFocus);
}

int LoopCardWidget::heightFor(const QFontMetrics &metrics, bool withCreator)
{
    return metrics.height() * (withCreator ? 3 : 2) + 8;
}

void LoopCardWidget::setCard(const LoopCard &card, const QColor &accent, bool running)
{
    m_card = card;
    m_accent = accent;
    m_running = running;
    const QFontMetrics fm(m_title->font());
    const int textWidth = width() - kStripe - 14;
    m_title->setText(fm.elidedText(card.title(), Qt::ElideRight, textWidth));
    m_detail->setText(QFontMetrics(font()).elidedText(card.detail(), Qt::ElideRight, textWidth));
    m_creator->setVisible(!card.createdBy.isEmpty());
    m_creator->setText(QFontMetrics(font()).elidedText(tr("from %1").arg(card.createdBy), Qt::ElideRight, textWidth));
    setAccessibleName(card.accessibleText());
    setToolTip(card.file.isEmpty() ? card.accessibleText() : card.file + QLatin1Char(':') + QString::number(card.line));
    update();
}

void LoopCardWidget::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        QFont bold = font();
        bold.setBold(true);
        m_title->setFont(bold);
    }
}

void LoopCardWidget::enterEvent(QEnterEvent *event)
{
    QFrame::enterEvent(event);
    if (!m_card.file.isEmpty() && m_card.line > 0)
        Q_EMIT hovered(m_card.file, m_card.line);
}

void LoopCardWidget::leaveEvent(QEvent *event)
{
    QFrame::leaveEvent(event);
    Q_EMIT unhovered();
}

void LoopCardWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QColor fill = palette().color(QPalette::Base);
    QColor tint = m_accent;
    tint.setAlpha(m_running ? 90 : 40);
    p.setPen(QPen(m_running ? m_accent : palette().color(QPalette::Mid), m_running ? 2.0 : 1.0));
    p.setBrush(fill);
    p.drawRoundedRect(r, 5, 5);
    p.setBrush(tint);
    p.drawRoundedRect(r, 5, 5);
    p.setPen(Qt::NoPen);
    p.setBrush(m_accent);
    p.drawRoundedRect(QRectF(r.left(), r.top(), kStripe, r.height()), 3, 3);
}

} // namespace Loopscope::EventLoop
