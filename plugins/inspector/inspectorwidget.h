#pragma once
// InspectorWidget — the async-trace inspector: the timeline on top; below, the causality chain
// of the selected callback (main module → ... → its resource, with source locations) and the
// statistics of the selected range; a search bar whose matches (by resource type, function or
// source file) are listed, a click on one selecting it on the timeline and jumping to the line
// that created it. Follows the RunController's traces (live while they grow)
// and can open a saved Chrome trace. GUI thread.

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace Loopscope::Runtime { class RunController; class Trace; }

namespace Loopscope::Inspector {

class CallbackFilter;
class InspectorModel;
class TimelineWidget;

class InspectorWidget final : public QWidget {
    Q_OBJECT
public:
    explicit InspectorWidget(Runtime::RunController *runs, QWidget *parent = nullptr);
    ~InspectorWidget() override;

    void setTrace(std::shared_ptr<const Runtime::Trace> trace);
    bool openTraceFile(const QString &path, QString *error);
    TimelineWidget *timeline() const { return m_timeline; }
    QTreeWidget *causality() const { return m_causality; }
    QString statisticsText() const;
    const InspectorModel *model() const { return m_model.get(); }
    void showCallback(int callback);
    void showRange(double startNs, double endNs);
    // The search: the query as typed into the bar (applied at once, no typing delay).
    void setSearch(const QString &text, int field = 0);
    CallbackFilter *searchResults() const { return m_filter; }
    QTableView *searchList() const { return m_matches; }
    // What a click on a search result does: select it, bring it into view, show its source.
    void activateSearchResult(int row);

Q_SIGNALS:
    void sourceLocationActivated(const QString &path, int line, int column);

private:
    void refresh();

    std::unique_ptr<InspectorModel> m_model;
    TimelineWidget *m_timeline;
    QTreeWidget *m_causality;
    QLabel *m_stats;
    QLabel *m_status;
    QTimer *m_live;
    QTimer *m_catchUp;  // the next slice of a backlog, on the next event-loop turn
    CallbackFilter *m_filter;
    QLineEdit *m_search;
    QComboBox *m_searchField;
    QTableView *m_matches;
    QLabel *m_matchCount;
    QTimer *m_searchDelay;
};

} // namespace Loopscope::Inspector
