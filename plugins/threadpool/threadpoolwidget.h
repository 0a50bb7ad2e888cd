#pragma once
// ThreadPoolWidget — the thread-pool pane's view: the pool's state at the window's trace cursor
// (a selectable summary line above the lanes). Follows the cursor: a new trace, a grown index,
// a moved cursor each recompute the model and repaint. GUI thread only.

#include "threadpoolmodel.h"

#include <QPointer>
#include <QWidget>

class QLabel;

namespace Loopscope::Ui { class TraceCursor; }

namespace Loopscope::ThreadPool {

class ThreadPoolView;

class ThreadPoolWidget final : public QWidget {
    Q_OBJECT
public:
    explicit ThreadPoolWidget(Ui::TraceCursor *cursor, QWidget *parent = nullptr);

    const ThreadPoolModel &model() const { return m_model; }
    ThreadPoolView *view() const { return m_view; }
    QString summaryText() const;

private:
    void reindex();  // a new trace, or it grew
    void refresh();  // the cursor moved

    QPointer<Ui::TraceCursor> m_cursor;
    ThreadPoolModel m_model;
    QLabel *m_summary;
    ThreadPoolView *m_view;
};

} // namespace Loopscope::ThreadPool
