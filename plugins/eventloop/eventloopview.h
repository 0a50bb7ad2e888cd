#pragma once
// EventLoopView — draws a LoopState: libuv's six phases as a loop with the current one lit, the
// call stack, the nextTick and microtask queues as stacks of cards, each phase's pending work,
// and the counters. Cards are widgets (selectable text, accessible names, hover); a card that
// stays between two states slides to its new place, so a callback visibly moves from its queue
// onto the call stack. Sizes follow the font, so the view scales with the zoom.
//
// Threads: GUI thread.

#include "loopstatemodel.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QLabel;

namespace Loopscope::EventLoop {

class LoopCardWidget;

class EventLoopView final : public QWidget {
    Q_OBJECT
public:
    explicit EventLoopView(LoopStateModel *model, QWidget *parent = nullptr);
    ~EventLoopView() override;

    // Marks a line in the editor (the running callback's, or in step mode the one about to run;
    // a hovered card's). Optional.
    void setSourceLineHighlighter(std::function<void(const QString &path, int line)> highlight);

    // Card animations (off in tests: geometry is then final at once).
    static void setAnimationsEnabled(bool enabled);
    static bool animationsEnabled();

    // For tests: the cards shown in a column ("callStack", "nextTicks", "microtasks", "timers",
    // "io", "immediates", "closing").
    QList<LoopCardWidget *> cardsIn(const QString &column) const;
    QString countersText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Column;
    void showState();
    void relayout(bool animate);
    void highlightRunning();
    QRect ringRect() const;

    LoopStateModel *m_model;
    std::function<void(const QString &, int)> m_highlight;
    QList<Column *> m_columns;
    QLabel *m_counters;
    bool m_hovering = false;
    QSize m_contentSize;
};

} // namespace Loopscope::EventLoop
