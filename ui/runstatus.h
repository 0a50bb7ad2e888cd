#pragma once
// runstatus — the words the status bar uses for a run's state. Kept apart from the window so
// every state's text is tested without one.

#include "runtypes.h"

#include <QString>

#include <optional>

namespace Loopscope::Ui {

// "Idle", "Running for 3 s", "Exited with code 0", "Stopped", "Crashed: <why>".
QString runStateText(bool running, qint64 elapsedMs, const std::optional<Runtime::RunResult> &last);
// "Paused before timers callback Timeout at line 3", "Paused before the main module",
// "Playing: before ..." while a step rate plays.
QString pausedText(const Runtime::PausePoint &point);
// "12 ms", "1.25 s", "2 min 5 s"
QString durationText(double ms);

} // namespace Loopscope::Ui
