#include "lessoncatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Loopscope::Ui {

QList<Lesson> listLessons(const QString &lessonsDirectory)
{
    QList<Lesson> lessons;
    if (lessonsDirectory.isEmpty())
        return lessons;
    const QDir dir(lessonsDirectory);
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString script = dir.absoluteFilePath(name + QStringLiteral("/script.js"));
        QFile f(script);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QString title = QString::fromUtf8(f.readLine()).trimmed();
        if (title.startsWith(QLatin1String("//")))
            title = title.mid(2).trimmed();
        lessons.append(Lesson{name, title.isEmpty() ? name : title, script});
    }
    return lessons;
}

bool isInside(const QString &filePath, const QString &directory)
{
    if (filePath.isEmpty() || directory.isEmpty())
        return false;
    const QString file = QFileInfo(filePath).canonicalFilePath();
    const QString dir = QFileInfo(directory).canonicalFilePath();
    return !file.isEmpty() && !dir.isEmpty() && file.startsWith(dir + QLatin1Char('/'));
}

} // namespace Loopscope::Ui
