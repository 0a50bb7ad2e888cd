#pragma once
// InspectorPane — the async-trace inspector as a dockable pane of the shell.

#include "pane.h"

namespace Loopscope::Ui { class PaneRegistry; }

namespace Loopscope::Inspector {

class InspectorPane final : public Ui::Pane {
public:
    explicit InspectorPane(const Ui::PaneContext &context) : m_context(context) {}
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::BottomDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

private:
    Ui::PaneContext m_context;
};

void registerInspectorPlugin(Ui::PaneRegistry &registry);

} // namespace Loopscope::Inspector
