#include "mainwindow.h"

#include "codeeditor.h"
#include "findbar.h"
#include "lessonlist.h"
#include "nodeprocess.h"
#include "runcontroller.h"
#include "runstatus.h"
#include "tracecursor.h"
#include "tracescrubber.h"
#include "threadpoolselector.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStatusBar>
#include <QStringDecoder>
#include <QStyleHints>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QStyle>
#include <QVBoxLayout>

namespace Loopscope::Ui {

namespace Key {
constexpr char Geometry[] = "MainWindow/geometry";
constexpr char State[] = "MainWindow/state";
constexpr char File[] = "Editor/file";
constexpr char Zoom[] = "Editor/zoom";
constexpr char Theme[] = "Appearance/theme";
constexpr char Recent[] = "Files/recent";
}
constexpr int kMaxRecent = 8;
constexpr int kMinZoom = -5, kMaxZoom = 20;

static QString defaultRecoveryPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery.json");
}

MainWindow::MainWindow(const PaneRegistry &panes, MainWindowOptions options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(std::move(options))
    , m_settings(m_options.settingsFile.isEmpty() ? new QSettings(this)
                                                  : new QSettings(m_options.settingsFile, QSettings::IniFormat, this))
    , m_runs(new Runtime::RunController(this))
    , m_traceCursor(new TraceCursor(this))
    , m_editor(new CodeEditor)
    , m_stateLabel(new QLabel)
    , m_nodeLabel(new QLabel)
    , m_statusTimer(new QTimer(this))
    , m_autosaveTimer(new QTimer(this))
    , m_baseFontSize(QApplication::font().pointSizeF() > 0 ? QApplication::font().pointSizeF() : 10.0)
    , m_recovery(m_options.recoveryFile.isEmpty() ? defaultRecoveryPath() : m_options.recoveryFile)
{
    setObjectName(QStringLiteral("Loopscope.MainWindow"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    // The centre: an offer to restore unsaved text (hidden unless there is some), the editor.
    auto *centre = new QWidget;
    auto *layout = new QVBoxLayout(centre);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_recoveryBar = new QWidget;
    auto *bar = new QHBoxLayout(m_recoveryBar);
    m_recoveryLabel = new QLabel;
    auto *restore = new QPushButton(tr("Restore"));
    auto *discard = new QPushButton(tr("Discard"));
    bar->addWidget(m_recoveryLabel, 1);
    bar->addWidget(restore);
    bar->addWidget(discard);
    connect(restore, &QPushButton::clicked, this, &MainWindow::restoreRecovery);
    connect(discard, &QPushButton::clicked, this, &MainWindow::discardRecovery);
    m_recoveryBar->hide();
    layout->addWidget(m_recoveryBar);
    layout->addWidget(m_editor, 1);
    m_findBar = new FindBar(m_editor, centre);
    connect(m_findBar, &FindBar::notFound, this,
            [this](const QString &text) { statusBar()->showMessage(tr("“%1” not found").arg(text), 3000); });
    layout->addWidget(m_findBar);
    setCentralWidget(centre);

    connect(m_editor->document(), &QTextDocument::modificationChanged, this, &MainWindow::setWindowModified);

    statusBar()->addWidget(m_stateLabel, 1);
    m_nodeLabel->setText(tr("Node.js %1").arg(QString::fromStdString(Runtime::NodeProcess::nodeVersion())));
    if (!m_options.policyNotice.isEmpty()) {
        auto *policy = new QLabel(tr("Safe mode (set by your administrator)"));
        policy->setObjectName(QStringLiteral("Loopscope.PolicyNotice"));
        policy->setToolTip(m_options.policyNotice);
        statusBar()->addPermanentWidget(policy);
    }
    statusBar()->addPermanentWidget(m_nodeLabel);
    m_statusTimer->setInterval(250);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateRunState);

    connect(m_runs, &Runtime::RunController::runStarted, this, [this] {
        m_editor->setErrorLine(0);
        m_statusTimer->start();
        updateRunState();
    });
    connect(m_runs, &Runtime::RunController::runFinished, this, &MainWindow::onRunFinished);
    // Step mode: the status bar says where a paused run waits.
    connect(m_runs, &Runtime::RunController::paused, this, &MainWindow::updateRunState);
    connect(m_runs, &Runtime::RunController::resumed, this, &MainWindow::updateRunState);

    // Runs are traced so the panes and the timeline can show (and replay) what the loop did.
    m_runs->setTracing(true);
    m_traceCursor->followRuns(m_runs);
    // The editor marks the line that scheduled the callback running at the cursor.
    auto markRunningLine = [this] {
        const TraceCursor::SourceLine source = m_traceCursor->runningSourceLine();
        highlightSourceLine(source.path, source.line);
    };
    connect(m_traceCursor, &TraceCursor::cursorMoved, this, markRunningLine);
    connect(m_traceCursor, &TraceCursor::traceChanged, this, markRunningLine);
    auto *timeline = new QToolBar(tr("Timeline"), this);
    timeline->setObjectName(QStringLiteral("Loopscope.Timeline"));
    timeline->setMovable(false);
    m_traceScrubber = new TraceScrubber(m_traceCursor, timeline);
    timeline->addWidget(m_traceScrubber);
    addToolBar(Qt::BottomToolBarArea, timeline);

    createPanes(panes);
    createActions();
    restoreSettings();
    updateRunState();

    m_autosaveTimer->setInterval(m_options.autosaveIntervalMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosaveNow);
    m_autosaveTimer->start();
    connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, this, [this] {
        if (m_themeMode == ThemeMode::System)
            setThemeMode(ThemeMode::System);
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::createPanes(const PaneRegistry &panes)
{
    PaneContext context{m_runs};
    context.showPane = [this](const QString &paneId) { return showPane(paneId); };
    context.highlightSourceLines = [this](const QString &path, int first, int last) {
        highlightSourceLines(path, first, last);
    };
    context.settings = m_settings;
    context.traceCursor = m_traceCursor;
    context.highlightSourceLine = [this](const QString &path, int line) { highlightSourceLine(path, line); };
    context.showSourceLocation = [this](const QString &path, int line, int column) {
        showSourceLocation(path, line, column);
    };
    for (const PaneFactory &factory : panes.factories()) {
        std::unique_ptr<Pane> pane = factory(context);
        if (!pane) {
            qWarning("Loopscope: a plugin's pane could not be created; skipped");
            continue;
        }
        // The dock exists from the start (the saved layout names it); the pane's view is made
        // when the dock is first shown.
        auto *dock = new QDockWidget(pane->displayName(), this);
        dock->setObjectName(pane->id());
        addDockWidget(pane->defaultArea(), dock);
        Pane *p = pane.get();
        connect(dock, &QDockWidget::visibilityChanged, this, [this, dock, p](bool visible) {
            if (visible && !dock->widget())
                createPaneWidget(dock, p);
        });
        m_docks.append(dock);
        m_panes.push_back(std::move(pane));
    }
}

void MainWindow::createPaneWidget(QDockWidget *dock, Pane *pane)
{
    QWidget *widget = pane->createWidget(dock);
    if (!widget) {
        // A broken plugin costs its dock, never the window.
        qWarning("Loopscope: pane %s made no widget; skipped", qPrintable(pane->id()));
        m_docks.removeAll(dock);
        removeDockWidget(dock);
        dock->toggleViewAction()->setVisible(false);
        dock->deleteLater();
        return;
    }
    dock->setWidget(widget);
}

QWidget *MainWindow::paneWidget(const QString &paneId) const
{
    QDockWidget *d = dock(paneId);
    return d ? d->widget() : nullptr;
}

QDockWidget *MainWindow::dock(const QString &paneId) const
{
    for (QDockWidget *d : m_docks)
        if (d->objectName() == paneId)
            return d;
    return nullptr;
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New"), QKeySequence::New, this, &MainWindow::newFile);
    // Node 24 runs TypeScript by stripping its types; so does every run here.
    file->addAction(tr("New &TypeScript"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), this,
                    &MainWindow::newTypeScriptFile);
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        if (!maybeSave())
            return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open script"), QFileInfo(m_filePath).absolutePath(),
                                                          tr("Scripts (*.js *.mjs *.cjs *.ts *.mts *.cts *.json);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QAction *openTraceAction = file->addAction(tr("Open &Trace…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open trace"), QFileInfo(m_filePath).absolutePath(),
                                                          tr("Traces (*.json *.json.gz);;All files (*)"));
        if (!path.isEmpty())
            openTrace(path);
    });
    openTraceAction->setObjectName(QStringLiteral("Loopscope.OpenTrace"));
    m_lessonsMenu = file->addMenu(tr("&Lessons"));
    m_lessonsMenu->setObjectName(QStringLiteral("Loopscope.LessonsMenu"));
    rebuildLessonsMenu();
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, [this] { saveAs(); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *goTo = edit->addAction(tr("&Go to Line…"), QKeySequence(Qt::CTRL | Qt::Key_G), this, [this] {
        bool ok = false;
        const int line = QInputDialog::getInt(this, tr("Go to Line"), tr("Line:"),
                                              m_editor->textCursor().blockNumber() + 1, 1,
                                              m_editor->document()->blockCount(), 1, &ok);
        if (ok)
            m_editor->goToLine(line);
    });
    goTo->setObjectName(QStringLiteral("Loopscope.GoToLine"));
    edit->addSeparator();
    QAction *find = edit->addAction(tr("&Find…"), QKeySequence(Qt::CTRL | Qt::Key_F), m_findBar, &FindBar::showFind);
    find->setObjectName(QStringLiteral("Loopscope.Find"));
    QAction *replace = edit->addAction(tr("&Replace…"), QKeySequence(Qt::CTRL | Qt::Key_H), m_findBar, &FindBar::showReplace);
    replace->setObjectName(QStringLiteral("Loopscope.Replace"));

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("&Run"), QKeySequence(Qt::Key_F5), this, &MainWindow::runScript);
    m_stopAction = run->addAction(tr("&Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5), this, &MainWindow::stopScript);
    run->addAction(tr("R&e-run"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F5), this, &MainWindow::rerunScript);
    m_stopAction->setEnabled(false);
    m_runAction->setObjectName(QStringLiteral("Loopscope.Run"));
    QAction *rerun = run->actions().last();
    m_runAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_stopAction->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    rerun->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    QToolBar *tools = addToolBar(tr("Run"));
    tools->setObjectName(QStringLiteral("Loopscope.RunToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(m_runAction);
    tools->addAction(m_stopAction);
    tools->addAction(rerun);
    run->addAction(tr("&Profile"), QKeySequence(Qt::ALT | Qt::Key_F5), this, &MainWindow::profileScript);

    // Step mode. F5 is Run while idle and Continue while a stepped run is under way: only one
    // of the two is ever enabled, so the shortcut is never ambiguous.
    run->addSeparator();
    m_stepAction = run->addAction(tr("S&tep"), QKeySequence(Qt::Key_F10), this, &MainWindow::stepScript);
    m_stepAction->setObjectName(QStringLiteral("Loopscope.Step"));
    m_stepAction->setToolTip(tr("Run one callback, then pause before the next (starts a run paused)"));
    m_stepAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_stepPhaseAction = run->addAction(tr("Step to Next &Phase"), QKeySequence(Qt::SHIFT | Qt::Key_F10), this,
                                       &MainWindow::stepToNextPhase);
    m_stepPhaseAction->setObjectName(QStringLiteral("Loopscope.StepToNextPhase"));
    m_stepPhaseAction->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    m_continueAction = run->addAction(tr("&Continue"), QKeySequence(Qt::Key_F5), this, &MainWindow::continueScript);
    m_continueAction->setObjectName(QStringLiteral("Loopscope.Continue"));
    m_continueAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    tools->addSeparator();
    tools->addAction(m_stepAction);
    tools->addAction(m_stepPhaseAction);
    tools->addAction(m_continueAction);
    m_stepRateBox = new QSpinBox;
    m_stepRateBox->setObjectName(QStringLiteral("Loopscope.StepRate"));
    m_stepRateBox->setRange(0, 100);
    m_stepRateBox->setSpecialValueText(tr("Slow motion off"));
    m_stepRateBox->setPrefix(tr("Slow motion: "));
    m_stepRateBox->setSuffix(tr(" callbacks/s"));
    m_stepRateBox->setToolTip(tr("Play a stepped run at this many callbacks per second"));
    m_stepRateBox->setAccessibleName(tr("Slow motion speed"));
    connect(m_stepRateBox, &QSpinBox::valueChanged, this, [this](int rate) { m_runs->setStepRate(rate); });
    tools->addWidget(m_stepRateBox);
    updateStepActions();
    // The pool size of the next run (issue 7); a size other than this process's runs in a child.
    auto *pool = new ThreadPoolSelector(m_runs, m_settings);
    tools->addSeparator();
    tools->addWidget(pool);
    run->addSeparator();
    run->addMenu(pool->createMenu(run));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *in = view->addAction(tr("Zoom &In"), this, &MainWindow::zoomIn);
    in->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    view->addAction(tr("Zoom &Out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), this, &MainWindow::zoomOut);
    view->addAction(tr("&Reset Zoom"), QKeySequence(Qt::CTRL | Qt::Key_0), this, &MainWindow::zoomReset);
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    for (auto [mode, label] : {std::pair{ThemeMode::System, tr("Follow the &System")},
                               std::pair{ThemeMode::Light, tr("&Light")}, std::pair{ThemeMode::Dark, tr("&Dark")}}) {
        QAction *a = theme->addAction(label, this, [this, mode] { setThemeMode(mode); });
        a->setCheckable(true);
        a->setData(int(mode));
        m_themeGroup->addAction(a);
    }
    view->addSeparator();
    for (QDockWidget *d : m_docks)
        view->addAction(d->toggleViewAction());
}

void MainWindow::setLessons(const QList<LessonEntry> &lessons)
{
    m_options.lessons = lessons;
    rebuildLessonsMenu();
}

void MainWindow::rebuildLessonsMenu()
{
    m_lessonsMenu->clear();
    for (const LessonEntry &lesson : std::as_const(m_options.lessons)) {
        const QString mark = lesson.completed ? QStringLiteral("✓ ") : QString();
        m_lessonsMenu->addAction(mark + QStringLiteral("%1 — %2").arg(lesson.id.left(2), lesson.title), this, [this, lesson] {
            if (maybeSave())
                openFile(lesson.scriptPath);
        });
    }
    m_lessonsMenu->addSeparator();
    QAction *add = m_lessonsMenu->addAction(tr("Add Lessons &Folder…"), this, [this] {
        const QString folder = m_options.askLessonsFolder
            ? m_options.askLessonsFolder()
            : QFileDialog::getExistingDirectory(this, tr("Add a folder of lessons"), QDir::homePath());
        if (!folder.isEmpty())
            Q_EMIT lessonsFolderChosen(folder);
    });
    add->setObjectName(QStringLiteral("Loopscope.AddLessonsFolder"));
}

bool MainWindow::showPane(const QString &paneId)
{
    QDockWidget *d = dock(paneId);
    if (!d)
        return false;
    d->show();
    d->raise();
    return true;
}

void MainWindow::restoreSettings()
{
    m_recent = m_settings->value(Key::Recent).toStringList();
    rebuildRecentMenu();
    setThemeMode(themeModeFromName(m_settings->value(Key::Theme).toString()));
    setZoomSteps(m_settings->value(Key::Zoom, 0).toInt());

    if (!restoreGeometry(m_settings->value(Key::Geometry).toByteArray()))
        resize(1100, 720);
    restoreState(m_settings->value(Key::State).toByteArray());

    bool opened = false;
    // `loopscope TRACE.json.gz` shows a saved trace (gzip is never a script); the editor then
    // opens what it would open without a file.
    const bool trace = m_options.fileToOpen.endsWith(QLatin1String(".json.gz"), Qt::CaseInsensitive)
        && openTrace(m_options.fileToOpen);
    if (!m_options.fileToOpen.isEmpty() && !trace)
        opened = openFile(m_options.fileToOpen);
    else if (m_settings->contains(Key::File)) {
        const QString last = m_settings->value(Key::File).toString();
        opened = !last.isEmpty() && QFileInfo::exists(last) && openFile(last);
    } else if (!m_options.defaultLesson.isEmpty()) {
        opened = openFile(m_options.defaultLesson);  // the first start
    }
    if (!opened)
        newFile();
    offerRecovery();
}

void MainWindow::saveSettings()
{
    m_settings->setValue(Key::Geometry, saveGeometry());
    m_settings->setValue(Key::State, saveState());
    m_settings->setValue(Key::File, m_filePath);
    m_settings->setValue(Key::Zoom, m_zoomSteps);
    m_settings->setValue(Key::Theme, themeModeName(m_themeMode));
    m_settings->setValue(Key::Recent, m_recent);
    m_settings->sync();
}

void MainWindow::offerRecovery()
{
    std::optional<RecoveryStore::Snapshot> snapshot = m_recovery.load();
    if (!snapshot)
        return;
    m_pendingRecovery = snapshot;
    const QString name = snapshot->filePath.isEmpty() ? tr("an untitled script") : QFileInfo(snapshot->filePath).fileName();
    m_recoveryLabel->setText(tr("Unsaved text of %1 was recovered from the last session.").arg(name));
    m_recoveryBar->show();
}

void MainWindow::restoreRecovery()
{
    if (!m_pendingRecovery)
        return;
    const RecoveryStore::Snapshot s = *std::exchange(m_pendingRecovery, std::nullopt);
    m_recoveryBar->hide();
    if (!s.filePath.isEmpty() && QFileInfo::exists(s.filePath))
        openFile(s.filePath);
    else
        newFile();
    // Restored text is unsaved text: the document stays modified, and it is never run by itself.
    m_editor->setReadOnly(false);
    m_readOnlyLesson = false;
    m_editor->setPlainText(s.text);
    m_editor->document()->setModified(true);
    updateTitle();
    autosaveNow();
}

void MainWindow::discardRecovery()
{
    m_pendingRecovery.reset();
    m_recoveryBar->hide();
    m_recovery.clear();
    autosaveNow();
}

void MainWindow::autosaveNow()
{
    if (m_pendingRecovery)
        return;  // the last session's text stays on disk until the user decides
    if (!isModified()) {
        m_recovery.clear();
        m_autosavedRevision = -1;
    } else if (m_editor->document()->revision() != m_autosavedRevision) {  // only what changed
        if (m_recovery.save({m_filePath, m_editor->toPlainText()}))
            m_autosavedRevision = m_editor->document()->revision();
    }
}

bool MainWindow::isModified() const
{
    return m_editor->document()->isModified();
}

void MainWindow::setDocument(const QString &path, const QString &text, bool readOnly)
{
    m_filePath = path;
    m_readOnlyLesson = readOnly;
    m_originalBytes.reset();
    m_decodedCleanly = true;
    m_editor->setFileName(path.isEmpty() ? m_untitledName : QFileInfo(path).fileName());
    m_editor->setPlainText(text);
    m_editor->setReadOnly(readOnly);
    m_editor->document()->setModified(false);
    updateTitle();
    // Remembered at once, so the next start finds the file (and its recovered text) after a crash.
    m_settings->setValue(Key::File, path);
}

void MainWindow::newFile()
{
    newUntitled(QStringLiteral("untitled.js"));
}

void MainWindow::newTypeScriptFile()
{
    newUntitled(QStringLiteral("untitled.ts"));
}

// The name decides the editor's highlighting and how node runs the untitled script.
void MainWindow::newUntitled(const QString &name)
{
    if (!maybeSave())
        return;
    m_untitledName = name;
    setDocument({}, {}, false);
}

bool MainWindow::openFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, f.errorString()), 5000);
        return false;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // A binary or huge file would make the editor crawl (or show garbage): ask first.
    QString reason;
    if (f.size() > kLargeFileBytes)
        reason = tr("%1 is very large (%2 MB).").arg(QFileInfo(path).fileName()).arg(f.size() / (1024 * 1024));
    else if (f.peek(kBinarySniffBytes).contains('\0'))
        reason = tr("%1 looks like a binary file.").arg(QFileInfo(path).fileName());
    if (!reason.isEmpty()) {
        const bool open = m_options.askToOpenUnusual
            ? m_options.askToOpenUnusual(absolute, reason)
            : QMessageBox::question(this, tr("Open file"), reason + QLatin1Char(' ') + tr("Open it anyway?"))
                  == QMessageBox::Yes;
        if (!open)
            return false;
    }
    const QByteArray bytes = f.readAll();
    QStringDecoder utf8(QStringDecoder::Utf8);
    QString text = utf8.decode(bytes);
    const bool clean = !utf8.hasError();
    if (!clean)
        text = QString::fromLatin1(bytes);  // shown as Latin-1; saved back as it was unless edited
    bool lesson = isInside(absolute, m_options.lessonsDirectory);
    for (const LessonEntry &entry : std::as_const(m_options.lessons))
        lesson = lesson || isInside(absolute, QFileInfo(entry.scriptPath).absolutePath());
    setDocument(absolute, text, lesson);
    m_originalBytes = bytes;
    m_decodedCleanly = clean;
    if (!clean)
        statusBar()->showMessage(tr("%1 is not valid UTF-8; shown as Latin-1").arg(QFileInfo(path).fileName()), 5000);
    if (!lesson)
        addRecent(absolute);
    Q_EMIT documentOpened(absolute);
    return true;
}

void MainWindow::highlightSourceLine(const QString &path, int line)
{
    const bool here = !path.isEmpty() && QFileInfo(path).absoluteFilePath() == m_filePath;
    m_editor->setTraceLine(here ? line : 0);
}

bool MainWindow::openTrace(const QString &path)
{
    QString error;
    if (!m_traceCursor->openFile(path, &error)) {
        statusBar()->showMessage(tr("Cannot open the trace %1: %2").arg(QFileInfo(path).fileName(), error), 8000);
        return false;
    }
    statusBar()->showMessage(tr("Showing the trace %1").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

bool MainWindow::showSourceLocation(const QString &path, int line, int column)
{
    Q_UNUSED(column);
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != m_filePath && (!maybeSave() || !openFile(absolute)))
        return false;
    m_editor->goToLine(line);
    m_editor->setErrorLine(line);
    activateWindow();
    return true;
}

bool MainWindow::highlightSourceLines(const QString &path, int firstLine, int lastLine)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != m_filePath && (!maybeSave() || !openFile(absolute)))
        return false;
    m_editor->setHighlightedLines(firstLine, lastLine);
    return true;
}

bool MainWindow::writeFile(const QString &path)
{
    // Unedited text goes back byte for byte, whatever its encoding; edited text as UTF-8.
    const bool original = m_originalBytes && !isModified();
    const QByteArray bytes = original ? *m_originalBytes : m_editor->toPlainText().toUtf8();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) < 0 || !f.commit()) {
        QMessageBox::warning(this, tr("Save"), tr("Cannot save %1: %2").arg(path, f.errorString()));
        return false;
    }
    m_originalBytes = bytes;
    m_decodedCleanly = m_decodedCleanly || !original;
    return true;
}

bool MainWindow::save()
{
    if (m_filePath.isEmpty() || m_readOnlyLesson)
        return saveAs();
    if (!writeFile(m_filePath))
        return false;
    m_editor->document()->setModified(false);
    autosaveNow();
    return true;
}

bool MainWindow::saveAs(const QString &requested)
{
    QString path = requested;
    if (path.isEmpty()) {
        if (m_options.askSaveFileName)
            path = m_options.askSaveFileName();
        else
            path = QFileDialog::getSaveFileName(this, tr("Save script as"),
                                                m_readOnlyLesson ? QDir::homePath() + QLatin1Char('/') + QFileInfo(m_filePath).fileName()
                                                                 : m_filePath,
                                                tr("Scripts (*.js *.mjs *.cjs *.ts *.mts *.cts *.json);;All files (*)"));
    }
    if (path.isEmpty() || !writeFile(path))
        return false;
    m_filePath = QFileInfo(path).absoluteFilePath();
    m_settings->setValue(Key::File, m_filePath);
    m_readOnlyLesson = false;
    m_editor->setReadOnly(false);
    m_editor->setFileName(QFileInfo(path).fileName());
    m_editor->document()->setModified(false);
    addRecent(m_filePath);
    updateTitle();
    autosaveNow();
    return true;
}

bool MainWindow::maybeSave()
{
    if (!isModified())
        return true;
    const QString name = m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
    SaveChoice choice;
    if (m_options.askToSave) {
        choice = m_options.askToSave(name);
    } else {
        const auto b = QMessageBox::warning(this, tr("Unsaved changes"), tr("%1 has unsaved changes.").arg(name),
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        choice = b == QMessageBox::Save ? SaveChoice::Save : b == QMessageBox::Discard ? SaveChoice::Discard : SaveChoice::Cancel;
    }
    switch (choice) {
    case SaveChoice::Save: return save();
    case SaveChoice::Discard:
        m_editor->document()->setModified(false);
        return true;
    case SaveChoice::Cancel: break;
    }
    return false;
}

void MainWindow::addRecent(const QString &path)
{
    m_recent.removeAll(path);
    m_recent.prepend(path);
    while (m_recent.size() > kMaxRecent)
        m_recent.removeLast();
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    for (const QString &path : std::as_const(m_recent))
        m_recentMenu->addAction(QFileInfo(path).fileName() + QStringLiteral("  —  ") + path, this, [this, path] {
            if (maybeSave())
                openFile(path);
        });
    m_recentMenu->setEnabled(!m_recent.isEmpty());
}

void MainWindow::updateTitle()
{
    QString name = m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
    if (m_readOnlyLesson)
        name = tr("%1 (lesson %2, read-only)").arg(name, QFileInfo(m_filePath).dir().dirName());
    setWindowTitle(name + QStringLiteral("[*] — Loopscope"));
    setWindowModified(isModified());
}

QString MainWindow::scriptForRun()
{
    if (!m_filePath.isEmpty()) {
        if (isModified() && !save())
            return {};
        return m_filePath;
    }
    // An untitled script runs from a private folder; it is not saved anywhere the user sees.
    if (!m_untitledDir)
        m_untitledDir = std::make_unique<QTemporaryDir>();
    const QString path = m_untitledDir->filePath(m_untitledName);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(m_editor->toPlainText().toUtf8()) < 0 || !f.commit())
        return {};
    return path;
}

void MainWindow::runScript()
{
    startRun(false);
}

void MainWindow::startRun(bool stepMode)
{
    if (m_runs->isRunning())
        return;
    const QString path = scriptForRun();
    if (path.isEmpty())
        return;
    m_runs->setStepMode(stepMode);
    m_runs->run(path);
    if (stepMode && m_stepRateBox->value() > 0)
        m_runs->setStepRate(m_stepRateBox->value());
    m_runAction->setEnabled(false);
    m_stopAction->setEnabled(true);
    updateStepActions();
}

void MainWindow::stepScript()
{
    if (!m_runs->isRunning()) {
        startRun(true);
        return;
    }
    endSlowMotion();
    m_runs->step();
}

void MainWindow::stepToNextPhase()
{
    endSlowMotion();
    m_runs->stepToNextPhase();
}

void MainWindow::continueScript()
{
    endSlowMotion();
    m_runs->continueRun();
}

// A manual command ends slow motion; the command itself tells the run what to do instead.
void MainWindow::endSlowMotion()
{
    const QSignalBlocker blocker(m_stepRateBox);
    m_stepRateBox->setValue(0);
}

void MainWindow::updateStepActions()
{
    const bool stepping = m_runs->isStepping();
    m_stepAction->setEnabled(!m_runs->isRunning() || stepping);
    m_stepPhaseAction->setEnabled(stepping);
    m_continueAction->setEnabled(stepping);
}

void MainWindow::profileScript()
{
    if (m_runs->isRunning())
        return;
    // Profiling is for this one run only; the pane (a plugin) picks the profile up at its end.
    m_runs->setCpuProfiling(true, m_settings->value(QStringLiteral("Profiler/intervalUs"), 500).toInt());
    runScript();
    m_runs->setCpuProfiling(false);
    if (QDockWidget *d = dock(QStringLiteral("Loopscope.Profiler.Pane"))) {
        d->show();
        d->raise();
    }
}

void MainWindow::stopScript()
{
    m_runs->stop();
}

void MainWindow::rerunScript()
{
    if (m_runs->isRunning()) {
        m_rerunPending = true;
        m_runs->stop();
    } else {
        runScript();
    }
}

void MainWindow::onRunFinished(const Runtime::RunResult &result)
{
    m_lastResult = result;
    m_statusTimer->stop();
    m_runAction->setEnabled(true);
    m_stopAction->setEnabled(false);
    updateStepActions();
    updateRunState();
    if (std::exchange(m_rerunPending, false))
        runScript();
}

QString MainWindow::runStateText() const
{
    return m_stateLabel->text();
}

void MainWindow::updateRunState()
{
    if (const auto point = m_runs->pausedAt()) {
        m_stateLabel->setText(pausedText(*point));
        return;
    }
    QString text = Ui::runStateText(m_runs->isRunning(), m_runs->elapsedMs(), m_lastResult);
    if (!m_runs->isRunning() && m_lastResult)
        text += tr(" after %1").arg(durationText(m_lastResult->durationMs));
    m_stateLabel->setText(text);
}

double MainWindow::zoomFactor() const
{
    return 1.0 + 0.1 * m_zoomSteps;
}

void MainWindow::setZoomSteps(int steps)
{
    m_zoomSteps = qBound(kMinZoom, steps, kMaxZoom);
    const double size = m_baseFontSize * zoomFactor();
    QFont editorFont = m_editor->font();
    editorFont.setPointSizeF(size);
    m_editor->setFont(editorFont);
    // Only the size is set on the docks, so each pane keeps its own family (the console's mono).
    QFont paneFont;
    paneFont.setPointSizeF(size);
    for (QDockWidget *d : std::as_const(m_docks))
        d->setFont(paneFont);
}

void MainWindow::zoomIn() { setZoomSteps(m_zoomSteps + 1); }
void MainWindow::zoomOut() { setZoomSteps(m_zoomSteps - 1); }
void MainWindow::zoomReset() { setZoomSteps(0); }

void MainWindow::setThemeMode(ThemeMode mode)
{
    m_themeMode = mode;
    applyTheme(mode);
    m_editor->updateTheme();
    if (m_themeGroup)
        for (QAction *a : m_themeGroup->actions())
            a->setChecked(a->data().toInt() == int(mode));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_runs->stop();
    saveSettings();
    autosaveNow();
    event->accept();
}

} // namespace Loopscope::Ui
