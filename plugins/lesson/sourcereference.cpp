#include "sourcereference.h"

#include <QRegularExpression>

namespace Loopscope::Lesson {

namespace {
constexpr char Scheme[] = "loopscope-lines:";
constexpr int MinFragmentLength = 3;  // shorter spans ("fs", "0") would match almost anywhere
} // namespace

std::optional<SourceReference> SourceReference::resolve(const QString &spanText, const QStringList &scriptLines)
{
    const QString text = spanText.trimmed();
    static const QRegularExpression numbered(
        QStringLiteral("^(?:lines? ([0-9]+)(?:\\s*[-–]\\s*([0-9]+))?|L([0-9]+)(?:[-–]L?([0-9]+))?)$"));
    const QRegularExpressionMatch m = numbered.match(text);
    if (m.hasMatch()) {
        const bool words = !m.captured(1).isEmpty();
        const int first = (words ? m.captured(1) : m.captured(3)).toInt();
        const QString lastText = words ? m.captured(2) : m.captured(4);
        const int last = lastText.isEmpty() ? first : lastText.toInt();
        if (first < 1 || last < first || last > scriptLines.size())
            return std::nullopt;
        return SourceReference{first, last};
    }
    if (text.size() < MinFragmentLength)
        return std::nullopt;
    for (qsizetype i = 0; i < scriptLines.size(); ++i)
        if (scriptLines[i].contains(text))
            return SourceReference{int(i + 1), int(i + 1)};
    return std::nullopt;
}

QString SourceReference::href() const
{
    return QLatin1String(Scheme) + QString::number(firstLine) + QLatin1Char('-') + QString::number(lastLine);
}

std::optional<SourceReference> SourceReference::fromHref(const QString &href)
{
    static const QRegularExpression pattern(QStringLiteral("^loopscope-lines:([0-9]+)-([0-9]+)$"));
    const QRegularExpressionMatch m = pattern.match(href);
    if (!m.hasMatch())
        return std::nullopt;
    return SourceReference{m.captured(1).toInt(), m.captured(2).toInt()};
}

} // namespace Loopscope::Lesson
