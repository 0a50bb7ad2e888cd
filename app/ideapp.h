#pragma once
// ideapp — the IDE window as an application: QApplication, the plugins' panes, the main window.
// Only called when a display is available; the command-line paths never create a QApplication.

#include "idelauncher.h"

#include <string>

class QSettings;

namespace Loopscope::Ui { class MainWindow; }
namespace Loopscope::Lesson { class LessonCourse; }

namespace Loopscope::App {

// Ties the course to the window: the editor's file picks the lesson, progress and File ▸ Lessons ▸
// Add Lessons Folder (stored in `settings`, then the course reloads) update File ▸ Lessons.
void connectCourse(Ui::MainWindow &window, Loopscope::Lesson::LessonCourse &course, QSettings &settings);

// Runs the IDE until its window closes; `fileToOpen` empty: the last file, or the default lesson.
int runIde(int &argc, char **argv, const std::string &fileToOpen);

} // namespace Loopscope::App
