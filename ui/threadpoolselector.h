#pragma once
// ThreadPoolSelector — "Thread pool: N" in the Run toolbar, and the same choice as a Run ▸
// Thread Pool menu: the libuv pool size of the next run (1–16, default 4, kept in the settings).
// A size other than the IDE process's own runs the script in a child process (RunController).
// It follows RunController::threadPoolSizeChanged, so a size set elsewhere (a lesson's) shows here.

#include <QWidget>

class QActionGroup;
class QComboBox;
class QMenu;
class QSettings;

namespace Loopscope::Runtime { class RunController; }

namespace Loopscope::Ui {

class ThreadPoolSelector final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinSize = 1, kMaxSize = 16, kDefaultSize = 4;

    ThreadPoolSelector(Runtime::RunController *runs, QSettings *settings, QWidget *parent = nullptr);

    int size() const;
    void setSize(int size);  // clamped to 1–16; applies to the next run
    // A menu with one checkable entry per size, kept in step with the toolbar's box.
    QMenu *createMenu(QWidget *parent);

Q_SIGNALS:
    void sizeChanged(int size);

private:
    Runtime::RunController *m_runs;
    QSettings *m_settings;
    QComboBox *m_box;
    QActionGroup *m_menuGroup = nullptr;
};

} // namespace Loopscope::Ui
