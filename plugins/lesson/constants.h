#pragma once

namespace Loopscope::Lesson::Constants {
constexpr char PaneId[] = "Loopscope.Lesson.Pane";
// Per-lesson progress lives under "Lessons/progress/<lesson id>/..." in the user's settings.
constexpr char ProgressGroup[] = "Lessons/progress";
} // namespace Loopscope::Lesson::Constants
