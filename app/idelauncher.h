#pragma once
// idelauncher — how the command line reaches the IDE without carrying it. `loopscope` links only
// Qt Core and the runtime, so that `loopscope run` (and every child run the IDE starts) does not
// load and relocate Qt Widgets, Qt Gui and their ~60 libraries before the script can start;
// the window lives in `loopscope-ide` beside it, which the command line hands over to.

#include <string>

namespace Loopscope::App {

// True when a window can be shown: DISPLAY or WAYLAND_DISPLAY is set and Qt is not forced
// onto a platform without one (offscreen, minimal).
bool displayAvailable();

// The path of `name` (an executable of ours) in this executable's own folder; empty if this
// executable's path is unknown.
std::string siblingExecutable(const std::string &name);

// Replaces this process with `loopscope-ide`, given the same arguments. Returns only if that
// cannot be done: then it has said why on stderr, and the result is the exit code.
int startIde(char **argv);

} // namespace Loopscope::App
