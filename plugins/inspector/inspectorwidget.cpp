#include "inspectorwidget.h"

#include "callbackfilter.h"
#include "causalitychain.h"
#include "constants.h"
#include "inspectormodel.h"
#include "runcontroller.h"
#include "sampletrack.h"
#include "timelinewidget.h"
#include "trace.h"
#include "traceimport.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace Loopscope::Inspector {

using namespace Loopscope::Runtime;

InspectorWidget::InspectorWidget(RunController *runs, QWidget *parent)
    : QWidget(parent)
    , m_timeline(new TimelineWidget)
    , m_causality(new QTreeWidget)
    , m_stats(new QLabel)
    , m_status(new QLabel)
    , m_live(new QTimer(this))
    , m_catchUp(new QTimer(this))
    , m_filter(new CallbackFilter(this))
    , m_search(new QLineEdit)
    , m_searchField(new QComboBox)
    , m_matches(new QTableView)
    , m_matchCount(new QLabel)
    , m_searchDelay(new QTimer(this))
{
    auto *open = new QPushButton(tr("Open Trace…"));
    auto *all = new QPushButton(tr("Show All"));
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addWidget(m_status, 1);
    m_search->setPlaceholderText(tr("Search callbacks: type, function, file…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    m_searchField->addItems({tr("Any"), tr("Type"), tr("Function"), tr("File")});
    m_searchField->setToolTip(tr("What the search matches"));
    bar->addWidget(m_searchField);
    bar->addWidget(m_search);
    bar->addWidget(all);
    bar->addWidget(open);

    m_causality->setHeaderLabels({tr("Caused by"), tr("Created at"), tr("asyncId")});
    m_causality->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_causality->setRootIsDecorated(true);
    m_stats->setTextFormat(Qt::RichText);
    m_stats->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_stats->setWordWrap(true);
    m_stats->setText(tr("Shift+drag on the timeline to see a range's statistics; click a callback for its causes."));
    m_matches->setModel(m_filter);
    m_matches->verticalHeader()->hide();
    m_matches->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_matches->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_matches->setSelectionMode(QAbstractItemView::SingleSelection);
    m_matches->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matches->horizontalHeader()->setStretchLastSection(true);
    m_matches->setWordWrap(false);
    auto *searchPanel = new QWidget;
    auto *searchLayout = new QVBoxLayout(searchPanel);
    searchLayout->setContentsMargins(0, 0, 0, 0);
    searchLayout->setSpacing(2);
    searchLayout->addWidget(m_matchCount);
    searchLayout->addWidget(m_matches, 1);
    m_matchCount->setText(tr("Search above: matching callbacks are listed here."));
    auto *lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(searchPanel);
    lower->addWidget(m_causality);
    lower->addWidget(m_stats);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_timeline);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    m_live->setInterval(Constants::LiveUpdateIntervalMs);
    connect(m_live, &QTimer::timeout, this, &InspectorWidget::refresh);
    m_catchUp->setSingleShot(true);
    m_catchUp->setInterval(0);
    connect(m_catchUp, &QTimer::timeout, this, &InspectorWidget::refresh);
    connect(all, &QPushButton::clicked, this, [this] {
        m_timeline->viewport().showAll();
        m_timeline->update();
    });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Trace"), {},
                                                          tr("Chrome traces (*.json *.json.gz);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openTraceFile(path, &error))
            QMessageBox::warning(this, tr("Open Trace"), error);
    });
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);  // a query per pause in typing, not per key
    connect(m_searchDelay, &QTimer::timeout, this, [this] { setSearch(m_search->text(), m_searchField->currentIndex()); });
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchField, &QComboBox::currentIndexChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_matches, &QTableView::clicked, this, [this](const QModelIndex &index) { activateSearchResult(index.row()); });
    connect(m_matches, &QTableView::activated, this, [this](const QModelIndex &index) { activateSearchResult(index.row()); });
    connect(m_timeline, &TimelineWidget::callbackSelected, this, &InspectorWidget::showCallback);
    connect(m_timeline, &TimelineWidget::rangeSelected, this, &InspectorWidget::showRange);
    connect(m_causality, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString file = item->data(1, Qt::UserRole).toString();
        const int line = item->data(1, Qt::UserRole + 1).toInt();
        QString path = file.startsWith(QLatin1String("file://")) ? QUrl(file).toLocalFile() : file;
        if (!path.isEmpty() && line > 0 && QFileInfo::exists(path))
            Q_EMIT sourceLocationActivated(path, line, item->data(1, Qt::UserRole + 2).toInt());
    });
    connect(m_causality, &QTreeWidget::itemClicked, m_causality, &QTreeWidget::itemActivated);

    if (runs) {
        // The inspector needs traced runs; source locations are what the causality tree shows.
        runs->setTracing(true, true);
        connect(runs, &RunController::traceStarted, this,
                [this](const std::shared_ptr<Trace> &trace) {
                    setTrace(trace);
                    m_live->start();
                });
        connect(runs, &RunController::runFinished, this, [this](const RunResult &result) {
            m_live->stop();
            refresh();
            // A run profiled with Run ▸ Profile: its samples go under their callbacks.
            if (result.cpuProfile)
                m_timeline->setSamples(SampleTrack(result.cpuProfile));
        });
        if (runs->trace())
            setTrace(runs->trace());
    }
    refresh();
}

InspectorWidget::~InspectorWidget() = default;

void InspectorWidget::setTrace(std::shared_ptr<const Trace> trace)
{
    m_timeline->setModel(nullptr);
    m_timeline->setSamples({});
    m_model = trace ? std::make_unique<InspectorModel>(std::move(trace)) : nullptr;
    m_timeline->setModel(m_model.get());
    m_filter->setModel(m_model.get());
    m_causality->clear();
    refresh();
}

void InspectorWidget::setSearch(const QString &text, int field)
{
    m_searchDelay->stop();
    if (m_search->text() != text)
        m_search->setText(text);
    m_searchDelay->stop();
    m_filter->setQuery(text, CallbackFilter::Field(std::clamp(field, 0, 3)));
    m_matches->resizeColumnsToContents();
    refresh();
}

void InspectorWidget::activateSearchResult(int row)
{
    const int cb = m_filter->callbackAt(row);
    if (cb < 0)
        return;
    showCallback(cb);
    m_timeline->revealCallback(cb);
    const QString file = m_filter->sourceFile(row);
    if (!file.isEmpty() && m_filter->sourceLine(row) > 0 && QFileInfo::exists(file))
        Q_EMIT sourceLocationActivated(file, m_filter->sourceLine(row), m_filter->sourceColumn(row));
}

bool InspectorWidget::openTraceFile(const QString &path, QString *error)
{
    auto trace = std::make_shared<Trace>(kOpenedTraceBudgetBytes);
    std::string message;
    if (!readChromeTrace(path.toStdString(), *trace, &message)) {
        if (error)
            *error = QString::fromStdString(message);
        return false;
    }
    setTrace(trace);
    return true;
}

void InspectorWidget::refresh()
{
    // A slice at a time, so that no update holds the GUI thread for long however fast the run.
    if (m_model && m_model->update(Constants::LiveUpdateRecords)) {
        m_timeline->modelUpdated();
        m_filter->update();
    }
    if (m_model && m_model->behind())
        m_catchUp->start();
    if (!m_filter->query().isEmpty())
        m_matchCount->setText(m_filter->matchCount() > int(m_filter->matches().size())
                                  ? tr("%1 callbacks match (first %2 listed)").arg(m_filter->matchCount()).arg(m_filter->matches().size())
                                  : tr("%n callback(s) match", nullptr, m_filter->matchCount()));
    if (!m_model) {
        m_status->setText(tr("No trace"));
        return;
    }
    const auto &index = m_model->index();
    m_status->setText(tr("%1 callbacks · %2 iterations · %3 pool tasks · %4 ms")
                          .arg(index.callbacks().size())
                          .arg(index.iterations())
                          .arg(index.poolTasks().size())
                          .arg(double(m_model->endNs() - m_model->startNs()) / 1e6, 0, 'f', 1));
}

void InspectorWidget::showCallback(int callback)
{
    m_causality->clear();
    if (!m_model)
        return;
    const std::vector<CausalityLink> chain = causalityChain(m_model->index(), callback);
    // Main at the top, the selected callback's resource deepest: read down as "caused".
    QTreeWidgetItem *parent = nullptr;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        QString what = QString::fromStdString(it->type);
        if (!it->name.empty())
            what += QStringLiteral(" — ") + QString::fromStdString(it->name);
        QString where;
        if (!it->file.empty())
            where = QStringLiteral("%1:%2:%3").arg(QFileInfo(QString::fromStdString(it->file)).fileName()).arg(it->line).arg(it->column);
        auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_causality);
        item->setText(0, what);
        item->setText(1, where);
        item->setText(2, QString::number(it->asyncId));
        item->setToolTip(1, QString::fromStdString(it->file));
        item->setData(1, Qt::UserRole, QString::fromStdString(it->file));
        item->setData(1, Qt::UserRole + 1, int(it->line));
        item->setData(1, Qt::UserRole + 2, int(it->column));
        parent = item;
    }
    if (parent) {
        // What the selected resource went on to cause, one level.
        for (const CausalityLink &child : causedBy(m_model->index(), chain.front().asyncId)) {
            auto *item = new QTreeWidgetItem(parent);
            item->setText(0, tr("→ caused %1").arg(QString::fromStdString(child.type)));
            if (!child.file.empty())
                item->setText(1, QStringLiteral("%1:%2").arg(QFileInfo(QString::fromStdString(child.file)).fileName()).arg(child.line));
            item->setText(2, QString::number(child.asyncId));
            item->setData(1, Qt::UserRole, QString::fromStdString(child.file));
            item->setData(1, Qt::UserRole + 1, int(child.line));
            item->setData(1, Qt::UserRole + 2, int(child.column));
        }
        m_causality->expandAll();
        m_causality->setCurrentItem(parent);
    }
    m_timeline->selectCallback(callback);
}

void InspectorWidget::showRange(double startNs, double endNs)
{
    if (!m_model)
        return;
    const RangeStats s = m_model->statistics(startNs, endNs);
    QString html = tr("<b>%1 ms selected</b> · busy in callbacks %2 ms<br>")
                       .arg((endNs - startNs) / 1e6, 0, 'f', 2)
                       .arg(double(s.busyNs) / 1e6, 0, 'f', 2);
    html += tr("<b>Time per phase:</b> ");
    for (int p = 1; p < int(s.phaseNs.size()); ++p)
        if (s.phaseNs[size_t(p)])
            html += QStringLiteral("%1 %2 ms; ").arg(QString::fromLatin1(loopPhaseName(LoopPhase(p))))
                        .arg(double(s.phaseNs[size_t(p)]) / 1e6, 0, 'f', 2);
    html += tr("<br><b>Callbacks per queue:</b> ");
    for (int q = 1; q < int(s.callbacks.size()); ++q)
        if (s.callbacks[size_t(q)])
            html += QStringLiteral("%1 %2; ").arg(QString::fromLatin1(callbackQueueName(CallbackQueue(q)))).arg(s.callbacks[size_t(q)]);
    html += tr("<br><b>Longest:</b> ");
    for (int cb : s.longest) {
        const auto &c = m_model->index().callbacks()[size_t(cb)];
        const IndexedResource *r = m_model->index().resource(c.asyncId);
        html += QStringLiteral("%1 %2 ms; ")
                    .arg(r ? QString::fromStdString(m_model->index().string(r->type)) : QString::fromLatin1(callbackQueueName(c.queue)))
                    .arg(double(m_model->endOf(c) - c.startNs) / 1e6, 0, 'f', 2);
    }
    m_stats->setText(html);
}

QString InspectorWidget::statisticsText() const
{
    return m_stats->text();
}

} // namespace Loopscope::Inspector
