#include "lessonsources.h"

#include <QSettings>

namespace Loopscope::App {

QStringList lessonsDirectories(const QString &shippedDir, const QSettings &settings, const QString &classroomDir)
{
    QStringList dirs;
    if (!shippedDir.isEmpty())
        dirs << shippedDir;
    if (!classroomDir.isEmpty() && !dirs.contains(classroomDir))
        dirs << classroomDir;
    const QString teacher = settings.value(QLatin1String(TeacherDirectoryKey)).toString();
    if (!teacher.isEmpty())
        dirs << teacher;
    return dirs;
}

} // namespace Loopscope::App
