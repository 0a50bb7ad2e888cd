#pragma once
// InspectorWidget — the async-trace inspector: the timeline on top; below, the causality chain
// of the selected callback (main module → ... → its resource, with source locations) and the
// statistics of the selected range. Follows the RunController's traces (live while they grow)
// and can open a saved Chrome trace. GUI thread.

#include <QWidget>

#include <memory>

class QLabel;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace Loopscope::Runtime { class RunController; class Trace; }

namespace Loopscope::Inspector {

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
};

} // namespace Loopscope::Inspector
