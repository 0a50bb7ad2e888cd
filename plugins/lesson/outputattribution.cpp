#include "outputattribution.h"

#include "traceindex.h"

#include <QDir>
#include <QFileInfo>

namespace Loopscope::Lesson {

static LineOrigin originOf(const Runtime::TraceIndex &index, int callback, const QDir &folder)
{
    LineOrigin origin;
    origin.known = true;
    origin.callback = callback;
    if (callback < 0 || callback >= int(index.callbacks().size())) {
        origin.queue = Runtime::CallbackQueue::Main;
        origin.callback = -1;
        return origin;
    }
    const Runtime::IndexedCallback &c = index.callbacks()[std::size_t(callback)];
    origin.queue = c.queue == Runtime::CallbackQueue::None ? Runtime::CallbackQueue::Main : c.queue;
    origin.phase = c.phase;
    origin.iteration = c.iteration;
    if (const Runtime::IndexedResource *r = index.resource(c.asyncId)) {
        origin.resourceType = QString::fromStdString(index.string(r->type));
        origin.timerDelayMs = int(r->timerDelayMs);
        if (r->file != 0 && r->line != 0) {
            const QString file = QString::fromStdString(index.string(r->file));
            const QString absolute = file.startsWith(QLatin1String("file://")) ? file.mid(7) : file;
            const QString relative = folder.relativeFilePath(absolute);
            origin.location = (relative.startsWith(QLatin1String("..")) ? QFileInfo(absolute).fileName() : relative)
                + QLatin1Char(':') + QString::number(r->line);
        }
    }
    return origin;
}

QList<LineOrigin> attributeOutputLines(const Runtime::TraceIndex &index, const QByteArray &stdoutBytes,
                                       const QString &scriptFolder)
{
    // The stdout writes in order, each as [begin, end) in the concatenated bytes.
    struct Span { qsizetype begin, end; int callback; };
    QList<Span> spans;
    qsizetype offset = 0;
    for (const Runtime::IndexedConsoleWrite &w : index.consoleWrites()) {
        if (w.stream != 1)
            continue;
        spans.append({offset, offset + qsizetype(w.length), w.callback});
        offset += qsizetype(w.length);
    }

    const QDir folder(scriptFolder);
    QList<LineOrigin> origins;
    qsizetype lineStart = 0;
    qsizetype span = 0;
    while (lineStart < stdoutBytes.size()) {
        while (span < spans.size() && spans[span].end <= lineStart)
            ++span;
        origins << (span < spans.size() && spans[span].begin <= lineStart
                        ? originOf(index, spans[span].callback, folder)
                        : LineOrigin{});
        const qsizetype newline = stdoutBytes.indexOf('\n', lineStart);
        if (newline < 0)
            break;
        lineStart = newline + 1;
    }
    return origins;
}

} // namespace Loopscope::Lesson
