#pragma once
// lessonsources — which lessons folders the IDE loads, in order. The shipped course comes first;
// then folders added by configuration: today the user's teacher folder (File ▸ Lessons ▸ Add
// Lessons Folder, settings key "Lessons/teacherDirectory"). A system-wide folder (the installer's
// classroom option) belongs in this list too, after the shipped course. LessonCatalog::load()
// takes the list as it is; a missing folder is reported as a problem, never fatal.

#include <QStringList>

class QSettings;

namespace Loopscope::App {

constexpr char TeacherDirectoryKey[] = "Lessons/teacherDirectory";

QStringList lessonsDirectories(const QString &shippedDir, const QSettings &settings);

} // namespace Loopscope::App
