#pragma once
// ThreadPoolPane — libuv's thread pool as a dockable pane of the shell.

#include "pane.h"

namespace Loopscope::ThreadPool {

class ThreadPoolPane final : public Ui::Pane {
public:
    explicit ThreadPoolPane(const Ui::PaneContext &context);
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::RightDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

private:
    Ui::TraceCursor *m_cursor;
};

} // namespace Loopscope::ThreadPool
