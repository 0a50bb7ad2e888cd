#pragma once
// headlessrun — run one script with no window: its stdout and stderr go to this process's,
// this process's stdin feeds it (only if the script reads stdin), and the script's exit code
// is returned. This is `loopscope run FILE`.

#include "runtypes.h"

namespace Loopscope::App {

Runtime::RunResult runHeadless(const Runtime::RunOptions &options);

} // namespace Loopscope::App
