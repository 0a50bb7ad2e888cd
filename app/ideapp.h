#pragma once
// ideapp — the IDE window as an application: QApplication, the plugins' panes, the main window.
// Only called when a display is available; the command-line paths never create a QApplication.

#include <string>

namespace Loopscope::App {

// True when a window can be shown: DISPLAY or WAYLAND_DISPLAY is set and Qt is not forced
// onto a platform without one (offscreen, minimal).
bool displayAvailable();

// Runs the IDE until its window closes; `fileToOpen` empty: the last file, or the default lesson.
int runIde(int &argc, char **argv, const std::string &fileToOpen);

} // namespace Loopscope::App
