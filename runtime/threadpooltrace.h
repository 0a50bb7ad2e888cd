#pragma once
// threadpooltrace — libuv's thread pool, seen from inside: which work was submitted when, which
// worker started it, when it finished, and when its completion callback ran on the loop thread.
//
// How: the executable links its own copy of libuv (Debian's libuv.a, whole archive, symbols
// exported so libnode binds to it; runtime/CMakeLists.txt) with two interceptions:
//   - `--wrap=uv__work_submit` catches every fs, dns and uv_random submission (they call it
//     from other object files);
//   - uv_queue_work (crypto, zlib, addons) submits from inside threadpool.o, where --wrap does
//     not reach, so the archive copy has it renamed and this module defines uv_queue_work.
// A submission on a loop with no tracer attached goes straight through. On a traced loop the
// work and done functions are swapped for ones that record, then call the originals.
//
// Records: PoolSubmit (loop writer; a: what, e.g. "fs.open", "dns", "work"), PoolStart and
// PoolFinish (the worker's own writer, named "worker N" by first use in this process),
// PoolComplete (loop writer, before the original done/after-work callback). b: work id.
//
// Threads: attach()/detach() on the loop's thread; the interceptions run where libuv calls them.

#include <uv.h>

namespace Loopscope::Runtime {

class Trace;
class TraceWriter;

namespace ThreadPoolTrace {

// Whether this executable carries the interceptions (false: linked against the shared libuv).
bool available();

void attach(uv_loop_t *loop, Trace *trace, TraceWriter *loopWriter);
void detach(uv_loop_t *loop);

} // namespace ThreadPoolTrace
} // namespace Loopscope::Runtime
