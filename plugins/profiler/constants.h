#pragma once

namespace Loopscope::Profiler::Constants {
constexpr char PaneId[] = "Loopscope.Profiler.Pane";
constexpr char IntervalKey[] = "Profiler/intervalUs";  // µs between samples for Run ▸ Profile
constexpr int DefaultIntervalUs = 500;
} // namespace Loopscope::Profiler::Constants
