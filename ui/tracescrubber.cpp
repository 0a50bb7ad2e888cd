#include "tracescrubber.h"

#include "trace.h"
#include "tracecursor.h"
#include "traceindex.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

namespace Loopscope::Ui {

namespace {
constexpr std::uint64_t kSliderUnitNs = 1000;  // the slider counts µs: 35 minutes fit an int

QString milliseconds(std::uint64_t ns)
{
    return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', 3);
}
}

TraceScrubber::TraceScrubber(TraceCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_cursor(cursor)
    , m_slider(new QSlider(Qt::Horizontal))
    , m_live(new QToolButton)
    , m_position(new QLabel)
{
    setObjectName(QStringLiteral("Loopscope.TraceScrubber"));
    setAccessibleName(tr("Timeline"));
    setFocusPolicy(Qt::StrongFocus);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);

    // The style's media icons: the ⏮/⏪ glyphs are missing from many fonts.
    QToolButton *start = addButton(QStyle::SP_MediaSkipBackward, tr("To the start"), tr("To the start of the trace (Home)"));
    QToolButton *previousPhase = addButton(QStyle::SP_MediaSeekBackward, tr("Previous phase"), tr("One loop phase back (Shift+←)"));
    QToolButton *previous = addButton(QStyle::SP_ArrowLeft, tr("Previous callback"), tr("One callback back (←)"));
    QToolButton *next = addButton(QStyle::SP_ArrowRight, tr("Next callback"), tr("One callback on (→)"));
    QToolButton *nextPhase = addButton(QStyle::SP_MediaSeekForward, tr("Next phase"), tr("One loop phase on (Shift+→)"));
    QToolButton *end = addButton(QStyle::SP_MediaSkipForward, tr("To the end"), tr("To the newest event (End)"));
    connect(start, &QToolButton::clicked, cursor, &TraceCursor::moveToStart);
    connect(previousPhase, &QToolButton::clicked, cursor, &TraceCursor::previousPhase);
    connect(previous, &QToolButton::clicked, cursor, &TraceCursor::previousCallback);
    connect(next, &QToolButton::clicked, cursor, &TraceCursor::nextCallback);
    connect(nextPhase, &QToolButton::clicked, cursor, &TraceCursor::nextPhase);
    connect(end, &QToolButton::clicked, cursor, &TraceCursor::moveToEnd);
    for (QToolButton *b : {start, previousPhase, previous, next, nextPhase, end})
        layout->addWidget(b);

    m_slider->setObjectName(QStringLiteral("Loopscope.TraceScrubber.Slider"));
    m_slider->setAccessibleName(tr("Trace position"));
    m_slider->setToolTip(tr("Drag to move through the recorded trace"));
    m_slider->installEventFilter(this);  // the arrows step callbacks, not slider units
    layout->addWidget(m_slider, 1);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            m_cursor->moveTo(m_cursor->startNs() + std::uint64_t(value) * kSliderUnitNs);
    });

    m_live->setText(tr("Live"));
    m_live->setCheckable(true);
    m_live->setObjectName(QStringLiteral("Loopscope.TraceScrubber.Live"));
    m_live->setAccessibleName(tr("Live: follow the newest event"));
    m_live->setToolTip(tr("Follow the newest event of the run"));
    connect(m_live, &QToolButton::toggled, cursor, &TraceCursor::setLive);
    layout->addWidget(m_live);

    m_position->setObjectName(QStringLiteral("Loopscope.TraceScrubber.Position"));
    m_position->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wide enough for the time; the rest may be cut in a narrow window (it is also the
    // slider's accessible description), so the timeline never widens the window.
    m_position->setMinimumWidth(m_position->fontMetrics().horizontalAdvance(QStringLiteral("0000.000 ms / 0000.000 ms")));
    layout->addWidget(m_position);

    connect(cursor, &TraceCursor::traceChanged, this, [this] {
        updateRange();
        updatePosition();
    });
    connect(cursor, &TraceCursor::indexGrew, this, &TraceScrubber::updateRange);
    connect(cursor, &TraceCursor::cursorMoved, this, &TraceScrubber::updatePosition);
    connect(cursor, &TraceCursor::liveChanged, this, [this](bool live) {
        const QSignalBlocker block(m_live);
        m_live->setChecked(live);
    });
    updateRange();
    updatePosition();
}

QToolButton *TraceScrubber::addButton(QStyle::StandardPixmap icon, const QString &accessibleName, const QString &toolTip)
{
    auto *b = new QToolButton;
    b->setIcon(style()->standardIcon(icon));
    b->setText(accessibleName);
    b->setAccessibleName(accessibleName);
    b->setToolTip(toolTip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);  // keys stay with the timeline
    return b;
}

void TraceScrubber::updateRange()
{
    const QSignalBlocker block(m_slider);
    const std::uint64_t span = m_cursor->endNs() - m_cursor->startNs();
    m_slider->setRange(0, int(std::min<std::uint64_t>(span / kSliderUnitNs, INT_MAX)));
    setEnabled(m_cursor->hasTrace());
    updatePosition();
}

void TraceScrubber::updatePosition()
{
    {
        const QSignalBlocker block(m_slider);
        m_updating = true;
        m_slider->setValue(int(std::min<std::uint64_t>((m_cursor->time() - m_cursor->startNs()) / kSliderUnitNs, INT_MAX)));
        m_updating = false;
    }
    m_position->setText(positionText());
    m_slider->setAccessibleDescription(m_position->text());
}

QString TraceScrubber::positionText() const
{
    if (!m_cursor->hasTrace())
        return tr("No trace: run a script, or File ▸ Open Trace…");
    QString text = tr("%1 / %2").arg(milliseconds(m_cursor->time() - m_cursor->startNs()),
                                     milliseconds(m_cursor->endNs() - m_cursor->startNs()));
    if (m_cursor->callback() < 0)
        text += tr(" · before callback 1 of %1").arg(m_cursor->callbackCount());
    else
        text += tr(" · callback %1 of %2").arg(m_cursor->callback() + 1).arg(m_cursor->callbackCount());
    if (const int p = m_cursor->phase(); p >= 0) {
        const auto &phase = m_cursor->index()->phases()[std::size_t(p)];
        text += QStringLiteral(" · %1 #%2").arg(QString::fromLatin1(Runtime::loopPhaseName(phase.phase))).arg(phase.iteration);
    }
    return text;
}

bool TraceScrubber::handleKey(QKeyEvent *event)
{
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    switch (event->key()) {
    case Qt::Key_Left: shift ? m_cursor->previousPhase() : m_cursor->previousCallback(); return true;
    case Qt::Key_Right: shift ? m_cursor->nextPhase() : m_cursor->nextCallback(); return true;
    case Qt::Key_Home: m_cursor->moveToStart(); return true;
    case Qt::Key_End: m_cursor->moveToEnd(); return true;
    default: return false;
    }
}

void TraceScrubber::keyPressEvent(QKeyEvent *event)
{
    if (!handleKey(event))
        QWidget::keyPressEvent(event);
}

bool TraceScrubber::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_slider && event->type() == QEvent::KeyPress && handleKey(static_cast<QKeyEvent *>(event)))
        return true;
    return QWidget::eventFilter(watched, event);
}

} // namespace Loopscope::Ui
