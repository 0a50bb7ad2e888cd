#include "idelauncher.h"

#include <QProcess>
#include <QtGlobal>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace fs = std::filesystem;

namespace Loopscope::App {

bool displayAvailable()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (platform.startsWith("offscreen") || platform.startsWith("minimal") || platform.startsWith("vnc"))
        return false;
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

std::string siblingExecutable(const std::string &name)
{
#ifdef Q_OS_WIN
    wchar_t self[32768];
    const DWORD n = GetModuleFileNameW(nullptr, self, DWORD(std::size(self)));
    if (n == 0 || n >= std::size(self))
        return {};
    return (fs::path(self).parent_path() / (name + ".exe")).string();
#else
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return {};
    return (self.parent_path() / name).string();
#endif
}

int startIde(char **argv)
{
    const std::string ide = siblingExecutable("loopscope-ide");
    if (ide.empty()) {
        std::cerr << "loopscope: cannot find loopscope-ide: this executable's folder is unknown\n";
        return 1;
    }
#ifdef Q_OS_WIN
    QStringList arguments;
    for (char **arg = argv + 1; *arg; ++arg)
        arguments << QString::fromLocal8Bit(*arg);
    const int code = QProcess::execute(QString::fromStdString(ide), arguments);
    if (code >= 0)
        return code;
#else
    ::execv(ide.c_str(), argv);
#endif
    std::cerr << "loopscope: cannot start the IDE (" << ide << "): " << std::strerror(errno) << "\n";
    return 1;
}

} // namespace Loopscope::App
