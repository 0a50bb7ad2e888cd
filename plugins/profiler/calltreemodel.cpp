#include "calltreemodel.h"

#include <QFileInfo>
#include <QUrl>

namespace Loopscope::Profiler {

CallTreeModel::CallTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void CallTreeModel::setTree(CallTree tree)
{
    beginResetModel();
    m_tree = std::move(tree);
    m_position.assign(m_tree.rows().size(), 0);
    for (size_t i = 0; i < m_tree.topLevel().size(); ++i)
        m_position[size_t(m_tree.topLevel()[i])] = int(i);
    for (const CallTree::Row &r : m_tree.rows())
        for (size_t i = 0; i < r.children.size(); ++i)
            m_position[size_t(r.children[i])] = int(i);
    endResetModel();
}

const std::vector<int> &CallTreeModel::siblings(int row) const
{
    const int parent = m_tree.rows()[size_t(row)].parent;
    return parent < 0 ? m_tree.topLevel() : m_tree.rows()[size_t(parent)].children;
}

QModelIndex CallTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const std::vector<int> &list = parent.isValid() ? m_tree.rows()[size_t(parent.internalId())].children
                                                    : m_tree.topLevel();
    if (parent.isValid() && parent.column() != 0)
        return {};
    if (row >= int(list.size()))
        return {};
    return createIndex(row, column, quintptr(list[size_t(row)]));
}

QModelIndex CallTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int parent = m_tree.rows()[size_t(child.internalId())].parent;
    if (parent < 0)
        return {};
    return createIndex(m_position[size_t(parent)], 0, quintptr(parent));
}

int CallTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_tree.topLevel().size());
    if (parent.column() != 0)
        return 0;
    return int(m_tree.rows()[size_t(parent.internalId())].children.size());
}

int CallTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString CallTreeModel::functionLabel(const Runtime::CpuProfileCallFrame &frame)
{
    return frame.functionName.empty() ? QStringLiteral("(anonymous)") : QString::fromStdString(frame.functionName);
}

QString CallTreeModel::sourceLabel(const Runtime::CpuProfileCallFrame &frame)
{
    if (frame.url.empty())
        return {};
    const QString url = QString::fromStdString(frame.url);
    const QString name = url.startsWith(QLatin1String("node:")) ? url : QFileInfo(QUrl(url).path()).fileName();
    return frame.lineNumber >= 0 ? QStringLiteral("%1:%2").arg(name).arg(frame.lineNumber + 1) : name;
}

static QString timeText(std::int64_t us, std::int64_t totalUs)
{
    const double percent = totalUs > 0 ? 100.0 * double(us) / double(totalUs) : 0;
    return QStringLiteral("%1 ms  %2 %").arg(double(us) / 1000.0, 0, 'f', 1).arg(percent, 5, 'f', 1);
}

QVariant CallTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const int row = int(index.internalId());
    const CallTree::Row &r = m_tree.rows()[size_t(row)];
    const Runtime::CpuProfileCallFrame &frame = m_tree.callFrame(row);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case FunctionColumn: return functionLabel(frame);
        case SelfColumn: return timeText(r.selfUs, m_tree.profileTotalUs());
        case TotalColumn: return timeText(r.totalUs, m_tree.profileTotalUs());
        case SourceColumn: return sourceLabel(frame);
        }
        break;
    case SortRole:
        switch (index.column()) {
        case SelfColumn: return qlonglong(r.selfUs);
        case TotalColumn: return qlonglong(r.totalUs);
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        return QString::fromStdString(frame.url);
    case Qt::TextAlignmentRole:
        if (index.column() == SelfColumn || index.column() == TotalColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case UrlRole: return QString::fromStdString(frame.url);
    case LineRole: return frame.lineNumber + 1;
    case ColumnRole: return frame.columnNumber + 1;
    }
    return {};
}

QVariant CallTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FunctionColumn: return tr("Function");
    case SelfColumn: return tr("Self");
    case TotalColumn: return tr("Total");
    case SourceColumn: return tr("Source");
    }
    return {};
}

} // namespace Loopscope::Profiler
