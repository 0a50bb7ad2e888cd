#pragma once
// CallbackFilter — the inspector's search: the callbacks whose resource matches a query, by
// resource type, function name or source file (case-insensitive substring), as a table model
// for the pane's list. A query is matched against the trace's string table once (each distinct
// string, not each callback), so filtering ten million callbacks is one pass of integer
// compares. Follows a live trace: update() looks only at callbacks added since the last call.
//
// GUI thread (a Qt model); reads an InspectorModel it does not own.

#include <QAbstractTableModel>

#include <vector>

namespace Loopscope::Inspector {

class InspectorModel;

class CallbackFilter final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Field { Any, Type, Function, File };
    enum Column { TimeColumn, QueueColumn, TypeColumn, FunctionColumn, SourceColumn, DurationColumn, ColumnCount };

    explicit CallbackFilter(QObject *parent = nullptr);

    void setModel(const InspectorModel *model);  // not owned; null for none
    void setQuery(const QString &text, Field field = Field::Any);
    QString query() const { return m_query; }
    void update();  // the model grew: match the new callbacks

    int callbackAt(int row) const { return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)] : -1; }
    const std::vector<int> &matches() const { return m_rows; }
    // The source location of a row's resource ("" / 0 when unknown).
    QString sourceFile(int row) const;
    int sourceLine(int row) const;
    int sourceColumn(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static constexpr int kMaxRows = 1'000'000;  // enough to scroll; the count says how many matched

    int matchCount() const { return m_matchCount; }

private:
    void rematch();
    void matchFrom(std::size_t first, std::vector<int> &out, std::size_t room);
    bool stringMatches(std::uint32_t id);

    const InspectorModel *m_model = nullptr;
    QString m_query;
    Field m_field = Field::Any;
    std::vector<signed char> m_stringMatch;  // per string id: -1 unknown, 0 no, 1 yes
    std::vector<int> m_rows;
    std::size_t m_scanned = 0;
    int m_matchCount = 0;
};

} // namespace Loopscope::Inspector
