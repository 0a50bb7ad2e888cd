#include "threadpoolview.h"

#include "traceindex.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace Loopscope::ThreadPool {

namespace {

// Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
constexpr QRgb kOrange = 0xE69F00, kSkyBlue = 0x56B4E9, kBluishGreen = 0x009E73, kBlue = 0x0072B2,
               kVermillion = 0xD55E00, kReddishPurple = 0xCC79A7, kYellow = 0xF0E442;

QColor textOn(const QColor &fill)
{
    return fill.lightnessF() > 0.55 || qGray(fill.rgb()) > 120 ? QColor(Qt::black) : QColor(Qt::white);
}

QString msText(double ms)
{
    return ms >= 100 ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 0) : QStringLiteral("%1 ms").arg(ms, 0, 'g', 3);
}

} // namespace

ThreadPoolView::ThreadPoolView(const ThreadPoolModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("Loopscope.ThreadPool.View"));
    setAccessibleName(tr("Thread pool lanes"));
    setMinimumHeight(80);
}

QColor ThreadPoolView::kindColour(const QString &label)
{
    if (label.startsWith(QLatin1String("fs.")))
        return QColor::fromRgb(kBlue);
    if (label.startsWith(QLatin1String("dns")))
        return QColor::fromRgb(kBluishGreen);
    if (label == QLatin1String("zlib") || label.startsWith(QLatin1String("gzip")) || label.startsWith(QLatin1String("deflate")))
        return QColor::fromRgb(kReddishPurple);
    if (label == QLatin1String("work"))
        return QColor::fromRgb(kSkyBlue);
    if (label == QLatin1String("random") || label == QLatin1String("randomBytes"))
        return QColor::fromRgb(kYellow);
    return QColor::fromRgb(kOrange);  // crypto and the rest
}

QSize ThreadPoolView::sizeHint() const
{
    const int row = fontMetrics().height() * 2;
    return {640, row * (std::max(4, m_model->laneCount()) + 3) + fontMetrics().height()};
}

QSize ThreadPoolView::minimumSizeHint() const
{
    return {240, fontMetrics().height() * 6};
}

std::pair<std::uint64_t, std::uint64_t> ThreadPoolView::window() const
{
    if (!m_model->index())
        return {0, 1};
    const std::uint64_t first = m_model->activityStartNs(), last = m_model->activityEndNs();
    const std::uint64_t pad = (last - first) / 40;
    return {first > pad ? first - pad : 0, last + pad};
}

void ThreadPoolView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paint(painter, rect());
}

void ThreadPoolView::paint(QPainter &p, const QRect &rect) const
{
    const QPalette &pal = palette();
    p.fillRect(rect, pal.color(QPalette::Base));
    p.setFont(font());
    const QFontMetrics fm(font());
    const Runtime::TraceIndex *index = m_model->index();
    if (!index) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, tr("No trace yet: run a script, or open a saved trace."));
        return;
    }
    const auto &tasks = index->poolTasks();
    const int lanes = m_model->laneCount();
    const int rowH = fm.height() * 2;
    const int gutter = fm.horizontalAdvance(tr("worker %1").arg(std::max(lanes, 10))) + fm.averageCharWidth() * 2;
    const QColor text = pal.color(QPalette::Text);
    QColor faint = text;
    faint.setAlphaF(0.35);
    QColor grid = text;
    grid.setAlphaF(0.12);

    // Rows: the queue, one per worker, the loop, the time axis.
    const int top = rect.top() + 2;
    const QRect queueRow(rect.left(), top, rect.width(), rowH);
    auto laneRect = [&](int lane) { return QRect(rect.left(), top + rowH * (lane + 1), rect.width(), rowH); };
    const QRect loopRow(rect.left(), top + rowH * (lanes + 1), rect.width(), rowH);
    const int axisY = loopRow.bottom() + 2;
    const int x0 = rect.left() + gutter, x1 = rect.right() - fm.averageCharWidth();
    const auto [w0, w1] = window();
    const double nsPerPx = double(w1 - w0) / std::max(1, x1 - x0);
    auto xAt = [&](std::uint64_t ns) {
        return x0 + int((double(std::clamp(ns, w0, w1)) - double(w0)) / nsPerPx);
    };
    const std::uint64_t now = m_model->time();

    // Row labels and lane backgrounds.
    p.setPen(text);
    p.drawText(QRect(rect.left() + 4, queueRow.top(), gutter - 8, rowH), Qt::AlignVCenter | Qt::AlignLeft, tr("queue"));
    for (int lane = 0; lane < lanes; ++lane) {
        const QRect r = laneRect(lane);
        if (lane % 2 == 0)
            p.fillRect(QRect(x0, r.top(), x1 - x0, r.height()), grid);
        const bool busy = m_model->laneTasks()[std::size_t(lane)] >= 0;
        QFont f = font();
        f.setBold(busy);
        p.setFont(f);
        p.setPen(busy ? text : faint);
        p.drawText(QRect(rect.left() + 4, r.top(), gutter - 8, rowH), Qt::AlignVCenter | Qt::AlignLeft,
                   tr("worker %1").arg(lane + 1));
    }
    p.setFont(font());
    p.setPen(text);
    p.drawText(QRect(rect.left() + 4, loopRow.top(), gutter - 8, rowH), Qt::AlignVCenter | Qt::AlignLeft, tr("loop"));

    // Bars: what ran on each worker, start to finish. Solid up to the cursor, outlined after it.
    std::vector<int> lastX(std::size_t(std::max(lanes, 1)), INT_MIN);
    const int barPad = std::max(2, rowH / 6);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const auto &t = tasks[i];
        if (t.lane < 0 || t.lane >= lanes || !t.startNs)
            continue;
        const std::uint64_t finish = t.finishNs ? t.finishNs : index->endNs();
        const int a = xAt(t.startNs), b = std::max(xAt(finish), a + 2);
        if (b - a <= 2 && a <= lastX[std::size_t(t.lane)])
            continue;  // sub-pixel tasks in a column already drawn: a million cost no more than the width
        lastX[std::size_t(t.lane)] = a;
        const QRect lane = laneRect(t.lane);
        const QRect bar(a, lane.top() + barPad, b - a, lane.height() - 2 * barPad);
        const QString &label = m_model->taskLabel(int(i));
        const QColor fill = kindColour(label);
        const ThreadPoolModel::TaskState state = m_model->stateAt(int(i), now);
        if (bar.width() < 6 && state != ThreadPoolModel::TaskState::Running) {
            // Too narrow for an outline or a label: a plain fill, faint if it lies ahead.
            QColor c = fill;
            if (state == ThreadPoolModel::TaskState::NotYet || state == ThreadPoolModel::TaskState::Queued)
                c.setAlphaF(0.35);
            p.fillRect(bar, c);
            continue;
        }
        if (state == ThreadPoolModel::TaskState::Running) {
            const int c = std::clamp(xAt(now), a, b);
            p.fillRect(QRect(a, bar.top(), c - a, bar.height()), fill);
            QColor later = fill;
            later.setAlphaF(0.45);
            p.fillRect(QRect(c, bar.top(), b - c, bar.height()), later);
            p.setPen(QPen(text, 2));
            p.drawRect(bar.adjusted(0, 0, -1, -1));
        } else if (state == ThreadPoolModel::TaskState::Finished || state == ThreadPoolModel::TaskState::Completed) {
            p.fillRect(bar, fill);
        } else {
            p.setPen(QPen(fill, 1.5, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRect(bar.adjusted(0, 0, -1, -1));
        }
        if (bar.width() > fm.averageCharWidth() * 4) {
            const bool filled = state != ThreadPoolModel::TaskState::NotYet && state != ThreadPoolModel::TaskState::Queued;
            p.setPen(filled ? textOn(fill) : text);
            p.drawText(bar.adjusted(4, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                       fm.elidedText(label, Qt::ElideRight, bar.width() - 6));
        }
    }

    // The queue at the cursor: first in, first out, as chips.
    int x = x0;
    const std::vector<int> &queued = m_model->queuedTasks();
    for (std::size_t k = 0; k < queued.size(); ++k) {
        const QString &label = m_model->taskLabel(queued[k]);
        const int w = fm.horizontalAdvance(label) + fm.averageCharWidth() * 2;
        if (x + w > x1 - fm.horizontalAdvance(QStringLiteral("+0000 more"))) {
            p.setPen(text);
            p.drawText(QRect(x, queueRow.top(), x1 - x, rowH), Qt::AlignVCenter | Qt::AlignLeft,
                       tr("+%1 more").arg(queued.size() - k));
            break;
        }
        const QRect chip(x, queueRow.top() + barPad, w, rowH - 2 * barPad);
        const QColor fill = kindColour(label);
        p.setPen(QPen(fill, 2));
        p.setBrush(pal.color(QPalette::Base));
        p.drawRoundedRect(chip.adjusted(1, 1, -1, -1), 4, 4);
        p.setPen(text);
        p.drawText(chip, Qt::AlignCenter, label);
        x += w + fm.averageCharWidth();
    }
    if (queued.empty()) {
        p.setPen(faint);
        p.drawText(QRect(x0, queueRow.top(), x1 - x0, rowH), Qt::AlignVCenter | Qt::AlignLeft, tr("empty"));
    }

    // The loop row: a mark where each completion callback runs back on the loop thread.
    const int markH = rowH / 3;
    int lastMark = INT_MIN;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const auto &t = tasks[i];
        if (!t.completeNs)
            continue;
        const int mx = xAt(t.completeNs);
        if (mx == lastMark)
            continue;
        const QColor fill = kindColour(m_model->taskLabel(int(i)));
        if (mx - lastMark < markH) {  // crowded: a tick, not a diamond
            lastMark = mx;
            p.setPen(QPen(fill, 1));
            p.drawLine(mx, loopRow.center().y() - markH, mx, loopRow.center().y() + markH);
            continue;
        }
        lastMark = mx;
        QPainterPath diamond;
        const int cy = loopRow.center().y();
        diamond.moveTo(mx, cy - markH);
        diamond.lineTo(mx + markH * 2 / 3, cy);
        diamond.lineTo(mx, cy + markH);
        diamond.lineTo(mx - markH * 2 / 3, cy);
        diamond.closeSubpath();
        if (t.completeNs <= now)
            p.fillPath(diamond, fill);
        p.setPen(QPen(t.completeNs <= now ? text : fill, 1));
        p.drawPath(diamond);
    }

    // Time axis: ms since the trace started.
    p.setPen(faint);
    p.drawLine(x0, axisY, x1, axisY);
    const double spanMs = double(w1 - w0) / 1e6;
    const int ticks = std::max(2, (x1 - x0) / (fm.horizontalAdvance(QStringLiteral("0000.0 ms")) * 2));
    p.setPen(text);
    for (int k = 0; k <= ticks; ++k) {
        const int tx = x0 + (x1 - x0) * k / ticks;
        const double ms = double(w0 - std::min(w0, index->startNs())) / 1e6 + spanMs * k / ticks;
        p.drawLine(tx, axisY, tx, axisY + 4);
        const QString label = msText(ms);
        const int lw = fm.horizontalAdvance(label);
        p.drawText(std::clamp(tx - lw / 2, x0 - gutter / 2, x1 - lw), axisY + 4 + fm.ascent(), label);
    }

    // The cursor.
    if (now >= w0 && now <= w1) {
        const int cx = xAt(now);
        p.setPen(QPen(QColor::fromRgb(kVermillion), 2));
        p.drawLine(cx, queueRow.bottom(), cx, loopRow.bottom());
    }
}

} // namespace Loopscope::ThreadPool
