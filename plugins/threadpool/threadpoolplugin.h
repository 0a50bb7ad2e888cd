#pragma once
// The thread-pool plugin: one call registers its pane with the shell.

namespace Loopscope::Ui { class PaneRegistry; }

namespace Loopscope::ThreadPool {

void registerThreadPoolPlugin(Ui::PaneRegistry &registry);

} // namespace Loopscope::ThreadPool
