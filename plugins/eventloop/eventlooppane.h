#pragma once
// EventLoopPane — the Event loop view as a dockable pane. Its session exists with the pane, so
// runs are traced (RunController::setTracing) and followed even before the view is first shown.

#include "pane.h"

#include <functional>
#include <memory>

namespace Loopscope::EventLoop {

class EventLoopSession;

class EventLoopPane final : public Ui::Pane {
public:
    explicit EventLoopPane(const Ui::PaneContext &context);
    ~EventLoopPane() override;
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::RightDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

    EventLoopSession *session() const { return m_session.get(); }

private:
    std::unique_ptr<EventLoopSession> m_session;
    std::function<void(const QString &, int)> m_highlightSourceLine;
};

} // namespace Loopscope::EventLoop
