#include "consolepane.h"

#include "consolewidget.h"
#include "constants.h"

#include <QCoreApplication>

namespace Loopscope::Console {

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
    return new ConsoleWidget(m_context.runController, parent);
}

} // namespace Loopscope::Console
