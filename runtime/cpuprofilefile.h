#pragma once
// cpuprofilefile — the .cpuprofile format (Chrome DevTools' Profiler.Profile as JSON, what
// `node --cpu-prof` writes and speedscope reads): {nodes: [{id, callFrame: {functionName,
// scriptId, url, lineNumber, columnNumber}, hitCount, children}], startTime, endTime, samples,
// timeDeltas}. Times in µs; line and column numbers 0-based; scriptId a string.
//
// Reading checks the whole structure and returns an error value naming what is wrong
// ("nodes[3].callFrame.url is not a string"); it never throws or crashes on hostile input.
//
// Threads: any.

#include <string>

namespace Loopscope::Runtime {

class CpuProfile;

std::string cpuProfileToJson(const CpuProfile &profile);
bool writeCpuProfile(const CpuProfile &profile, const std::string &path, std::string *error);

bool cpuProfileFromJson(const std::string &json, CpuProfile &into, std::string *error);
bool readCpuProfile(const std::string &path, CpuProfile &into, std::string *error);

} // namespace Loopscope::Runtime
