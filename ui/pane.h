#pragma once
// Pane — the contract between the IDE shell and a plugin's dockable view. The shell never names
// a concrete pane: plugins register factories in a PaneRegistry, the shell docks what they make.
//
// Threads: GUI thread only.

#include <QString>
#include <Qt>

#include <functional>
#include <memory>

class QWidget;

class QSettings;

namespace Loopscope::Runtime { class RunController; }

namespace Loopscope::Ui {

class TraceCursor;

// What the shell lends a pane: the runs it can follow and feed, and a way to point at code. Outlives every pane.
struct PaneContext {
    explicit PaneContext(Runtime::RunController *runs = nullptr) : runController(runs) {}

    Runtime::RunController *runController = nullptr;
    // Shows and raises the pane with this id; false if no such pane is registered (not an error).
    std::function<bool(const QString &paneId)> showPane;
    // Opens a source file if needed, marks 1-based lines firstLine..lastLine (not as an error) and
    // scrolls to them: a jump the user asked for, e.g. a lesson's code span.
    std::function<void(const QString &path, int firstLine, int lastLine)> highlightSourceLines;
    // The shell's settings; each plugin reads and writes only its own group ("Console/...").
    QSettings *settings = nullptr;
    // Shows a place in a source file (1-based line and column; column 0: none), e.g. a stack frame.
    std::function<void(const QString &path, int line, int column)> showSourceLocation;
    // Marks `line` of `path` as the one whose callback runs at the trace cursor (0: none). Only
    // the open file is marked: following the cursor never opens files.
    std::function<void(const QString &path, int line)> highlightSourceLine;
    // The window's replay position: the trace the loop panes show and the moment they draw.
    TraceCursor *traceCursor = nullptr;
};

class Pane {
public:
    virtual ~Pane() = default;
    // Dotted and stable, e.g. "Loopscope.Console.Pane": names the dock in the saved layout.
    virtual QString id() const = 0;
    virtual QString displayName() const = 0;
    virtual Qt::DockWidgetArea defaultArea() const = 0;
    // The pane's view, parented to `parent`; null if it cannot be made (reported, not fatal).
    virtual QWidget *createWidget(QWidget *parent) = 0;
};

using PaneFactory = std::function<std::unique_ptr<Pane>(const PaneContext &context)>;

} // namespace Loopscope::Ui
