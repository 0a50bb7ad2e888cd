#pragma once
// traceexport — a Trace as Chrome's trace-event JSON ({"traceEvents":[...]}, what Perfetto and
// chrome://tracing open), and as the plain-text summary `loopscope run --summary` prints.
//
// The JSON: one track per trace writer (thread_name metadata; the loop thread is tid 1).
// Iterations and phases are complete ("X") slices on the loop track; each callback is a B/E
// pair inside its phase, named by its resource type, with the queue it ran from in args;
// a flow ("s" at the resource's creation, "f" binding to its first callback, id = asyncId)
// links cause to effect; counters ("C") follow the nextTick, immediate and timer queues;
// console writes are instant ("i") events. Timestamps are µs from the first record.
//
// Threads: any; the trace may still be growing (what is published so far is exported).

#include <cstdint>
#include <string>

namespace Loopscope::Runtime {

class Trace;

std::string traceToChromeJson(const Trace &trace);

// Writes the JSON to `path`, gzip-compressed when the path ends in ".gz". Returns false with
// `error` set if the file cannot be written.
bool writeChromeTrace(const Trace &trace, const std::string &path, std::string *error);

struct TraceSummary {
    std::uint64_t iterations = 0;
    std::uint64_t callbacksByQueue[16] = {};  // indexed by CallbackQueue
    std::uint64_t callbacks = 0;
    std::uint64_t asyncResources = 0;
    std::uint64_t poolTasks = 0;
    std::uint64_t maxPoolQueueWaitNs = 0;
    std::uint64_t consoleWrites = 0;
    std::uint64_t records = 0;
    std::uint64_t events = 0;       // records, with each continuation counted with its head
    std::uint64_t bytes = 0;
    std::uint64_t dropped = 0;
    std::uint64_t pollBlockedNs = 0;
};

TraceSummary summarizeTrace(const Trace &trace);
std::string formatTraceSummary(const TraceSummary &summary);

} // namespace Loopscope::Runtime
