#pragma once
// ConsolePane — the console as a dockable pane of the shell.

#include "pane.h"

#include <functional>
#include <memory>

namespace Loopscope::Console {

class ConsoleSession;

// The session starts with the pane, so output is kept even while the view is not created yet.
class ConsolePane final : public Ui::Pane {
public:
    explicit ConsolePane(const Ui::PaneContext &context);
    ~ConsolePane() override;
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::BottomDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

    ConsoleSession *session() const { return m_session.get(); }

private:
    void followCursor(Ui::TraceCursor *cursor);

    std::unique_ptr<ConsoleSession> m_session;
    std::function<void(const QString &, int, int)> m_showSourceLocation;
};

} // namespace Loopscope::Console
