#pragma once
// ProfilerPane — the CPU profile as a dockable pane of the shell.

#include "pane.h"

#include <functional>
#include <memory>

class QSettings;

namespace Loopscope::Profiler {

class ProfileSession;

class ProfilerPane final : public Ui::Pane {
public:
    explicit ProfilerPane(const Ui::PaneContext &context);
    ~ProfilerPane() override;
    QString id() const override;
    QString displayName() const override;
    Qt::DockWidgetArea defaultArea() const override { return Qt::BottomDockWidgetArea; }
    QWidget *createWidget(QWidget *parent) override;

    ProfileSession *session() const { return m_session.get(); }

private:
    std::unique_ptr<ProfileSession> m_session;
    QSettings *m_settings;
    std::function<void(const QString &, int, int)> m_showSourceLocation;
};

} // namespace Loopscope::Profiler
