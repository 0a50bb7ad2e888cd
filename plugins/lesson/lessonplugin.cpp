#include "lessonplugin.h"

#include "lessonpane.h"
#include "paneregistry.h"

namespace Loopscope::Lesson {

void registerLessonPlugin(Ui::PaneRegistry &registry, LessonCourse *course)
{
    registry.registerPane([course](const Ui::PaneContext &context) -> std::unique_ptr<Ui::Pane> {
        if (!course)
            return nullptr;
        return std::make_unique<LessonPane>(course, context);
    });
}

} // namespace Loopscope::Lesson
