#pragma once
// jsonstring — writes a string as a JSON string literal: quotes, escapes for `"`, `\` and control
// characters, UTF-8 passed through unchanged. Shared by the runtime's hand-written JSON writers
// (Chrome traces, .cpuprofile files), which build large documents without a DOM.

#include <cstdio>
#include <string>
#include <string_view>

namespace Loopscope::Runtime {

inline void appendJsonString(std::string &out, std::string_view s)
{
    out += '"';
    for (const unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
    out += '"';
}

} // namespace Loopscope::Runtime
