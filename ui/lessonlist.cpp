#include "lessonlist.h"

#include <QFileInfo>

namespace Loopscope::Ui {

bool isInside(const QString &filePath, const QString &directory)
{
    if (filePath.isEmpty() || directory.isEmpty())
        return false;
    const QString file = QFileInfo(filePath).canonicalFilePath();
    const QString dir = QFileInfo(directory).canonicalFilePath();
    return !file.isEmpty() && !dir.isEmpty() && file.startsWith(dir + QLatin1Char('/'));
}

} // namespace Loopscope::Ui
