#pragma once
// This process's resident memory, for the tests and benchmarks that report what a trace costs.

#include <cstdio>

#include <unistd.h>

namespace Loopscope::Test {

// Resident set size in KiB, from /proc/self/statm (0 where there is none).
inline long residentKb()
{
    FILE *f = std::fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

} // namespace Loopscope::Test
