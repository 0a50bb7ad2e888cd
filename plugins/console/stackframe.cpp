#include "stackframe.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace Loopscope::Console {

std::optional<SourceLocation> parseSourceLocation(const QString &line,
                                                  const std::function<bool(const QString &)> &exists)
{
    // "    at fn (/a/b.js:12:5)", "    at /a/b.js:12:5", "    at async fn (file:///a/b.mjs:1:2)"
    static const QRegularExpression frame(
        QStringLiteral(R"(^\s+at (?:.*?\()?((?:file://)?/[^():]*?[^():\s][^():]*):(\d+):(\d+)\)?\s*$)"));
    // The fatal report's first line: "/a/b.js:12"
    static const QRegularExpression header(QStringLiteral(R"(^((?:file://)?/[^():]+):(\d+)\s*$)"));

    SourceLocation location;
    QRegularExpressionMatch m = frame.match(line);
    if (m.hasMatch()) {
        location.column = m.captured(3).toInt();
    } else {
        m = header.match(line);
        if (!m.hasMatch())
            return std::nullopt;
    }
    QString path = m.captured(1);
    if (path.startsWith(QLatin1String("file://")))
        path = path.mid(7);
    location.path = QDir::cleanPath(path);
    location.line = m.captured(2).toInt();
    location.start = int(m.capturedStart(1));
    location.length = int(m.capturedEnd(location.column > 0 ? 3 : 2) - location.start);
    if (location.line < 1 || !QDir::isAbsolutePath(location.path))
        return std::nullopt;
    const bool isFile = exists ? exists(location.path) : QFileInfo(location.path).isFile();
    if (!isFile)
        return std::nullopt;
    return location;
}

} // namespace Loopscope::Console
