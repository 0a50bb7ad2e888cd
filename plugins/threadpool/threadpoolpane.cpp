#include "threadpoolpane.h"

#include "constants.h"
#include "threadpoolwidget.h"

#include <QCoreApplication>

namespace Loopscope::ThreadPool {

ThreadPoolPane::ThreadPoolPane(const Ui::PaneContext &context)
    : m_cursor(context.traceCursor)
{
}

QString ThreadPoolPane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString ThreadPoolPane::displayName() const
{
    return QCoreApplication::translate("Loopscope::ThreadPool", "Thread pool");
}

QWidget *ThreadPoolPane::createWidget(QWidget *parent)
{
    return new ThreadPoolWidget(m_cursor, parent);
}

} // namespace Loopscope::ThreadPool
