#pragma once

namespace Loopscope::ThreadPool::Constants {
constexpr char PaneId[] = "Loopscope.ThreadPool.Pane";  // lessons name it in lesson.json "pane"
} // namespace Loopscope::ThreadPool::Constants
