#pragma once
// ThreadPoolView — draws a ThreadPoolModel: one lane per worker with each task as a bar from
// start to finish, labelled by kind; a queue row with the tasks waiting at the cursor; a loop
// row with a mark where each completion callback runs; a vertical line at the cursor.
// Colours are Okabe-Ito (safe for colour-blind readers) on the palette's own background, so
// light and dark themes both read; sizes follow the font, so the shell's zoom reaches it.
// GUI thread only.

#include "threadpoolmodel.h"

#include <QWidget>

namespace Loopscope::ThreadPool {

class ThreadPoolView final : public QWidget {
    Q_OBJECT
public:
    explicit ThreadPoolView(const ThreadPoolModel *model, QWidget *parent = nullptr);

    // Paints into any device (the widget, or a QImage in tests and benchmarks).
    void paint(QPainter &painter, const QRect &rect) const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // The time range the lanes show: the pool's activity, padded (the whole trace without any).
    std::pair<std::uint64_t, std::uint64_t> window() const;
    static QColor kindColour(const QString &label);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    const ThreadPoolModel *m_model;
};

} // namespace Loopscope::ThreadPool
