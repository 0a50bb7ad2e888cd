#pragma once

namespace Loopscope::Inspector::Constants {
constexpr char PaneId[] = "Loopscope.Inspector.Pane";
constexpr int LiveUpdateIntervalMs = 100;  // how often a live trace is re-read
} // namespace Loopscope::Inspector::Constants
