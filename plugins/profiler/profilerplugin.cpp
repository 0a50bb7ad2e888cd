#include "profilerplugin.h"

#include "paneregistry.h"
#include "profilerpane.h"

namespace Loopscope::Profiler {

void registerProfilerPlugin(Ui::PaneRegistry &registry)
{
    registry.registerPane([](const Ui::PaneContext &context) { return std::make_unique<ProfilerPane>(context); });
}

} // namespace Loopscope::Profiler
