#include "consolesession.h"

#include "constants.h"

#include <QFileInfo>

namespace Loopscope::Console {

ConsoleSession::ConsoleSession(Runtime::RunController *runs, QObject *parent)
    : QObject(parent)
    , m_runs(runs)
    , m_buffer(Constants::DefaultLineCap)
{
    if (!runs)
        return;
    connect(runs, &Runtime::RunController::runStarted, this, &ConsoleSession::onRunStarted);
    connect(runs, &Runtime::RunController::outputAvailable, this, &ConsoleSession::appendOutput);
    connect(runs, &Runtime::RunController::runFinished, this, &ConsoleSession::onRunFinished);
    connect(runs, &Runtime::RunController::stdinRequested, this, [this] {
        m_stdinWanted = true;
        Q_EMIT stateChanged();
    });
}

void ConsoleSession::appendOutput(const QList<Runtime::OutputChunk> &chunks)
{
    for (const Runtime::OutputChunk &chunk : chunks)
        m_buffer.append(chunk.stream, chunk.bytes);
    Q_EMIT outputQueued();
}

void ConsoleSession::sendInput(const QString &line)
{
    if (!m_runs || !isStdinOpen())
        return;
    m_runs->writeStdin(line.toUtf8());
    m_buffer.appendInput(line);
    Q_EMIT outputQueued();
}

void ConsoleSession::closeStdin()
{
    if (m_runs && isStdinOpen())
        m_runs->closeStdin();
    m_stdinClosed = true;
    Q_EMIT stateChanged();
}

void ConsoleSession::onRunStarted(const QString &path)
{
    m_buffer.clear(true);
    m_running = true;
    m_stdinWanted = false;
    m_stdinClosed = false;
    m_footer = tr("Running %1…").arg(QFileInfo(path).fileName());
    Q_EMIT runStarted();
    Q_EMIT stateChanged();
}

void ConsoleSession::onRunFinished(const Runtime::RunResult &result)
{
    m_running = false;
    m_stdinWanted = false;
    const QString ms = QString::number(qRound(result.durationMs));
    switch (result.end) {
    case Runtime::RunEnd::Exited:
        m_footer = tr("Exited with code %1 in %2 ms").arg(result.exitCode).arg(ms);
        break;
    case Runtime::RunEnd::Stopped:
        m_footer = tr("Stopped after %1 ms").arg(ms);
        break;
    case Runtime::RunEnd::OutOfMemory:
    case Runtime::RunEnd::Failed:
        m_footer = tr("Crashed after %1 ms: %2").arg(ms, QString::fromStdString(result.error));
        break;
    }
    Q_EMIT stateChanged();
}

} // namespace Loopscope::Console
