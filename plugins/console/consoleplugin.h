#pragma once
// The console plugin: one call registers its pane with the shell.

namespace Loopscope::Ui { class PaneRegistry; }

namespace Loopscope::Console {

void registerConsolePlugin(Ui::PaneRegistry &registry);

} // namespace Loopscope::Console
