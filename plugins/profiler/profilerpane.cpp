#include "profilerpane.h"

#include "constants.h"
#include "profilerwidget.h"
#include "profilesession.h"

#include <QCoreApplication>

namespace Loopscope::Profiler {

ProfilerPane::ProfilerPane(const Ui::PaneContext &context)
    : m_session(std::make_unique<ProfileSession>(context.runController))
    , m_settings(context.settings)
    , m_showSourceLocation(context.showSourceLocation)
{
}

ProfilerPane::~ProfilerPane() = default;

QString ProfilerPane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString ProfilerPane::displayName() const
{
    return QCoreApplication::translate("Loopscope::Profiler", "CPU Profile");
}

QWidget *ProfilerPane::createWidget(QWidget *parent)
{
    auto *widget = new ProfilerWidget(m_session.get(), m_settings, parent);
    if (m_showSourceLocation)
        QObject::connect(widget, &ProfilerWidget::sourceLocationActivated, widget, m_showSourceLocation);
    return widget;
}

} // namespace Loopscope::Profiler
