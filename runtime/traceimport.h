#pragma once
// traceimport — reads Chrome trace-event JSON written by traceexport back into a Trace, so a
// saved run can be shown again. The JSON is parsed as a stream (JsonStreamReader), from the file
// or its gzip stream a chunk at a time: memory is the resulting trace's plus a staging copy of
// its records that shrinks as they are appended, never the file's size. What the export derives (counters) is not read back; resources
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
class JsonByteSource;

bool traceFromChromeJson(const std::string &json, Trace &into, std::string *error);
// The same, from bytes that arrive in chunks of any size (plain JSON; see JsonStreamReader).
bool traceFromJsonStream(JsonByteSource &source, Trace &into, std::string *error);
// Plain JSON has no size limit. A gzip stream may inflate to at most 200 times its compressed
// size (at least 64 MiB; exported traces compress 10–30 times) and at most this cap: beyond,
// it is refused part-way, so a gzip bomb costs neither memory nor long.
inline constexpr std::size_t kMaxTraceJsonBytes = ~std::size_t(0);

// The byte budget to give a Trace that a file is opened into: a file's records are all kept (the
// budget is a cap, not an allocation; a live run's default is smaller because it keeps growing).
inline constexpr std::size_t kOpenedTraceBudgetBytes = std::size_t(64) << 30;

// The bytes of a saved trace: gzip-compressed (by their magic number) or plain JSON. A gzip
// stream that would inflate past the limit above (or maxJsonBytes) is refused, not inflated.
bool traceFromFileBytes(const std::string &bytes, Trace &into, std::string *error,
                        std::size_t maxJsonBytes = kMaxTraceJsonBytes);
// Reads `path` (compressed or not) as traceFromFileBytes would its bytes, without holding them.
bool readChromeTrace(const std::string &path, Trace &into, std::string *error,
                     std::size_t maxJsonBytes = kMaxTraceJsonBytes);

} // namespace Loopscope::Runtime
