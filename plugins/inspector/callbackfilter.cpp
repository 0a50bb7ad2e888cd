#include "callbackfilter.h"

#include "inspectormodel.h"

#include <QFileInfo>
#include <QUrl>

namespace Loopscope::Inspector {

using namespace Loopscope::Runtime;

CallbackFilter::CallbackFilter(QObject *parent) : QAbstractTableModel(parent) {}

void CallbackFilter::setModel(const InspectorModel *model)
{
    m_model = model;
    rematch();
}

void CallbackFilter::setQuery(const QString &text, Field field)
{
    if (text.trimmed() == m_query && field == m_field)
        return;
    m_query = text.trimmed();
    m_field = field;
    rematch();
}

void CallbackFilter::rematch()
{
    beginResetModel();
    m_stringMatch.clear();
    m_rows.clear();
    m_scanned = 0;
    m_matchCount = 0;
    matchFrom(0, m_rows, kMaxRows);
    endResetModel();
}

void CallbackFilter::update()
{
    if (!m_model || m_query.isEmpty() || m_model->index().callbacks().size() <= m_scanned)
        return;
    std::vector<int> fresh;
    matchFrom(m_scanned, fresh, size_t(kMaxRows) - m_rows.size());
    if (fresh.empty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size()) - 1);
    m_rows.insert(m_rows.end(), fresh.begin(), fresh.end());
    endInsertRows();
}

bool CallbackFilter::stringMatches(std::uint32_t id)
{
    if (id == 0)
        return false;
    if (id >= m_stringMatch.size())
        m_stringMatch.resize(size_t(id) + 1, -1);
    signed char &known = m_stringMatch[id];
    if (known < 0)
        known = QString::fromStdString(m_model->index().string(id)).contains(m_query, Qt::CaseInsensitive) ? 1 : 0;
    return known == 1;
}

void CallbackFilter::matchFrom(std::size_t first, std::vector<int> &out, std::size_t room)
{
    if (!m_model || m_query.isEmpty())
        return;
    const TraceIndex &index = m_model->index();
    const auto &cbs = index.callbacks();
    // A resource's verdict is its strings'; resources repeat (intervals), strings much more.
    for (std::size_t i = first; i < cbs.size(); ++i) {
        const IndexedResource *r = index.resource(cbs[i].asyncId);
        if (!r || r->internal)
            continue;
        bool match = false;
        switch (m_field) {
        case Field::Any:
            match = stringMatches(r->type) || stringMatches(r->name) || stringMatches(r->file);
            break;
        case Field::Type: match = stringMatches(r->type); break;
        case Field::Function: match = stringMatches(r->name); break;
        case Field::File: match = stringMatches(r->file); break;
        }
        if (!match)
            continue;
        ++m_matchCount;
        if (out.size() < room)
            out.push_back(int(i));
    }
    m_scanned = cbs.size();
}

static const IndexedResource *resourceOf(const InspectorModel *model, int callback)
{
    if (!model || callback < 0)
        return nullptr;
    return model->index().resource(model->index().callbacks()[size_t(callback)].asyncId);
}

QString CallbackFilter::sourceFile(int row) const
{
    const IndexedResource *r = resourceOf(m_model, callbackAt(row));
    if (!r || !r->file)
        return {};
    const QString file = QString::fromStdString(m_model->index().string(r->file));
    return file.startsWith(QLatin1String("file://")) ? QUrl(file).toLocalFile() : file;
}

int CallbackFilter::sourceLine(int row) const
{
    const IndexedResource *r = resourceOf(m_model, callbackAt(row));
    return r ? int(r->line) : 0;
}

int CallbackFilter::sourceColumn(int row) const
{
    const IndexedResource *r = resourceOf(m_model, callbackAt(row));
    return r ? int(r->column) : 0;
}

int CallbackFilter::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CallbackFilter::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallbackFilter::data(const QModelIndex &index, int role) const
{
    if (!m_model || !index.isValid() || role != Qt::DisplayRole)
        return {};
    const int cb = callbackAt(index.row());
    if (cb < 0)
        return {};
    const IndexedCallback &c = m_model->index().callbacks()[size_t(cb)];
    const IndexedResource *r = m_model->index().resource(c.asyncId);
    switch (index.column()) {
    case TimeColumn:
        return QStringLiteral("%1 ms").arg(double(c.startNs - m_model->startNs()) / 1e6, 0, 'f', 3);
    case QueueColumn:
        return QString::fromLatin1(callbackQueueName(c.queue));
    case TypeColumn:
        return r ? QString::fromStdString(m_model->index().string(r->type)) : QString();
    case FunctionColumn:
        return r && r->name ? QString::fromStdString(m_model->index().string(r->name)) : QString();
    case SourceColumn:
        return r && r->file ? QStringLiteral("%1:%2").arg(QFileInfo(sourceFile(index.row())).fileName()).arg(r->line)
                            : QString();
    case DurationColumn:
        return QStringLiteral("%1 ms").arg(double(m_model->endOf(c) - c.startNs) / 1e6, 0, 'f', 3);
    }
    return {};
}

QVariant CallbackFilter::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("At");
    case QueueColumn: return tr("Queue");
    case TypeColumn: return tr("Type");
    case FunctionColumn: return tr("Function");
    case SourceColumn: return tr("Created at");
    case DurationColumn: return tr("Duration");
    }
    return {};
}

} // namespace Loopscope::Inspector
