#pragma once
// streamrun — `loopscope run --stream FILE`: the child side of a run the IDE started in its own
// process (for a thread-pool size of its own; see runtime/runstream.h for the wire format).
// The script's output, its trace (when asked) and its result go out as frames on the original
// stdout; stdin carries the IDE's stdin bytes and stop requests. Internal: not for people.

#include "runtypes.h"

namespace Loopscope::App {

// Runs `options` (a trace in options.trace is streamed as it grows). Returns 0 once the result
// frame is written, or 1 if the stream itself could not be set up.
int runStreamed(const Runtime::RunOptions &options);

} // namespace Loopscope::App
