#include "lessonsources.h"

#include <QSettings>

namespace Loopscope::App {

QStringList lessonsDirectories(const QString &shippedDir, const QSettings &settings)
{
    QStringList dirs;
    if (!shippedDir.isEmpty())
        dirs << shippedDir;
    const QString teacher = settings.value(QLatin1String(TeacherDirectoryKey)).toString();
    if (!teacher.isEmpty())
        dirs << teacher;
    return dirs;
}

} // namespace Loopscope::App
