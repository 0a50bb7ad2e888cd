#pragma once
// MainWindow — the IDE shell: the editor in the centre, plugin panes docked around it, the
// File/Run/View menus, the status bar, settings, recovery of unsaved text. It knows panes only
// through the PaneRegistry, and runs only through the RunController. GUI thread only.

#include "lessonlist.h"
#include "paneregistry.h"
#include "recoverystore.h"
#include "runtypes.h"
#include "theme.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QSettings;
class QSpinBox;
class QTemporaryDir;
class QTimer;

namespace Loopscope::Runtime { class RunController; }

namespace Loopscope::Ui {

class CodeEditor;
class FindBar;
class TraceCursor;
class TraceScrubber;

enum class SaveChoice { Save, Discard, Cancel };

struct MainWindowOptions {
    QString settingsFile;       // empty: the user's Loopscope settings
    QString recoveryFile;       // empty: recovery.json in the application data folder
    QString lessonsDirectory;   // its scripts open read-only
    QList<LessonEntry> lessons; // File ▸ Lessons, in course order (the app loads the course)
    QString defaultLesson;      // opened on the first start
    QString fileToOpen;         // from the command line: wins over the file of the last session
    int autosaveIntervalMs = 3000;
    // An administrator's restriction in force (safe mode): shown in the status bar, in full
    // as its tooltip. Empty: none.
    QString policyNotice;
    // Asked before unsaved text would be lost; empty: a message box.
    std::function<SaveChoice(const QString &documentName)> askToSave;
    // Asked for a file name by Save As; empty: a file dialog. Return empty to cancel.
    std::function<QString()> askSaveFileName;
    // Asked for a folder by File ▸ Lessons ▸ Add Lessons Folder; empty: a folder dialog.
    std::function<QString()> askLessonsFolder;
    // Asked before opening a file that looks binary or is very large (the reason says which);
    // empty: a message box. Return false to keep the current document.
    std::function<bool(const QString &path, const QString &reason)> askToOpenUnusual;
};

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(const PaneRegistry &panes, MainWindowOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    CodeEditor *editor() const { return m_editor; }
    FindBar *findBar() const { return m_findBar; }
    Runtime::RunController *runController() const { return m_runs; }
    TraceCursor *traceCursor() const { return m_traceCursor; }
    TraceScrubber *traceScrubber() const { return m_traceScrubber; }
    QDockWidget *dock(const QString &paneId) const;
    QWidget *paneWidget(const QString &paneId) const;  // null until the pane was first shown
    QString filePath() const { return m_filePath; }
    bool isReadOnlyLesson() const { return m_readOnlyLesson; }
    bool isModified() const;
    int zoomSteps() const { return m_zoomSteps; }
    double zoomFactor() const;
    ThemeMode themeMode() const { return m_themeMode; }
    QString runStateText() const;
    QStringList recentFiles() const { return m_recent; }
    bool hasRecoveryOffer() const { return m_pendingRecovery.has_value(); }
    // False when the open file was not valid UTF-8 (it is shown decoded as Latin-1).
    bool isDecodedCleanly() const { return m_decodedCleanly; }

    static constexpr qint64 kLargeFileBytes = 10 * 1024 * 1024;
    static constexpr qint64 kBinarySniffBytes = 8 * 1024;

public Q_SLOTS:
    void newFile();
    void newTypeScriptFile();
    bool openFile(const QString &path);
    // Shows a saved Chrome trace (File ▸ Open Trace…) in the panes, without running anything.
    bool openTrace(const QString &path);
    // Marks `line` in the editor if `path` is the open file (0 or another file: no mark).
    void highlightSourceLine(const QString &path, int line);
    bool save();
    bool saveAs(const QString &path = {});
    // Opens `path` unless it is the current file, moves to `line` and marks it as an error line.
    bool showSourceLocation(const QString &path, int line, int column = 0);
    // Opens `path` unless it is the current file and marks lines first..last (not as an error).
    bool highlightSourceLines(const QString &path, int firstLine, int lastLine);
    // Shows and raises the dock of `paneId`; false if there is none.
    bool showPane(const QString &paneId);
    // Replaces the entries of File ▸ Lessons (after a lessons folder was added, or progress).
    void setLessons(const QList<Loopscope::Ui::LessonEntry> &lessons);
    void runScript();
    void stopScript();
    void rerunScript();
    // Step mode: starts a run paused before its main module, or lets a paused run run one callback.
    void stepScript();
    void stepToNextPhase();
    void continueScript();
    // Runs the script with V8's CPU profiler on and shows the CPU profile pane.
    void profileScript();
    void zoomIn();
    void zoomOut();
    void zoomReset();
    void setZoomSteps(int steps);
    void setThemeMode(Loopscope::Ui::ThemeMode mode);
    void autosaveNow();
    void restoreRecovery();
    void discardRecovery();
    void saveSettings();

Q_SIGNALS:
    void documentOpened(const QString &path);
    // File ▸ Lessons ▸ Add Lessons Folder picked `folder`; the app loads lessons from it.
    void lessonsFolderChosen(const QString &folder);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createPanes(const PaneRegistry &panes);
    void createPaneWidget(QDockWidget *dock, Pane *pane);
    void createActions();
    void restoreSettings();
    void offerRecovery();
    bool maybeSave();
    bool writeFile(const QString &path);
    void setDocument(const QString &path, const QString &text, bool readOnly);
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    void rebuildLessonsMenu();
    void updateTitle();
    void newUntitled(const QString &name);
    void updateRunState();
    void updateStepActions();
    void endSlowMotion();
    void startRun(bool stepMode);
    void onRunFinished(const Runtime::RunResult &result);
    QString scriptForRun();

    MainWindowOptions m_options;
    QSettings *m_settings;
    Runtime::RunController *m_runs;
    TraceCursor *m_traceCursor;
    TraceScrubber *m_traceScrubber = nullptr;
    CodeEditor *m_editor;
    FindBar *m_findBar = nullptr;
    std::vector<std::unique_ptr<Pane>> m_panes;
    QList<QDockWidget *> m_docks;
    QWidget *m_recoveryBar = nullptr;
    QLabel *m_recoveryLabel = nullptr;
    QLabel *m_stateLabel;
    QLabel *m_nodeLabel;
    QTimer *m_statusTimer;
    QTimer *m_autosaveTimer;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_lessonsMenu = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_stepAction = nullptr;
    QAction *m_stepPhaseAction = nullptr;
    QAction *m_continueAction = nullptr;
    QSpinBox *m_stepRateBox = nullptr;  // slow motion: callbacks per second, 0 = manual steps
    QActionGroup *m_themeGroup = nullptr;

    QString m_filePath;
    QString m_untitledName = QStringLiteral("untitled.js");  // an untitled document's file name
    bool m_readOnlyLesson = false;
    // The bytes the open file had on disk, written back unchanged while the text is unmodified
    // (so a file that is not UTF-8 survives being opened and saved); empty when unknown.
    std::optional<QByteArray> m_originalBytes;
    bool m_decodedCleanly = true;
    QStringList m_recent;
    int m_zoomSteps = 0;
    double m_baseFontSize;
    ThemeMode m_themeMode = ThemeMode::System;
    RecoveryStore m_recovery;
    std::optional<RecoveryStore::Snapshot> m_pendingRecovery;
    std::optional<Runtime::RunResult> m_lastResult;
    std::unique_ptr<QTemporaryDir> m_untitledDir;
    bool m_rerunPending = false;
    int m_autosavedRevision = -1;  // the document revision the recovery file holds
};

} // namespace Loopscope::Ui
