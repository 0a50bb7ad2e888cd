#pragma once
// traceimport — reads Chrome trace-event JSON written by traceexport back into a Trace, so a
// saved run can be shown again. What the export derives (counters) is not read back; resources
// that never ran a callback and had no flow (the runtime's own) are not in the file.
//
// Malformed input is an error value naming the event and the field: "event 12: \"ts\" is
// missing or not a number". Nothing is appended to the trace unless the whole file is valid.
//
// Threads: any; `into` should be a fresh trace no one else writes.

#include <string>

namespace Loopscope::Runtime {

class Trace;

bool traceFromChromeJson(const std::string &json, Trace &into, std::string *error);
// Reads `path`, gunzipping it when it ends in ".gz".
bool readChromeTrace(const std::string &path, Trace &into, std::string *error);

} // namespace Loopscope::Runtime
