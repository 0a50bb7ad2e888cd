#pragma once
// The lesson plugin: one call registers the Lesson pane, which shows `course`'s current lesson.
// `course` must outlive the shell's panes.

namespace Loopscope::Ui { class PaneRegistry; }

namespace Loopscope::Lesson {

class LessonCourse;

void registerLessonPlugin(Ui::PaneRegistry &registry, LessonCourse *course);

} // namespace Loopscope::Lesson
