#pragma once
// ConsolePane — the console as a dockable pane of the shell.

#include "pane.h"

namespace Loopscope::Console {

class ConsolePane final : public Ui::Pane {
public:
    explicit ConsolePane(const Ui::PaneContext &context) : m_context(context) {}
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::BottomDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

private:
    Ui::PaneContext m_context;
};

} // namespace Loopscope::Console
