#pragma once
// processstate — the per-process state a script can change because its environment owns the
// process (kOwnsProcessState): the working directory and the environment variables. A run
// captures them before it starts and puts them back after, so the next run starts clean and
// the IDE keeps its own cwd and environment.

#include <map>
#include <string>

namespace Loopscope::Runtime {

class ProcessState final {
public:
    static ProcessState capture();
    // Returns false if some part could not be restored (e.g. the old cwd was deleted).
    bool restore() const;

private:
    std::string m_cwd;
    std::map<std::string, std::string> m_environment;
};

} // namespace Loopscope::Runtime
