#pragma once
// TimelineWidget — paints an InspectorModel as tracks on one time axis: the loop's phases, its
// callbacks (coloured by queue, nested callbacks below their parent), each worker lane and the
// console writes. Zoomed out, tracks are drawn from the LOD columns (one per pixel); zoomed in,
// callback by callback. Input: the wheel zooms around the mouse, dragging pans, Shift+drag
// selects a range (rangeSelected), a click selects a callback (callbackSelected). A selected
// callback gets flow arrows from its resource's creation to its run(s), and up its causal chain
// (FlowArrows). Below the lanes, counter tracks: queue lengths, loop lag and utilisation.
// GUI thread.

#include "flowarrows.h"
#include "sampletrack.h"
#include "timelineviewport.h"

#include <QWidget>

namespace Loopscope::Inspector {

class InspectorModel;

class TimelineWidget final : public QWidget {
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget *parent = nullptr);

    void setModel(const InspectorModel *model);  // not owned; null for none
    // CPU samples of the same run, drawn in a row under the callbacks (empty: no row).
    void setSamples(SampleTrack samples);
    void modelUpdated();                         // the model grew: new bounds, repaint
    TimelineViewport &viewport() { return m_viewport; }
    int selectedCallback() const { return m_selected; }
    void selectCallback(int callback);
    const std::vector<FlowArrow> &flowArrows() const { return m_arrows; }
    // Brings a callback into view: zooms so it (and its arrows) are readable, keeps the zoom if so.
    void revealCallback(int callback);
    int callbackAtPixel(QPoint pos) const;
    double lastPaintMs() const { return m_lastPaintMs; }

    static QColor queueColour(int queue);
    static QColor phaseColour(int phase);
    QSize sizeHint() const override { return {800, 360}; }

Q_SIGNALS:
    void callbackSelected(int callback);
    void rangeSelected(double startNs, double endNs);

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    int rowHeight() const;
    int callbackRowsTop() const;

    int drawCounters(QPainter &p, int top);
    void drawArrows(QPainter &p);
    double callbackRowCentre(int callback) const;

    const InspectorModel *m_model = nullptr;
    std::vector<FlowArrow> m_arrows;
    SampleTrack m_samples;
    TimelineViewport m_viewport;
    int m_selected = -1;
    QPoint m_pressPos;
    double m_pressStart = 0, m_pressEnd = 0;
    bool m_dragging = false;
    bool m_selecting = false;
    double m_selectionStart = 0, m_selectionEnd = 0;  // ns; equal: none
    double m_lastPaintMs = 0;
};

} // namespace Loopscope::Inspector
