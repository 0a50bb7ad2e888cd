#include "profilesession.h"

#include "cpuprofilefile.h"
#include "runcontroller.h"

namespace Loopscope::Profiler {

ProfileSession::ProfileSession(Runtime::RunController *runs, QObject *parent) : QObject(parent), m_runs(runs)
{
    if (!m_runs)
        return;
    connect(m_runs, &Runtime::RunController::runFinished, this, [this](const Runtime::RunResult &result) {
        if (result.cpuProfile)
            setProfile(result.cpuProfile, m_runs->scriptPath());
    });
}

void ProfileSession::setProfile(std::shared_ptr<const Runtime::CpuProfile> profile, const QString &title)
{
    m_profile = std::move(profile);
    m_title = title;
    Q_EMIT profileChanged();
}

bool ProfileSession::openFile(const QString &path, QString *error)
{
    auto profile = std::make_shared<Runtime::CpuProfile>();
    std::string message;
    if (!Runtime::readCpuProfile(path.toStdString(), *profile, &message)) {
        if (error)
            *error = QString::fromStdString(message);
        return false;
    }
    setProfile(std::move(profile), path);
    return true;
}

} // namespace Loopscope::Profiler
