#pragma once
// CallTreeModel — a CallTree (top-down or bottom-up) as a Qt item model: function, self time,
// total time (ms and % of the profile) and source location. Sorting and search go through a
// QSortFilterProxyModel on SortRole. GUI thread.

#include "calltree.h"

#include <QAbstractItemModel>

namespace Loopscope::Profiler {

class CallTreeModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { FunctionColumn, SelfColumn, TotalColumn, SourceColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,  // numbers for the time columns, text otherwise
        UrlRole,                      // the call frame's url
        LineRole,                     // 1-based line, 0 if unknown
        ColumnRole,                   // 1-based column, 0 if unknown
    };

    explicit CallTreeModel(QObject *parent = nullptr);
    void setTree(CallTree tree);
    const CallTree &tree() const { return m_tree; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString functionLabel(const Runtime::CpuProfileCallFrame &frame);
    static QString sourceLabel(const Runtime::CpuProfileCallFrame &frame);

private:
    const std::vector<int> &siblings(int row) const;  // the list `row` is in
    CallTree m_tree;
    std::vector<int> m_position;  // by row: its position among its siblings
};

} // namespace Loopscope::Profiler
