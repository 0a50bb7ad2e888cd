#include "profilerwidget.h"

#include "calltreemodel.h"
#include "constants.h"
#include "flamegraphwidget.h"
#include "profilesession.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace Loopscope::Profiler {

ProfilerWidget::ProfilerWidget(ProfileSession *session, QSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_search(new QLineEdit)
    , m_interval(new QSpinBox)
    , m_summary(new QLabel)
    , m_flame(new FlameGraphWidget)
    , m_tabs(new QTabWidget)
    , m_topDown(new CallTreeModel(this))
    , m_bottomUp(new CallTreeModel(this))
{
    m_search->setPlaceholderText(tr("Search functions and files"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(m_search->fontMetrics().horizontalAdvance(m_search->placeholderText()) + 40);
    auto *open = new QPushButton(tr("Open…"));
    open->setToolTip(tr("Open a .cpuprofile (Loopscope's, node --cpu-prof's, Chrome DevTools')"));
    auto *reset = new QPushButton(tr("Reset Zoom"));
    // The same bounds as `loopscope run --cpu-profile-interval`.
    m_interval->setRange(50, 1000000);
    m_interval->setSingleStep(100);
    m_interval->setPrefix(tr("Profile every "));  // the next Run ▸ Profile; the summary says the shown one's
    m_interval->setSuffix(tr(" µs"));
    m_interval->setToolTip(tr("How often Run ▸ Profile samples the script: shorter shows more detail "
                              "and costs the run more"));
    m_interval->setVisible(settings != nullptr);
    if (settings) {
        m_interval->setValue(settings->value(QLatin1String(Constants::IntervalKey), Constants::DefaultIntervalUs).toInt());
        connect(m_interval, &QSpinBox::valueChanged, this, [settings](int us) {
            settings->setValue(QLatin1String(Constants::IntervalKey), us);
        });
    }
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_summary);
    bar->addWidget(m_interval);
    bar->addWidget(reset);
    bar->addWidget(open);

    m_tabs->addTab(m_bottomUpView = makeTable(m_bottomUp, &m_bottomUpProxy), tr("Bottom-up"));
    m_tabs->addTab(m_topDownView = makeTable(m_topDown, &m_topDownProxy), tr("Top-down"));
    auto *split = new QSplitter(Qt::Vertical);
    auto *scroll = new QScrollArea;  // deep stacks scroll; the width always fits the view
    scroll->setWidget(m_flame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    split->addWidget(scroll);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, this, &ProfilerWidget::applySearch);
    connect(reset, &QPushButton::clicked, m_flame, &FlameGraphWidget::resetZoom);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open CPU Profile"), {},
                                                          tr("CPU profiles (*.cpuprofile *.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !m_session->openFile(path, &error))
            QMessageBox::warning(this, tr("Open CPU Profile"), error);
    });
    connect(m_flame, &FlameGraphWidget::frameActivated, this, [this](int frame) {
        const auto &cf = m_flame->flameLayout().callFrame(frame);
        activateLocation(QString::fromStdString(cf.url), cf.lineNumber + 1, cf.columnNumber + 1);
    });
    connect(m_session, &ProfileSession::profileChanged, this, &ProfilerWidget::showProfile);
    showProfile();
}

QTreeView *ProfilerWidget::makeTable(CallTreeModel *model, QSortFilterProxyModel **proxy)
{
    auto *p = new QSortFilterProxyModel(this);
    p->setSourceModel(model);
    p->setSortRole(CallTreeModel::SortRole);
    p->setFilterCaseSensitivity(Qt::CaseInsensitive);
    p->setRecursiveFilteringEnabled(true);  // a match keeps its ancestors visible
    p->setFilterKeyColumn(-1);               // function name or source
    *proxy = p;
    auto *view = new QTreeView;
    view->setModel(p);
    view->setSortingEnabled(true);
    view->sortByColumn(CallTreeModel::TotalColumn, Qt::DescendingOrder);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->header()->setStretchLastSection(false);
    view->header()->setSectionResizeMode(CallTreeModel::FunctionColumn, QHeaderView::Stretch);
    view->header()->setSectionResizeMode(CallTreeModel::SourceColumn, QHeaderView::ResizeToContents);
    view->header()->resizeSection(CallTreeModel::SelfColumn, 130);
    view->header()->resizeSection(CallTreeModel::TotalColumn, 130);
    // A click or Enter on a row moves the editor to the function's line.
    const auto goToRow = [this](const QModelIndex &index) {
        activateLocation(index.data(CallTreeModel::UrlRole).toString(), index.data(CallTreeModel::LineRole).toInt(),
                         index.data(CallTreeModel::ColumnRole).toInt());
    };
    connect(view, &QTreeView::activated, this, goToRow);
    connect(view, &QTreeView::clicked, this, goToRow);
    return view;
}

void ProfilerWidget::showProfile()
{
    const auto profile = m_session->profile();
    m_flame->setLayout(FlameGraphLayout(profile));
    m_topDown->setTree(CallTree::topDown(profile));
    m_bottomUp->setTree(CallTree::bottomUp(profile));
    m_topDownView->expandToDepth(2);
    applySearch(m_search->text());
}

QString ProfilerWidget::summaryText() const
{
    const auto profile = m_session->profile();
    if (!profile)
        return tr("no profile");
    QString text = tr("%1 samples · %2 ms")
                       .arg(profile->samples.size())
                       .arg(double(profile->endTime - profile->startTime) / 1000.0, 0, 'f', 1);
    if (profile->samplingIntervalUs > 0)
        text += tr(" · every %1 µs").arg(profile->samplingIntervalUs);
    if (!m_search->text().isEmpty())
        text += tr(" · matches %1 %").arg(100.0 * m_matchShare, 0, 'f', 1);
    return text;
}

void ProfilerWidget::setSearchText(const QString &text)
{
    m_search->setText(text);
}

void ProfilerWidget::applySearch(const QString &text)
{
    m_matchShare = m_flame->setSearchText(text);
    m_topDownProxy->setFilterFixedString(text);
    m_bottomUpProxy->setFilterFixedString(text);
    m_summary->setText(summaryText());
    m_summary->setToolTip(m_session->title());
}

void ProfilerWidget::activateLocation(const QString &url, int line, int column)
{
    // Only the script's own files open in the editor: node:internal frames have no file here.
    QString path;
    if (url.startsWith(QLatin1String("file://")))
        path = QUrl(url).toLocalFile();
    else if (url.startsWith(QLatin1Char('/')))
        path = url;
    if (path.isEmpty() || line <= 0 || !QFileInfo::exists(path))
        return;
    Q_EMIT sourceLocationActivated(path, line, std::max(column, 0));
}

} // namespace Loopscope::Profiler
