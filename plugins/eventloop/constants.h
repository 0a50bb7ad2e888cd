#pragma once

namespace Loopscope::EventLoop::Constants {
constexpr char PaneId[] = "Loopscope.EventLoop.Pane";
constexpr int LiveUpdateIntervalMs = 33;  // a live run's index is read at most 30 times a second
constexpr int CardAnimationMs = 260;      // a card sliding from one queue to another
constexpr int VisibleCards = 6;           // per column; the rest are counted ("+ 12 more")
} // namespace Loopscope::EventLoop::Constants
