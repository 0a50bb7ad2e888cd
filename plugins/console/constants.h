#pragma once

namespace Loopscope::Console::Constants {
constexpr char PaneId[] = "Loopscope.Console.Pane";
constexpr int DefaultLineCap = 100000;
constexpr char LineCapKey[] = "Console/lineCap";  // lines kept; older ones are dropped
constexpr int FlushIntervalMs = 16;      // at most one document update per frame
constexpr int FlushBudgetMs = 8;         // GUI time one update may take before yielding
} // namespace Loopscope::Console::Constants
