#include "processstate.h"

#include <cstdlib>
#include <unistd.h>

extern char **environ;

namespace Loopscope::Runtime {

static std::map<std::string, std::string> currentEnvironment()
{
    std::map<std::string, std::string> vars;
    for (char **e = environ; e && *e; ++e) {
        const std::string entry(*e);
        const size_t eq = entry.find('=');
        if (eq != std::string::npos && eq > 0)
            vars.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return vars;
}

ProcessState ProcessState::capture()
{
    ProcessState s;
    if (char *cwd = getcwd(nullptr, 0)) {
        s.m_cwd = cwd;
        free(cwd);
    }
    s.m_environment = currentEnvironment();
    return s;
}

bool ProcessState::restore() const
{
    bool ok = m_cwd.empty() || chdir(m_cwd.c_str()) == 0;
    const auto now = currentEnvironment();
    for (const auto &[name, value] : now)
        if (!m_environment.count(name))
            ok = unsetenv(name.c_str()) == 0 && ok;
    for (const auto &[name, value] : m_environment) {
        auto it = now.find(name);
        if (it == now.end() || it->second != value)
            ok = setenv(name.c_str(), value.c_str(), 1) == 0 && ok;
    }
    return ok;
}

} // namespace Loopscope::Runtime
