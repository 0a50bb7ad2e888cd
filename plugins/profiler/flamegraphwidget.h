#pragma once
// FlameGraphWidget — paints a FlameGraphLayout as an icicle graph (root on top) and forwards
// input: the wheel zooms around the mouse, dragging pans, a click zooms into the frame under
// the mouse and reports it (frameActivated: the pane shows its source line), a double click on
// empty space or Escape shows everything again. Search matches are highlighted. GUI thread.

#include "flamegraphlayout.h"

#include <QWidget>

#include <unordered_set>

namespace Loopscope::Profiler {

class FlameGraphWidget final : public QWidget {
    Q_OBJECT
public:
    explicit FlameGraphWidget(QWidget *parent = nullptr);

    void setLayout(FlameGraphLayout layout);
    const FlameGraphLayout &flameLayout() const { return m_layout; }
    FlameRange visibleRange() const { return m_range; }
    void setVisibleRange(FlameRange range);
    void zoomToFrame(int frame);
    void resetZoom();
    // Highlights frames matching `text`; returns the share of total time they cover (0..1).
    double setSearchText(const QString &text);

    int frameAtPixel(QPoint pos) const;
    QSize sizeHint() const override { return {600, 260}; }
    QSize minimumSizeHint() const override { return {200, 80}; }

Q_SIGNALS:
    void frameActivated(int frame);
    void frameHovered(int frame);  // -1 when the mouse leaves frames

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    int rowHeight() const;
    QColor colourOf(int frame) const;

    FlameGraphLayout m_layout;
    FlameRange m_range;
    std::unordered_set<int> m_matches;
    bool m_searching = false;
    int m_hovered = -1;
    QPoint m_pressPos;
    FlameRange m_pressRange;
    bool m_dragging = false;
};

} // namespace Loopscope::Profiler
