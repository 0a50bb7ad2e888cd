#include "eventloopplugin.h"

#include "eventlooppane.h"
#include "paneregistry.h"

namespace Loopscope::EventLoop {

void registerEventLoopPlugin(Ui::PaneRegistry &registry)
{
    registry.registerPane([](const Ui::PaneContext &context) { return std::make_unique<EventLoopPane>(context); });
}

} // namespace Loopscope::EventLoop
