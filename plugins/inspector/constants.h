#pragma once

#include <cstddef>

namespace Loopscope::Inspector::Constants {
constexpr char PaneId[] = "Loopscope.Inspector.Pane";
constexpr int LiveUpdateIntervalMs = 100;  // how often a live trace is re-read
// Records read per update of a live trace (a few ms of the GUI thread); a backlog is read in
// such slices over several event-loop turns, the timeline repainting in between.
constexpr std::size_t LiveUpdateRecords = 10000;
} // namespace Loopscope::Inspector::Constants
