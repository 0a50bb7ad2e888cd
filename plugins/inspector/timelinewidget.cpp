#include "timelinewidget.h"

#include "inspectormodel.h"

#include <QElapsedTimer>
#include <QPainterPath>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>

namespace Loopscope::Inspector {

using Runtime::CallbackQueue;

// A track's name on a veil of the background, so it stays readable over the bars under it.
static void drawTrackLabel(QPainter &p, const QWidget &widget, QPointF baseline, const QString &text)
{
    const QFontMetrics metrics = widget.fontMetrics();
    QColor veil = widget.palette().color(QPalette::Base);
    veil.setAlpha(210);
    p.fillRect(QRectF(baseline.x() - 2, baseline.y() - metrics.ascent() - 1, metrics.horizontalAdvance(text) + 6,
                      metrics.ascent() + metrics.descent() + 2),
               veil);
    p.drawText(baseline, text);
}

constexpr int kMaxDepthRows = 4;  // nested callbacks deeper than this share the last row

TimelineWidget::TimelineWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void TimelineWidget::setModel(const InspectorModel *model)
{
    m_model = model;
    m_selected = -1;
    m_arrows.clear();
    m_selectionStart = m_selectionEnd = 0;
    m_viewport = TimelineViewport();
    modelUpdated();
    m_viewport.showAll();
}

void TimelineWidget::setSamples(SampleTrack samples)
{
    m_samples = std::move(samples);
    update();
}

void TimelineWidget::modelUpdated()
{
    if (m_model)
        m_viewport.setBounds(m_model->startNs(), m_model->endNs());
    update();
}

void TimelineWidget::selectCallback(int callback)
{
    m_selected = callback;
    m_arrows = m_model && callback >= 0 ? Inspector::flowArrows(m_model->index(), callback) : std::vector<FlowArrow>{};
    update();
}

void TimelineWidget::revealCallback(int callback)
{
    if (!m_model || callback < 0 || callback >= int(m_model->index().callbacks().size()))
        return;
    const auto &cb = m_model->index().callbacks()[size_t(callback)];
    const double a = double(cb.startNs), b = double(m_model->endOf(cb));
    // Show the callback at least 1/20 of the view wide, with its cause's creation if near.
    double from = a, to = b;
    for (const FlowArrow &arrow : m_arrows)
        if (arrow.chainDepth == 0)
            from = std::min(from, double(arrow.fromNs));
    const double span = std::max({to - from, 20 * (b - a), TimelineViewport::kMinWidthNs * 20});
    if (from >= m_viewport.start() && to <= m_viewport.end() && m_viewport.width() <= 4 * span)
        return;
    const double middle = (from + to) / 2;
    m_viewport.setRange(middle - span * 0.6, middle + span * 0.6);
    update();
}

double TimelineWidget::callbackRowCentre(int callback) const
{
    const int rh = rowHeight();
    if (!m_model || callback < 0)
        return rh;  // no callback recorded: the time axis
    const int row = std::min(m_model->index().callbacks()[size_t(callback)].depth, kMaxDepthRows - 1);
    return callbackRowsTop() + row * rh + rh / 2.0;
}

void TimelineWidget::drawArrows(QPainter &p)
{
    if (m_arrows.empty())
        return;
    const int w = width(), rh = rowHeight();
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    // Deepest causes first, so the selection's own arrows are drawn on top.
    for (auto it = m_arrows.rbegin(); it != m_arrows.rend(); ++it) {
        const FlowArrow &a = *it;
        const auto &to = m_model->index().callbacks()[size_t(a.toCallback)];
        const double x0 = m_viewport.toPixels(double(a.fromNs), w), x1 = m_viewport.toPixels(double(to.startNs), w);
        if ((x0 < -w && x1 < -w) || (x0 > 2 * w && x1 > 2 * w))
            continue;
        const double y0 = callbackRowCentre(a.fromCallback), y1 = callbackRowCentre(a.toCallback);
        // Bow above the rows: a flow between two callbacks of one row must not hide them.
        const double lift = std::clamp(std::abs(x1 - x0) / 4, double(rh), 2.5 * rh);
        const double top = std::max(2.0, std::min(y0, y1) - lift);
        QPainterPath path(QPointF(x0, y0));
        path.cubicTo(QPointF(x0 + (x1 - x0) * 0.2, top), QPointF(x1 - (x1 - x0) * 0.2, top), QPointF(x1, y1 - rh / 2.0));
        const QColor colour = a.chainDepth == 0 ? QColor(192, 57, 43) : QColor(41, 128, 185);
        p.setPen(QPen(QColor(255, 255, 255, 200), a.chainDepth == 0 ? 5 : 4));  // a halo keeps it readable on any box
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setPen(QPen(colour, a.chainDepth == 0 ? 2.2 : 1.6));
        p.drawPath(path);
        p.setBrush(colour);
        p.drawEllipse(QPointF(x0, y0), 3, 3);
        // The head, pointing down into the callback it ran.
        const QPointF tip(x1, y1 - rh / 2.0);
        QPolygonF head;
        head << tip << tip + QPointF(-4, -7) << tip + QPointF(4, -7);
        p.drawPolygon(head);
    }
    p.restore();
}

int TimelineWidget::drawCounters(QPainter &p, int top)
{
    const int w = width(), rh = rowHeight();
    const double t0 = m_viewport.start(), t1 = m_viewport.end();
    const QColor label = palette().color(QPalette::PlaceholderText);
    for (int c = 0; c < int(Counter::Count); ++c) {
        const CounterTrack &track = m_model->counter(Counter(c));
        if (!track.size())
            continue;
        const bool lagOrUse = Counter(c) == Counter::LoopLag || Counter(c) == Counter::Utilisation;
        const double scale = Counter(c) == Counter::Utilisation ? 1.0 : std::max(1.0, track.maxValue());
        const QColor colour = Counter(c) == Counter::LoopLag ? QColor(192, 57, 43)
                              : Counter(c) == Counter::Utilisation ? QColor(39, 174, 96)
                                                                   : QColor(149, 165, 166, 170);
        const int h = rh + 2;
        p.fillRect(QRect(0, top + h - 1, w, 1), palette().color(QPalette::Midlight));
        for (int x = 0; x < w; ++x) {
            const auto a = std::uint64_t(std::max(0.0, t0 + (t1 - t0) * x / w));
            const auto b = std::uint64_t(std::max(0.0, t0 + (t1 - t0) * (x + 1) / w));
            // Samples show only where one was taken; levels hold between their changes.
            if (lagOrUse && track.firstAtOrAfter(a) == track.firstAtOrAfter(b))
                continue;
            const double v = track.maxIn(a, b);
            if (v <= 0)
                continue;
            const int bar = std::max(1, int(std::round((h - 3) * std::min(1.0, v / scale))));
            p.fillRect(QRect(x, top + h - 1 - bar, lagOrUse ? 2 : 1, bar), colour);
        }
        p.setPen(label);
        const QString max = Counter(c) == Counter::Utilisation ? QStringLiteral("0–1")
                            : Counter(c) == Counter::LoopLag ? tr("max %1 ms").arg(track.maxValue(), 0, 'f', 1)
                                                             : tr("max %1").arg(track.maxValue());
        const QString text = QStringLiteral("%1 · %2").arg(QString::fromLatin1(counterName(Counter(c))), max);
        drawTrackLabel(p, *this, QPointF(6, top + rh - 5), text);
        top += h;
    }
    return top;
}

QColor TimelineWidget::queueColour(int queue)
{
    switch (CallbackQueue(queue)) {
    case CallbackQueue::Timers: return QColor(230, 126, 34);
    case CallbackQueue::Pending: return QColor(149, 165, 166);
    case CallbackQueue::IdlePrepare: return QColor(127, 140, 141);
    case CallbackQueue::Poll: return QColor(52, 152, 219);
    case CallbackQueue::Check: return QColor(46, 204, 113);
    case CallbackQueue::Close: return QColor(231, 76, 60);
    case CallbackQueue::NextTick: return QColor(155, 89, 182);
    case CallbackQueue::Microtask: return QColor(241, 196, 15);
    case CallbackQueue::Main: return QColor(52, 73, 94);
    default: return QColor(189, 195, 199);
    }
}

QColor TimelineWidget::phaseColour(int phase)
{
    // Phases and the queues named after them share a hue, lighter.
    return queueColour(phase).lighter(140);
}

int TimelineWidget::rowHeight() const
{
    return fontMetrics().height() + 4;
}

int TimelineWidget::callbackRowsTop() const
{
    return 2 * rowHeight();  // below the time axis and the phases row
}

int TimelineWidget::callbackAtPixel(QPoint pos) const
{
    if (!m_model || width() <= 0)
        return -1;
    const int row = (pos.y() - callbackRowsTop()) / rowHeight();
    if (pos.y() < callbackRowsTop() || row >= kMaxDepthRows)
        return -1;
    const double ns = m_viewport.toNs(pos.x(), width());
    // Forgive a few pixels: tiny callbacks are still clickable.
    const double slack = 3 * m_viewport.width() / width();
    const auto &cbs = m_model->index().callbacks();
    int at = m_model->index().callbackAt(std::uint64_t(std::max(0.0, ns)));
    while (at >= 0 && std::min(cbs[size_t(at)].depth, kMaxDepthRows - 1) > row)
        at = cbs[size_t(at)].parent;
    if (at >= 0 && std::min(cbs[size_t(at)].depth, kMaxDepthRows - 1) == row)
        return at;
    const int next = m_model->index().firstCallbackAfter(std::uint64_t(std::max(0.0, ns)));
    if (next < int(cbs.size()) && double(cbs[size_t(next)].startNs) - ns <= slack
        && std::min(cbs[size_t(next)].depth, kMaxDepthRows - 1) == row)
        return next;
    return -1;
}

static QString timeLabel(double ns)
{
    if (ns >= 1e9)
        return QStringLiteral("%1 s").arg(ns / 1e9, 0, 'f', 3);
    if (ns >= 1e6)
        return QStringLiteral("%1 ms").arg(ns / 1e6, 0, 'f', 2);
    return QStringLiteral("%1 µs").arg(ns / 1e3, 0, 'f', 1);
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QElapsedTimer timer;
    timer.start();
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!m_model || m_model->endNs() <= m_model->startNs()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No trace yet: run a script with the inspector open."));
        return;
    }
    const int w = width();
    const int rh = rowHeight();
    const double t0 = m_viewport.start(), t1 = m_viewport.end();
    const double origin = double(m_model->startNs());
    const QColor textColour = palette().color(QPalette::Text);
    const QColor label = palette().color(QPalette::PlaceholderText);

    // Time axis: about one tick per 100 px at a round step.
    p.setPen(label);
    // The smallest of 1, 2, 5 × 10^k that leaves at least 100 px between labels.
    const double wanted = m_viewport.width() / std::max(1, w / 100);
    double step = std::pow(10.0, std::floor(std::log10(wanted)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * step >= wanted) {
            step *= m;
            break;
        }
    for (double t = std::ceil((t0 - origin) / step) * step; t + origin <= t1; t += step) {
        const double x = m_viewport.toPixels(t + origin, w);
        p.drawLine(QPointF(x, rh - 4), QPointF(x, rh));
        p.drawText(QPointF(x + 2, rh - 5), timeLabel(t));
    }

    // A track from LOD columns: each pixel column filled in the colour of its busiest category,
    // as tall as the share of the pixel's time that was busy (a busy loop is a solid band).
    auto drawLod = [&](const TimelineLod &lod, int top, int height, bool phases) {
        const std::vector<TimelineLod::Busy> cols = lod.columns(t0, t1, w);
        const double pixelNs = (t1 - t0) / w;
        for (int x = 0; x < w; ++x) {
            std::uint64_t total = 0, best = 0;
            int bestCat = 0;
            for (int c = 0; c < TimelineLod::kCategories; ++c) {
                total += cols[size_t(x)][size_t(c)];
                if (cols[size_t(x)][size_t(c)] > best) {
                    best = cols[size_t(x)][size_t(c)];
                    bestCat = c;
                }
            }
            if (!total)
                continue;
            const double share = std::min(1.0, double(total) / pixelNs);
            const int h = std::max(2, int(std::round(height * (phases ? 1.0 : share))));
            p.fillRect(QRect(x, top + height - h, 1, h), phases ? phaseColour(bestCat) : queueColour(bestCat));
        }
    };

    drawLod(m_model->phaseTrack(), rh, rh - 2, true);

    // Callbacks: zoomed in, one box per callback with nesting and names; zoomed out, LOD.
    const int cbTop = callbackRowsTop();
    const auto &cbs = m_model->index().callbacks();
    const std::size_t first = size_t(m_model->index().firstCallbackAfter(std::uint64_t(std::max(t0, 0.0))));
    bool detailed = true;
    {
        // Count what is in view, giving up early: more than 2 per pixel is LOD territory.
        std::size_t n = 0;
        for (std::size_t i = first; i < cbs.size() && double(cbs[i].startNs) < t1; ++i)
            if (++n > std::size_t(2 * w)) {
                detailed = false;
                break;
            }
    }
    if (!detailed) {
        drawLod(m_model->callbackTrack(), cbTop, rh * 2, false);
    } else {
        // Callbacks that started before the view but still run: walk up from the one at t0.
        std::vector<int> shown;
        for (int at = m_model->index().callbackAt(std::uint64_t(std::max(t0, 0.0))); at >= 0; at = cbs[size_t(at)].parent)
            if (double(cbs[size_t(at)].startNs) < t0)
                shown.push_back(at);
        for (std::size_t i = first; i < cbs.size() && double(cbs[i].startNs) < t1; ++i)
            shown.push_back(int(i));
        for (int i : shown) {
            const auto &cb = cbs[size_t(i)];
            const double x0 = m_viewport.toPixels(double(cb.startNs), w);
            const double x1 = m_viewport.toPixels(double(m_model->endOf(cb)), w);
            const int row = std::min(cb.depth, kMaxDepthRows - 1);
            const QRectF box(std::max(x0, -1.0), cbTop + row * rh, std::max(1.0, std::min(x1, w + 1.0) - std::max(x0, -1.0)), rh - 1);
            p.fillRect(box, queueColour(int(cb.queue)));
            if (i == m_selected) {
                p.setPen(QPen(textColour, 2));
                p.drawRect(box);
            }
            if (box.width() > 40) {
                p.setPen(Qt::black);
                const auto *res = m_model->index().resource(cb.asyncId);
                QString text = QString::fromLatin1(Runtime::callbackQueueName(cb.queue));
                if (res && res->name)
                    text = QString::fromStdString(m_model->index().string(res->name));
                else if (res)
                    text = QString::fromStdString(m_model->index().string(res->type));
                p.drawText(box.adjusted(2, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                           fontMetrics().elidedText(text, Qt::ElideRight, int(box.width()) - 4));
            }
        }
    }

    // CPU samples, under the callbacks they fell in: one tick per sample (per pixel), coloured
    // by the leaf function — the script's own code warm, node's and V8's internals blue.
    int top = cbTop + kMaxDepthRows * rh + 4;
    if (!m_samples.isEmpty()) {
        const auto [a, b] = m_samples.within(std::uint64_t(std::max(t0, 0.0)), std::uint64_t(std::max(t1, 0.0)));
        int lastSampleX = -1;
        const auto &times = m_samples.timesNs();
        for (std::size_t i = a > 0 ? a - 1 : a; i < b; ++i) {
            // A sample stands for the time until the next one (as DevTools counts it), capped
            // so that a gap in sampling does not paint a long bar.
            const double next = i + 1 < times.size() ? double(std::min(times[i + 1], times[i] + 10'000'000))
                                                     : double(times[i]) + 500'000;
            const int x = int(m_viewport.toPixels(double(times[i]), w));
            const int x1 = int(m_viewport.toPixels(next, w));
            if ((x == lastSampleX && x1 <= x + 1) || m_samples.isIdle(i))
                continue;
            lastSampleX = x;
            const auto &leaf = m_samples.leaf(i);
            const bool internal = leaf.url.empty() || leaf.url.starts_with("node:") || leaf.url.starts_with("loopscope:");
            const int jitter = int(std::hash<std::string>{}(leaf.functionName) % 40);
            p.fillRect(QRect(x, top + 2, std::max(1, x1 - x), rh - 4),
                       internal ? QColor::fromHsl(205, 110, 150 + jitter) : QColor::fromHsl(10 + jitter, 200, 130 + jitter));
        }
        p.setPen(label);
        drawTrackLabel(p, *this, QPointF(6, top + rh - 5), tr("CPU samples"));
        top += rh;
    }
    // Worker lanes, then console writes.
    for (size_t lane = 0; lane < m_model->workerTracks().size(); ++lane) {
        p.setPen(label);
        drawLod(m_model->workerTracks()[lane], top, rh - 2, false);
        drawTrackLabel(p, *this, QPointF(2, top + rh - 5), tr("worker %1").arg(lane + 1));
        top += rh;
    }
    const int consoleTop = top;
    const auto &writes = m_model->index().consoleWrites();
    const auto firstWrite = std::partition_point(writes.begin(), writes.end(),
                                                 [t0](const Runtime::IndexedConsoleWrite &c) { return double(c.timeNs) < t0; });
    int lastX = -1;
    for (auto it = firstWrite; it != writes.end() && double(it->timeNs) < t1; ++it) {
        const int x = int(m_viewport.toPixels(double(it->timeNs), w));
        if (x == lastX)
            continue;  // one tick per pixel
        lastX = x;
        p.fillRect(QRect(x, top + 2, 2, rh - 4), it->stream == 2 ? QColor(231, 76, 60) : textColour);
    }
    top = drawCounters(p, top + rh);
    drawArrows(p);
    p.setPen(label);
    drawTrackLabel(p, *this, QPointF(2, rh + rh - 6), tr("loop phases"));
    drawTrackLabel(p, *this, QPointF(2, cbTop + kMaxDepthRows * rh - 5), tr("callbacks"));
    drawTrackLabel(p, *this, QPointF(6, consoleTop + rh - 5), tr("console output"));

    if (m_selectionEnd > m_selectionStart) {
        const double x0 = m_viewport.toPixels(m_selectionStart, w), x1 = m_viewport.toPixels(m_selectionEnd, w);
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(60);
        p.fillRect(QRectF(x0, 0, x1 - x0, height()), fill);
    }
    m_lastPaintMs = double(timer.nsecsElapsed()) / 1e6;
}

void TimelineWidget::wheelEvent(QWheelEvent *event)
{
    if (!m_model || width() <= 0)
        return;
    m_viewport.zoom(event->position().x() / width(), std::pow(1.25, event->angleDelta().y() / 120.0));
    update();
    event->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressStart = m_viewport.start();
    m_pressEnd = m_viewport.end();
    m_dragging = false;
    m_selecting = (event->modifiers() & Qt::ShiftModifier) || event->button() == Qt::RightButton;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & (Qt::LeftButton | Qt::RightButton)) || width() <= 0)
        return;
    const QPoint pos = event->position().toPoint();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() > 4)
        m_dragging = true;
    if (!m_dragging)
        return;
    if (m_selecting) {
        const double a = m_viewport.toNs(m_pressPos.x(), width()), b = m_viewport.toNs(pos.x(), width());
        m_selectionStart = std::min(a, b);
        m_selectionEnd = std::max(a, b);
    } else {
        const double perPixel = (m_pressEnd - m_pressStart) / width();
        m_viewport.setRange(m_pressStart - (pos.x() - m_pressPos.x()) * perPixel,
                            m_pressEnd - (pos.x() - m_pressPos.x()) * perPixel);
    }
    update();
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging) {
        m_dragging = false;
        if (m_selecting && m_selectionEnd > m_selectionStart)
            Q_EMIT rangeSelected(m_selectionStart, m_selectionEnd);
        return;
    }
    const int cb = callbackAtPixel(event->position().toPoint());
    if (cb >= 0) {
        selectCallback(cb);
        Q_EMIT callbackSelected(cb);
    }
}

} // namespace Loopscope::Inspector
