#pragma once
// The event-loop plugin: one call registers its pane with the shell.

namespace Loopscope::Ui { class PaneRegistry; }

namespace Loopscope::EventLoop {

void registerEventLoopPlugin(Ui::PaneRegistry &registry);

} // namespace Loopscope::EventLoop
