#pragma once
// ProfilerWidget — the CPU profile pane's view: a search field, the sampling interval of
// Run ▸ Profile and an Open button, the flame graph above, top-down and bottom-up tables below.
// A click on a frame or a row shows its source line in the editor. GUI thread.

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;
class QSortFilterProxyModel;
class QTabWidget;
class QTreeView;

namespace Loopscope::Profiler {

class CallTreeModel;
class FlameGraphWidget;
class ProfileSession;

class ProfilerWidget final : public QWidget {
    Q_OBJECT
public:
    // With `settings`, the interval field edits Profiler/intervalUs there (what Run ▸ Profile
    // samples at); without, it is hidden.
    explicit ProfilerWidget(ProfileSession *session, QSettings *settings = nullptr, QWidget *parent = nullptr);

    FlameGraphWidget *flameGraph() const { return m_flame; }
    CallTreeModel *topDownModel() const { return m_topDown; }
    CallTreeModel *bottomUpModel() const { return m_bottomUp; }
    QTabWidget *tables() const { return m_tabs; }
    QTreeView *bottomUpView() const { return m_bottomUpView; }
    QSpinBox *intervalField() const { return m_interval; }
    QString summaryText() const;
    void setSearchText(const QString &text);

Q_SIGNALS:
    // A frame or row was chosen: its script location (1-based; column 0 = none).
    void sourceLocationActivated(const QString &path, int line, int column);

private:
    void showProfile();
    void applySearch(const QString &text);
    void activateLocation(const QString &url, int line, int column);
    QTreeView *makeTable(CallTreeModel *model, QSortFilterProxyModel **proxy);

    ProfileSession *m_session;
    QLineEdit *m_search;
    QSpinBox *m_interval;
    QLabel *m_summary;
    FlameGraphWidget *m_flame;
    QTabWidget *m_tabs;
    CallTreeModel *m_topDown;
    CallTreeModel *m_bottomUp;
    QSortFilterProxyModel *m_topDownProxy = nullptr;
    QSortFilterProxyModel *m_bottomUpProxy = nullptr;
    QTreeView *m_topDownView = nullptr;
    QTreeView *m_bottomUpView = nullptr;
    double m_matchShare = 0;
};

} // namespace Loopscope::Profiler
