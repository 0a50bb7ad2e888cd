#pragma once
// SourceReference — what an inline code span of lesson.md points at in the lesson's script, so
// the Lesson pane can make it clickable (docs/lessons.md, "Code spans"):
//   `line 12`, `lines 12-14`, `L12`, `L12-L14`   those lines
//   any other span of 3+ characters that occurs in the script, e.g. `process.nextTick(`
//                                                 the first line that contains it
// Plain Qt Core.

#include <QString>
#include <QStringList>

#include <optional>

namespace Loopscope::Lesson {

struct SourceReference {
    int firstLine = 0;  // 1-based, inclusive
    int lastLine = 0;

    // The lines `spanText` refers to in `scriptLines`, or nothing if it refers to none of them
    // (a line number outside the script included).
    static std::optional<SourceReference> resolve(const QString &spanText, const QStringList &scriptLines);

    // A link target for the pane ("loopscope-lines:12-14") and back.
    QString href() const;
    static std::optional<SourceReference> fromHref(const QString &href);
};

} // namespace Loopscope::Lesson
