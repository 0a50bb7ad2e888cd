#include "runstatus.h"

#include "trace.h"

#include <QCoreApplication>

namespace Loopscope::Ui {

QString durationText(double ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(qRound(ms));
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 2);
    const qint64 s = qint64(ms / 1000);
    return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QString pausedText(const Runtime::PausePoint &point)
{
    using Runtime::CallbackQueue;
    QString what;
    if (point.queue == CallbackQueue::Main) {
        what = QStringLiteral("the main module");
    } else {
        what = QStringLiteral("%1 callback").arg(QString::fromLatin1(Runtime::callbackQueueName(point.queue)));
        if (!point.resourceType.empty())
            what += QLatin1Char(' ') + QString::fromStdString(point.resourceType);
        if (point.line > 0)
            what += QStringLiteral(" at line %1").arg(point.line);
    }
    return (point.playing ? QStringLiteral("Playing: before %1") : QStringLiteral("Paused before %1")).arg(what);
}

QString runStateText(bool running, qint64 elapsedMs, const std::optional<Runtime::RunResult> &last)
{
    using Runtime::RunEnd;
    if (running)
        return QStringLiteral("Running for %1 s").arg(elapsedMs / 1000);
    if (!last)
        return QStringLiteral("Idle");
    switch (last->end) {
    case RunEnd::Exited:
        return QStringLiteral("Exited with code %1").arg(last->exitCode);
    case RunEnd::Stopped:
        return QStringLiteral("Stopped");
    case RunEnd::OutOfMemory:
    case RunEnd::Failed:
        return QStringLiteral("Crashed: %1").arg(QString::fromStdString(last->error));
    }
    return QStringLiteral("Idle");
}

} // namespace Loopscope::Ui
