#pragma once
// CpuProfile — a sampled CPU profile of one run, as plain C++: the call tree V8's CpuProfiler
// built, and the samples in order. Field names and meanings are those of the .cpuprofile format
// (Chrome DevTools' Profiler.Profile): node ids, 0-based line and column numbers, times in µs.
//
// V8 stamps samples in µs on its own monotonic clock; `traceOffsetNs` maps them onto the trace
// clock (Trace::now(), CLOCK_MONOTONIC ns) so samples line up with trace records:
// traceNs = timeUs * 1000 + traceOffsetNs. A profile read from a file has no trace: offset 0.
//
// Threads: a plain value; build it on one thread, then share it read-only (shared_ptr<const>).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace Loopscope::Runtime {

struct CpuProfileCallFrame {
    std::string functionName;  // "" for anonymous functions; "(root)", "(program)", "(idle)",
                               // "(garbage collector)" for V8's pseudo-frames
    std::string url;           // the script's resource name (a path or file:// URL); "" if none
    int scriptId = 0;
    int lineNumber = -1;       // 0-based, -1 if unknown (the format's convention)
    int columnNumber = -1;     // 0-based, -1 if unknown
    bool operator==(const CpuProfileCallFrame &) const = default;
};

struct CpuProfileNode {
    int id = 0;
    CpuProfileCallFrame callFrame;
    int hitCount = 0;          // samples whose leaf is this node
    std::vector<int> children; // child node ids
};

class CpuProfile final {
public:
    std::vector<CpuProfileNode> nodes;  // nodes[0] is the root
    std::vector<int> samples;           // leaf node id of each sample, in time order
    std::vector<std::int64_t> timeDeltas;  // µs since the previous sample (the first: since startTime)
    std::int64_t startTime = 0;         // µs, V8's monotonic clock
    std::int64_t endTime = 0;
    std::int64_t traceOffsetNs = 0;     // trace clock minus V8's clock, in ns
    int samplingIntervalUs = 0;         // what was asked for (0: unknown, e.g. read from a file)

    bool isEmpty() const { return nodes.empty(); }
    // Node index by id (indexes into `nodes`).
    std::unordered_map<int, int> indexById() const;
    // Index of each node's parent (-1 for the root), by node index.
    std::vector<int> parentIndexes() const;

    // Absolute sample times in µs on V8's clock, and on the trace clock in ns.
    std::vector<std::int64_t> sampleTimesUs() const;
    std::uint64_t toTraceNs(std::int64_t timeUs) const { return std::uint64_t(timeUs * 1000 + traceOffsetNs); }

    // Samples per node (by index) whose leaf it is, counted from `samples` ...
    std::vector<std::int64_t> selfSampleCounts() const;
    // ... and whose stack contains it (self plus all descendants).
    std::vector<std::int64_t> totalSampleCounts() const;
    // Time per node, each sample weighted by the time to the next sample (the last: to endTime),
    // as DevTools does; self and total in µs.
    std::vector<std::int64_t> selfTimesUs() const;
    std::vector<std::int64_t> totalTimesUs() const;

    // Checks the structure: unique ids, children exist, one root, a tree (no node with two
    // parents, no cycles), samples name nodes, samples and timeDeltas the same length.
    bool validate(std::string *error) const;

private:
    std::vector<std::int64_t> accumulate(std::vector<std::int64_t> self) const;
};

} // namespace Loopscope::Runtime
