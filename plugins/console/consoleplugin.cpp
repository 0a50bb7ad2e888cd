#include "consoleplugin.h"

#include "consolepane.h"
#include "paneregistry.h"

namespace Loopscope::Console {

void registerConsolePlugin(Ui::PaneRegistry &registry)
{
    registry.registerPane([](const Ui::PaneContext &context) { return std::make_unique<ConsolePane>(context); });
}

} // namespace Loopscope::Console
