#pragma once
// traceimport — reads Chrome trace-event JSON written by traceexport back into a Trace, so a
// saved run can be shown again. What the export derives (counters) is not read back; resources
// that never ran a callback and had no flow (the runtime's own) are not in the file.
//
// Malformed input is an error value naming the event and the field: "event 12: \"ts\" is
// missing or not a number". Nothing is appended to the trace unless the whole file is valid.
//
// Threads: any; `into` should be a fresh trace no one else writes.

#include <cstddef>
#include <string>

namespace Loopscope::Runtime {

class Trace;

bool traceFromChromeJson(const std::string &json, Trace &into, std::string *error);
inline constexpr std::size_t kMaxTraceJsonBytes = std::size_t(1) << 30;

// The bytes of a saved trace: gzip-compressed (by their magic number) or plain JSON. A gzip
// stream that would inflate past maxJsonBytes is refused, not inflated.
bool traceFromFileBytes(const std::string &bytes, Trace &into, std::string *error,
                        std::size_t maxJsonBytes = kMaxTraceJsonBytes);
// Reads `path` (compressed or not) with traceFromFileBytes.
bool readChromeTrace(const std::string &path, Trace &into, std::string *error);

} // namespace Loopscope::Runtime
