#include "consolesession.h"

#include "constants.h"

#include <QFileInfo>

#include <algorithm>

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
    for (const Runtime::OutputChunk &chunk : chunks) {
        const qint64 offset = m_writtenBytes;
        const qint64 size = chunk.bytes.size();
        if (offset + size <= kHistoryBytes)  // past that, replay shows what was kept
            m_history.push_back({offset, chunk.stream, chunk.bytes, {}});
        m_writtenBytes += size;
        if (m_visibleBytes < 0)
            m_buffer.append(chunk.stream, chunk.bytes);
        else if (offset < m_visibleBytes)
            m_buffer.append(chunk.stream, chunk.bytes.left(m_visibleBytes - offset));
    }
    Q_EMIT outputQueued();
}

void ConsoleSession::setVisibleBytes(qint64 bytes)
{
    bytes = bytes < 0 ? -1 : bytes;
    if (bytes == m_visibleBytes)
        return;
    const qint64 oldEnd = m_visibleBytes < 0 ? m_writtenBytes : m_visibleBytes;
    const qint64 newEnd = bytes < 0 ? m_writtenBytes : bytes;
    m_visibleBytes = bytes;
    if (newEnd >= oldEnd) {  // forward: only what comes into view
        feedHistory(oldEnd, newEnd);
    } else {                 // backward: text cannot be un-shown piecemeal, so start over
        m_buffer.clear(true);
        Q_EMIT outputReset();
        for (const Written &w : m_history)  // input echoed before any output
            if (w.bytes.isEmpty() && w.offset == 0)
                m_buffer.appendInput(w.input);
        feedHistory(0, newEnd);
    }
    Q_EMIT outputQueued();
}

void ConsoleSession::feedHistory(qint64 from, qint64 to)
{
    // Entries are in offset order: start at the last one that begins before `from` (it may
    // reach into the range), or the first one if none does.
    auto it = std::lower_bound(m_history.begin(), m_history.end(), from,
                               [](const Written &w, qint64 at) { return w.offset < at; });
    if (it != m_history.begin())
        --it;
    for (; it != m_history.end() && it->offset <= to; ++it) {
        if (it->bytes.isEmpty()) {
            if (it->offset > from)  // input echoed after the output before it
                m_buffer.appendInput(it->input);
            continue;
        }
        const qint64 a = std::max(from, it->offset);
        const qint64 b = std::min(to, it->offset + qint64(it->bytes.size()));
        if (a < b)
            m_buffer.append(it->stream, it->bytes.mid(a - it->offset, b - a));
    }
}

void ConsoleSession::sendInput(const QString &line)
{
    if (!m_runs || !isStdinOpen())
        return;
    m_runs->writeStdin(line.toUtf8());
    m_history.push_back({m_writtenBytes, Runtime::OutputStream::Stdout, {}, line});
    if (m_visibleBytes < 0 || m_writtenBytes <= m_visibleBytes)
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

void ConsoleSession::showRecordedOutput(const QList<RecordedWrite> &writes, const QString &footer)
{
    m_buffer.clear(true);
    m_history.clear();
    m_writtenBytes = 0;
    for (const RecordedWrite &w : writes) {
        m_history.push_back({m_writtenBytes, w.stream, w.bytes, {}});
        m_writtenBytes += std::max<qint64>(w.length, w.bytes.size());
    }
    m_visibleBytes = -1;
    m_running = false;
    m_stdinWanted = false;
    m_footer = footer;
    Q_EMIT outputReset();
    feedHistory(0, m_writtenBytes);
    Q_EMIT outputQueued();
    Q_EMIT stateChanged();
}

void ConsoleSession::onRunStarted(const QString &path)
{
    m_buffer.clear(true);
    m_history.clear();
    m_writtenBytes = 0;
    m_visibleBytes = -1;
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
