#include "consolepane.h"

#include "consolesession.h"
#include "consolewidget.h"
#include "constants.h"

#include <QCoreApplication>
#include <QSettings>

namespace Loopscope::Console {

ConsolePane::ConsolePane(const Ui::PaneContext &context)
    : m_session(std::make_unique<ConsoleSession>(context.runController))
    , m_showSourceLocation(context.showSourceLocation)
{
    if (context.settings)
        m_session->buffer().setLineCap(
            context.settings->value(QLatin1String(Constants::LineCapKey), Constants::DefaultLineCap).toInt());
}

ConsolePane::~ConsolePane() = default;

QString ConsolePane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString ConsolePane::displayName() const
{
    return QCoreApplication::translate("Loopscope::Console", "Console");
}

QWidget *ConsolePane::createWidget(QWidget *parent)
{
    auto *widget = new ConsoleWidget(m_session.get(), parent);
    if (m_showSourceLocation)
        QObject::connect(widget, &ConsoleWidget::sourceLocationActivated, widget, m_showSourceLocation);
    return widget;
}

} // namespace Loopscope::Console
