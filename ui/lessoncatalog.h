#pragma once
// lessoncatalog — the lessons in a lessons folder: NN-name/script.js, titled by the script's
// first line (a `// Title` comment). Plain values; the window builds its menu from them.

#include <QList>
#include <QString>

namespace Loopscope::Ui {

struct Lesson {
    QString id;          // the folder name, "01-main-module"
    QString title;       // "The main module, nextTick, promises, timers and immediates"
    QString scriptPath;  // absolute
};

QList<Lesson> listLessons(const QString &lessonsDirectory);  // sorted by id
bool isInside(const QString &filePath, const QString &directory);

} // namespace Loopscope::Ui
