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

// What the shell lends a pane: the runs it can follow and feed, and a way to point at code. Outlives every pane.
struct PaneContext {
    explicit PaneContext(Runtime::RunController *runs = nullptr) : runController(runs) {}

    Runtime::RunController *runController = nullptr;
    // The shell's settings; each plugin reads and writes only its own group ("Console/...").
    QSettings *settings = nullptr;
    // Shows a place in a source file (1-based line and column; column 0: none), e.g. a stack frame.
    std::function<void(const QString &path, int line, int column)> showSourceLocation;
    // Marks 1-based `line` of `path` in the editor (a running callback's, a hovered card's) if that
    // file is the one open; line 0 clears the mark. Never opens or scrolls: a hint, not a jump.
    std::function<void(const QString &path, int line)> highlightSourceLine;
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
