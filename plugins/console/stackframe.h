#pragma once
// Source locations in what node prints for an uncaught error: a frame "at fn (/abs/file.js:12:5)"
// or "at /abs/file.js:12:5", and the header "/abs/file.js:12" of the fatal report. Only absolute
// paths of existing files count (never "node:internal/..."). Pure functions; any thread.

#include <QString>

#include <functional>
#include <optional>

namespace Loopscope::Console {

struct SourceLocation {
    QString path;
    int line = 0;
    int column = 0;    // 1-based; 0 when the line names none (the report's header)
    int start = 0;     // where the location's text starts in the console line
    int length = 0;
    friend bool operator==(const SourceLocation &, const SourceLocation &) = default;
};

// The location one console line names, if any. `exists` decides whether a path is a file
// (default: the file system).
std::optional<SourceLocation> parseSourceLocation(const QString &line,
                                                  const std::function<bool(const QString &)> &exists = {});

} // namespace Loopscope::Console
