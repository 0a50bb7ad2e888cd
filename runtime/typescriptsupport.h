#pragma once
// TypeScript in runs: where the type stripper (amaro, the version upstream Node 24 bundles) is,
// and the preload code that gives it to node (runtime/js/typescript.js). Without amaro a .ts
// file behaves as under Debian's own node 24, which is built without it.
// Threads: any; install() on the thread whose environment is being preloaded.

#include <string>
#include <vector>

#include <v8.h>

namespace Loopscope::Runtime::TypeScriptSupport {

// The amaro file this process uses: $LOOPSCOPE_AMARO, else share/loopscope/amaro/index.js
// beside the executable's folder (installed), else the build tree's copy; empty if none exists.
const std::string &amaroPath();

// The node options that TypeScript needs process-wide (node 24's default, --strip-types, which
// Debian's build turns off along with amaro); none without amaro.
std::vector<std::string> processOptions();

// Runs typescript.js with node's internal `require` in the current context. Returns false with
// `error` set if it threw (a Loopscope bug, never the script's).
bool install(v8::Local<v8::Context> context, v8::Local<v8::Value> require, std::string *error);

} // namespace Loopscope::Runtime::TypeScriptSupport
