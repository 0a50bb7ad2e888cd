#include "threadpoolplugin.h"

#include "paneregistry.h"
#include "threadpoolpane.h"

namespace Loopscope::ThreadPool {

void registerThreadPoolPlugin(Ui::PaneRegistry &registry)
{
    registry.registerPane([](const Ui::PaneContext &context) { return std::make_unique<ThreadPoolPane>(context); });
}

} // namespace Loopscope::ThreadPool
