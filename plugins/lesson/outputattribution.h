#pragma once
// outputattribution — ties each line a run printed on stdout to the callback that printed it,
// using the trace's console writes (runtime/traceindex.h maps each write to the innermost
// callback running when it was made). Lines are matched by byte offset, so a write that holds
// several lines, or a line written in pieces, is attributed to the write holding its first byte.
// Plain Qt Core.

#include "lineorigin.h"

#include <QByteArray>
#include <QList>

namespace Loopscope::Runtime { class TraceIndex; }

namespace Loopscope::Lesson {

// One origin per line of `stdoutBytes` (split at '\n'; a final newline ends the last line).
// `scriptFolder`: locations inside it are shown relative to it ("script.js:7").
QList<LineOrigin> attributeOutputLines(const Runtime::TraceIndex &index, const QByteArray &stdoutBytes,
                                       const QString &scriptFolder);

} // namespace Loopscope::Lesson
