#pragma once
// The CPU profiler plugin: one call registers its pane with the shell.

namespace Loopscope::Ui { class PaneRegistry; }

namespace Loopscope::Profiler {

void registerProfilerPlugin(Ui::PaneRegistry &registry);

} // namespace Loopscope::Profiler
