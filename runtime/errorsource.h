#pragma once
// errorsource — the "file:line / source line / ^^^" block node prints above a fatal error,
// computed from a V8 message exactly as node's own GetErrorSource() does, so that an uncaught
// error captured by Loopscope reads the same as under `node FILE`.

#include <string>
#include <v8.h>

namespace Loopscope::Runtime {

// Empty when the message has no usable source line.
std::string errorSourceFromMessage(v8::Isolate *isolate, v8::Local<v8::Context> context,
                                   v8::Local<v8::Message> message);

} // namespace Loopscope::Runtime
