#include "eventlooppane.h"

#include "constants.h"
#include "eventloopsession.h"
#include "eventloopview.h"

#include <QCoreApplication>
#include <QScrollArea>

namespace Loopscope::EventLoop {

EventLoopPane::EventLoopPane(const Ui::PaneContext &context)
    : m_session(std::make_unique<EventLoopSession>(context.runController, context.traceCursor))
    , m_highlightSourceLine(context.highlightSourceLine)
{
}

EventLoopPane::~EventLoopPane() = default;

QString EventLoopPane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString EventLoopPane::displayName() const
{
    return QCoreApplication::translate("Loopscope::EventLoop", "Event loop");
}

QWidget *EventLoopPane::createWidget(QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setObjectName(QStringLiteral("eventLoopScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *view = new EventLoopView(m_session->model(), scroll);
    view->setObjectName(QStringLiteral("eventLoopView"));
    if (m_highlightSourceLine)
        view->setSourceLineHighlighter(m_highlightSourceLine);
    scroll->setWidget(view);
    return scroll;
}

} // namespace Loopscope::EventLoop
