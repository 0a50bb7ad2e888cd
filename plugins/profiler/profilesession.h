#pragma once
// ProfileSession — the profile the pane shows: the last profiled run's (from RunController's
// runFinished) or a .cpuprofile file opened by the user. Lives with the pane, so a profile that
// arrives before the view exists is kept. GUI thread.

#include "cpuprofile.h"

#include <QObject>
#include <QString>

#include <memory>

namespace Loopscope::Runtime { class RunController; struct RunResult; }

namespace Loopscope::Profiler {

class ProfileSession final : public QObject {
    Q_OBJECT
public:
    explicit ProfileSession(Runtime::RunController *runs, QObject *parent = nullptr);

    std::shared_ptr<const Runtime::CpuProfile> profile() const { return m_profile; }
    QString title() const { return m_title; }  // the script or file it came from

    void setProfile(std::shared_ptr<const Runtime::CpuProfile> profile, const QString &title);
    // Reads a .cpuprofile; on failure keeps the current profile and returns false with `error`.
    bool openFile(const QString &path, QString *error);

Q_SIGNALS:
    void profileChanged();

private:
    Runtime::RunController *m_runs;
    std::shared_ptr<const Runtime::CpuProfile> m_profile;
    QString m_title;
};

} // namespace Loopscope::Profiler
