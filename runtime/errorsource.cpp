#include "errorsource.h"

#include <string_view>

namespace Loopscope::Runtime {

std::string errorSourceFromMessage(v8::Isolate *isolate, v8::Local<v8::Context> context,
                                   v8::Local<v8::Message> message)
{
    v8::Local<v8::String> sourceLineValue;
    if (!message->GetSourceLine(context).ToLocal(&sourceLineValue))
        return {};
    const v8::String::Utf8Value sourceLineUtf8(isolate, sourceLineValue);
    const std::string sourceLine(*sourceLineUtf8 ? *sourceLineUtf8 : "", sourceLineUtf8.length());
    const v8::String::Utf8Value filename(isolate, message->GetScriptResourceName());
    // As node (AppendExceptionLine): a line that asks for no arrow gets none. Nor does a line
    // of Loopscope's own runtime code, which is never what a user should see.
    if (sourceLine.find("node-do-not-add-exception-line") != std::string::npos
        || std::string_view(*filename ? *filename : "").starts_with("loopscope:"))
        return {};

    const int lineNumber = message->GetLineNumber(context).FromMaybe(0);
    const v8::ScriptOrigin origin = message->GetScriptOrigin();
    // The first line of a wrapped script is shifted by the wrapper's column offset.
    const int scriptStart = (lineNumber - origin.LineOffset()) == 1 ? origin.ColumnOffset() : 0;
    int start = message->GetStartColumn(context).FromMaybe(0);
    int end = message->GetEndColumn(context).FromMaybe(0);
    if (start >= scriptStart) {
        start -= scriptStart;
        end -= scriptStart;
    }

    std::string out = std::string(*filename ? *filename : "") + ":" + std::to_string(lineNumber) + "\n"
                      + sourceLine + "\n";
    if (start > end || start < 0 || static_cast<size_t>(end) > sourceLine.size())
        return out;
    constexpr int kMaxUnderline = 1020;  // node's own bound
    std::string underline;
    for (int i = 0; i < start && sourceLine[i] != '\0' && int(underline.size()) < kMaxUnderline; ++i)
        underline += sourceLine[i] == '\t' ? '\t' : ' ';
    for (int i = start; i < end && sourceLine[i] != '\0' && int(underline.size()) < kMaxUnderline; ++i)
        underline += '^';
    return out + underline + "\n";
}

} // namespace Loopscope::Runtime
