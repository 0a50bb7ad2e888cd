// libFuzzer target for the trace importer (runtime/traceimport.h): any bytes — plain JSON or
// gzip — must give either a trace or an error that says why, never a crash, a hang or an
// unbounded allocation. What imports is exported again, so the exporter meets whatever an
// accepted file can put into a Trace. Built with clang's -fsanitize=fuzzer,address,undefined
// (tests/fuzz/CMakeLists.txt); seeds in tests/fuzz/corpus are real exported traces.
#include "trace.h"
#include "traceexport.h"
#include "traceimport.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace Loopscope::Runtime;
    // A small budget and inflation cap: the limits must hold whatever the input says.
    Trace trace(std::size_t(32) << 20);
    std::string error;
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    if (!traceFromFileBytes(bytes, trace, &error, std::size_t(16) << 20)) {
        if (error.empty())
            std::abort();  // every refusal names its reason
        if (trace.recordCount() != 0)
            std::abort();  // nothing is appended from an invalid file
        return 0;
    }
    const std::string json = traceToChromeJson(trace);
    if (json.rfind("{\"traceEvents\":[", 0) != 0)
        std::abort();
    return 0;
}
