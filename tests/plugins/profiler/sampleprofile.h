#pragma once
// A small hand-made profile with known times, for the profiler's model tests. Every sample lasts
// exactly 10 µs. The tree (self samples in brackets):
//   (root) ─┬─ main [1] ─┬─ a [2] ── crunch [3]
//           │            └─ b [1] ── crunch [4]     (the same function crunch, called from a and from b)
//           └─ (idle) [2]
// Totals in µs: root 130, main 110, a 50, b 50, crunch under a 30, crunch under b 40, idle 20.
#include "cpuprofile.h"

#include <memory>
#include <string>

namespace ProfileTests {

inline std::shared_ptr<Loopscope::Runtime::CpuProfile> sampleProfile(const std::string &url = "file:///work/s.js")
{
    using namespace Loopscope::Runtime;
    auto p = std::make_shared<CpuProfile>();
    p->nodes = {
        {1, {"(root)", "", 0, -1, -1}, 0, {2, 5}},
        {2, {"main", url, 1, 0, 0}, 1, {3, 4}},
        {3, {"a", url, 1, 4, 10}, 2, {6}},
        {4, {"b", url, 1, 9, 10}, 1, {7}},
        {5, {"(idle)", "", 0, -1, -1}, 2, {}},
        {6, {"crunch", url, 1, 14, 10}, 3, {}},
        {7, {"crunch", url, 1, 14, 10}, 4, {}},
    };
    p->samples = {2, 3, 6, 6, 3, 6, 5, 4, 7, 7, 7, 7, 5};
    p->timeDeltas.assign(p->samples.size(), 10);
    p->startTime = 1000;
    p->endTime = 1000 + 10 * std::int64_t(p->samples.size()) + 10;  // the last sample lasts 10 µs too
    return p;
}

} // namespace ProfileTests
