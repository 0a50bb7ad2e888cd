#include "typescriptsupport.h"

#include "embeddercompat.h"
#include "preludesource.h"

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace Loopscope::Runtime::TypeScriptSupport {

const std::string &amaroPath()
{
    static const std::string path = [] {
        std::error_code ec;
        auto usable = [&](const fs::path &p) { return !p.empty() && fs::is_regular_file(p, ec); };
        if (const char *env = std::getenv("LOOPSCOPE_AMARO"); env && *env)
            return usable(env) ? fs::absolute(env).string() : std::string();
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            const fs::path installed = exe.parent_path().parent_path() / "share" / "loopscope" / "amaro" / "index.js";
            if (usable(installed))
                return installed.string();
        }
#ifdef LOOPSCOPE_BUILD_AMARO
        if (usable(LOOPSCOPE_BUILD_AMARO))
            return std::string(LOOPSCOPE_BUILD_AMARO);
#endif
        return std::string();
    }();
    return path;
}

std::vector<std::string> processOptions()
{
    if (amaroPath().empty())
        return {};
    return {"--strip-types"};
}

static v8::Local<v8::String> v8String(v8::Isolate *isolate, std::string_view s)
{
    return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal, int(s.size())).ToLocalChecked();
}

bool install(v8::Local<v8::Context> context, v8::Local<v8::Value> require, std::string *error)
{
    v8::Isolate *isolate = context->GetIsolate();
    v8::HandleScope scope(isolate);
    const v8::ScriptOrigin origin = EmbedderCompat::scriptOrigin(isolate, v8String(isolate, "loopscope:typescript"));
    v8::ScriptCompiler::Source source(v8String(isolate, kTypeScriptSource), origin);
    v8::Local<v8::String> names[] = {v8String(isolate, "require"), v8String(isolate, "amaroPath")};
    v8::Local<v8::Value> args[] = {require, v8String(isolate, amaroPath())};
    v8::TryCatch tryCatch(isolate);
    v8::Local<v8::Function> fn;
    if (v8::ScriptCompiler::CompileFunction(context, &source, 2, names, 0, nullptr).ToLocal(&fn)
        && !fn->Call(context, v8::Undefined(isolate), 2, args).IsEmpty())
        return true;
    if (error) {
        const v8::String::Utf8Value what(isolate, tryCatch.Exception());
        *error = *what ? *what : "?";
    }
    return false;
}

} // namespace Loopscope::Runtime::TypeScriptSupport
