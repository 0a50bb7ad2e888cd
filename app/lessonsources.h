#pragma once
// lessonsources — which lessons folders the IDE loads, in order. The shipped course comes first;
// then the administrator's classroom folder (LessonsDir, app/classroompolicy.h), then the user's
// teacher folder (File ▸ Lessons ▸ Add Lessons Folder, settings key "Lessons/teacherDirectory"). LessonCatalog::load()
// takes the list as it is; a missing folder is reported as a problem, never fatal.

#include <QStringList>

class QSettings;

namespace Loopscope::App {

constexpr char TeacherDirectoryKey[] = "Lessons/teacherDirectory";

QStringList lessonsDirectories(const QString &shippedDir, const QSettings &settings,
                               const QString &classroomDir = {});

} // namespace Loopscope::App
