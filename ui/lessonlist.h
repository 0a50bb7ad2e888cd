#pragma once
// lessonlist — what the window knows of the lessons: the entries of File ▸ Lessons, in course
// order. The app loads and validates the course (app/lessoncatalog.h) and hands the window
// these plain values; the shell itself never reads a lessons folder.

#include <QList>
#include <QString>

namespace Loopscope::Ui {

struct LessonEntry {
    QString id;          // the folder name, "01-main-module"
    QString title;       // "The main module, nextTick, promises, timers and immediates"
    QString scriptPath;  // absolute
    bool completed = false;  // the user's progress: marked ✓ in the menu
};

// True if `filePath` lies below `directory` (both resolved): lessons open read-only.
bool isInside(const QString &filePath, const QString &directory);

} // namespace Loopscope::Ui
