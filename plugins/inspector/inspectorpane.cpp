#include "inspectorpane.h"

#include "constants.h"
#include "inspectorwidget.h"
#include "paneregistry.h"

#include <QCoreApplication>

namespace Loopscope::Inspector {

QString InspectorPane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString InspectorPane::displayName() const
{
    return QCoreApplication::translate("Loopscope::Inspector", "Async Inspector");
}

QWidget *InspectorPane::createWidget(QWidget *parent)
{
    // Made when the dock is first shown: from then on runs are traced for it.
    auto *widget = new InspectorWidget(m_context.runController, parent);
    if (m_context.showSourceLocation)
        QObject::connect(widget, &InspectorWidget::sourceLocationActivated, widget, m_context.showSourceLocation);
    return widget;
}

void registerInspectorPlugin(Ui::PaneRegistry &registry)
{
    registry.registerPane([](const Ui::PaneContext &context) { return std::make_unique<InspectorPane>(context); });
}

} // namespace Loopscope::Inspector
