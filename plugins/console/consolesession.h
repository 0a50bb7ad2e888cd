#pragma once
// ConsoleSession — the console's state for the whole window's life: it follows the runs from
// the start, so the console's view can be created late (when its dock is first shown) and
// still show the current run's output, how it ended, and whether it wants input.
// GUI thread only; no widgets.

#include "consolebuffer.h"
#include "runcontroller.h"

#include <QObject>
#include <QPointer>

namespace Loopscope::Console {

class ConsoleSession final : public QObject {
    Q_OBJECT
public:
    explicit ConsoleSession(Runtime::RunController *runs, QObject *parent = nullptr);

    ConsoleBuffer &buffer() { return m_buffer; }
    QString footerText() const { return m_footer; }
    bool isRunning() const { return m_running; }
    bool isStdinOpen() const { return m_running && !m_stdinClosed; }
    bool isStdinWanted() const { return m_stdinWanted; }

public Q_SLOTS:
    void appendOutput(const QList<Loopscope::Runtime::OutputChunk> &chunks);
    void sendInput(const QString &line);  // to the script's stdin, echoed into the output
    void closeStdin();

Q_SIGNALS:
    void runStarted();       // the buffer was reset for a new run
    void outputQueued();     // the buffer has something new
    void stateChanged();     // footer, running, stdin

private:
    void onRunStarted(const QString &path);
    void onRunFinished(const Runtime::RunResult &result);

    QPointer<Runtime::RunController> m_runs;
    ConsoleBuffer m_buffer;
    QString m_footer;
    bool m_running = false;
    bool m_stdinWanted = false;
    bool m_stdinClosed = false;
};

} // namespace Loopscope::Console
