#include "flamegraphwidget.h"

#include "calltreemodel.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>
#include <functional>

namespace Loopscope::Profiler {

FlameGraphWidget::FlameGraphWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void FlameGraphWidget::setLayout(FlameGraphLayout layout)
{
    m_layout = std::move(layout);
    m_matches.clear();
    m_searching = false;
    m_hovered = -1;
    // As tall as the deepest stack, so that a scroll area around it can show every row.
    setMinimumHeight(m_layout.frames().empty() ? 80 : (m_layout.maxDepth() + 1) * rowHeight());
    resetZoom();
}

void FlameGraphWidget::setVisibleRange(FlameRange range)
{
    m_range = m_layout.panned(range, 0);
    update();
}

void FlameGraphWidget::zoomToFrame(int frame)
{
    setVisibleRange(m_layout.rangeOf(frame));
}

void FlameGraphWidget::resetZoom()
{
    m_range = {0, m_layout.totalUs()};
    update();
}

double FlameGraphWidget::setSearchText(const QString &text)
{
    const std::vector<int> hits = m_layout.search(text.toStdString());
    m_matches = std::unordered_set<int>(hits.begin(), hits.end());
    m_searching = !text.isEmpty();
    update();
    // The time under matches, each counted once (a match inside a match is already covered).
    double covered = 0;
    for (int f : hits) {
        bool nested = false;
        for (int p = m_layout.frames()[size_t(f)].parent; p >= 0; p = m_layout.frames()[size_t(p)].parent)
            if (m_matches.count(p)) {
                nested = true;
                break;
            }
        if (!nested)
            covered += m_layout.frames()[size_t(f)].width;
    }
    return m_layout.totalUs() > 0 ? covered / m_layout.totalUs() : 0;
}

int FlameGraphWidget::rowHeight() const
{
    return fontMetrics().height() + 4;
}

int FlameGraphWidget::frameAtPixel(QPoint pos) const
{
    if (width() <= 0)
        return -1;
    const double us = m_range.start + double(pos.x()) / width() * m_range.width();
    return m_layout.frameAt(us, pos.y() / rowHeight());
}

QColor FlameGraphWidget::colourOf(int frame) const
{
    const Runtime::CpuProfileCallFrame &f = m_layout.callFrame(frame);
    const size_t h = std::hash<std::string>{}(f.functionName);
    const int jitter = int(h % 40);
    if (!f.functionName.empty() && f.functionName.front() == '(')
        return QColor::fromHsl(0, 0, 170 + jitter / 2);                 // V8's pseudo-frames: grey
    if (f.url.empty() || f.url.starts_with("node:") || f.url.starts_with("loopscope:"))
        return QColor::fromHsl(200 + jitter / 2, 110, 165 + jitter / 3); // node, V8, our prelude: blue
    return QColor::fromHsl(15 + jitter, 200, 150 + jitter / 2);          // the script's code: warm
}

void FlameGraphWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (m_layout.frames().empty() || m_range.width() <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter,
                         tr("No CPU profile yet: Run ▸ Profile, or open a .cpuprofile file."));
        return;
    }
    const int rh = rowHeight();
    const double w = width();
    const QFontMetrics fm = fontMetrics();
    const QColor text(20, 20, 20);
    const std::vector<FlameFrame> &frames = m_layout.frames();
    for (int i = 0; i < int(frames.size()); ++i) {
        const FlameFrame &f = frames[size_t(i)];
        const double x0 = FlameGraphLayout::toPixels(f.start, m_range, w);
        const double x1 = FlameGraphLayout::toPixels(f.start + f.width, m_range, w);
        if (x1 < 0 || x0 > w || x1 - x0 < 0.5)
            continue;  // off screen or thinner than half a pixel (its children are thinner still)
        const int y = f.depth * rh;
        if (y > height())
            continue;
        const QRectF box(std::max(x0, -1.0), y, std::min(x1, w + 1) - std::max(x0, -1.0), rh - 1);
        QColor fill = colourOf(i);
        if (m_searching && !m_matches.count(i))
            fill = QColor::fromHsl(0, 0, 225);
        else if (m_searching)
            fill = QColor(230, 90, 200);
        if (i == m_hovered)
            fill = fill.lighter(115);
        painter.fillRect(box, fill);
        if (box.width() > 30) {
            painter.setPen(text);
            const QString label = CallTreeModel::functionLabel(m_layout.callFrame(i));
            const QRectF textBox = box.adjusted(3, 0, -3, 0);
            painter.drawText(textBox, Qt::AlignVCenter | Qt::AlignLeft,
                             fm.elidedText(label, Qt::ElideRight, int(textBox.width())));
        }
    }
}

void FlameGraphWidget::wheelEvent(QWheelEvent *event)
{
    if (m_layout.frames().empty() || width() <= 0)
        return;
    const double steps = event->angleDelta().y() / 120.0;
    const double anchor = event->position().x() / width();
    setVisibleRange(m_layout.zoomed(m_range, anchor, std::pow(1.25, steps)));
    event->accept();
}

void FlameGraphWidget::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressRange = m_range;
    m_dragging = false;
}

void FlameGraphWidget::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->buttons() & Qt::LeftButton) {
        if (!m_dragging && (pos - m_pressPos).manhattanLength() > 4)
            m_dragging = true;
        if (m_dragging && width() > 0) {
            const double delta = -double(pos.x() - m_pressPos.x()) / width() * m_pressRange.width();
            setVisibleRange(m_layout.panned(m_pressRange, delta));
        }
        return;
    }
    const int frame = frameAtPixel(pos);
    if (frame != m_hovered) {
        m_hovered = frame;
        update();
        Q_EMIT frameHovered(frame);
    }
    if (frame >= 0) {
        const FlameFrame &f = m_layout.frames()[size_t(frame)];
        const double total = m_layout.totalUs();
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("%1\n%2\nself %3 ms · total %4 ms (%5 %)")
                               .arg(CallTreeModel::functionLabel(m_layout.callFrame(frame)),
                                    QString::fromStdString(m_layout.callFrame(frame).url))
                               .arg(double(f.selfUs) / 1000, 0, 'f', 1)
                               .arg(double(f.totalUs) / 1000, 0, 'f', 1)
                               .arg(total > 0 ? 100.0 * f.width / total : 0, 0, 'f', 1),
                           this);
    }
}

void FlameGraphWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_dragging) {
        m_dragging = false;
        return;
    }
    const int frame = frameAtPixel(event->position().toPoint());
    if (frame < 0)
        return;
    zoomToFrame(frame);
    Q_EMIT frameActivated(frame);
}

void FlameGraphWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (frameAtPixel(event->position().toPoint()) < 0)
        resetZoom();
}

void FlameGraphWidget::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape)
        resetZoom();
    else
        QWidget::keyPressEvent(event);
}

} // namespace Loopscope::Profiler
