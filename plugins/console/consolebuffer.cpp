#include "consolebuffer.h"

namespace Loopscope::Console {

namespace {
constexpr qsizetype kMergeLimit = 16384;  // pieces stay small enough to insert in one step
}

ConsoleBuffer::ConsoleBuffer(int lineCap)
    : m_lineCap(qMax(1, lineCap))
    , m_decoders{QStringDecoder(QStringDecoder::Utf8), QStringDecoder(QStringDecoder::Utf8)}
{
}

void ConsoleBuffer::setLineCap(int lines)
{
    m_lineCap = qMax(1, lines);
    trim();
}

void ConsoleBuffer::append(Runtime::OutputStream stream, const QByteArray &bytes)
{
    const int i = stream == Runtime::OutputStream::Stderr ? 1 : 0;
    QString decoded = m_decoders[i].decode(bytes);
    decoded.remove(QLatin1Char('\r'));
    for (StyledText &run : m_parsers[i].feed(decoded))
        enqueue(std::move(run.text), run.style, i ? Kind::Stderr : Kind::Stdout);
    trim();
}

void ConsoleBuffer::appendInput(const QString &text)
{
    enqueue(text, TextStyle{}, Kind::Input);
    trim();
}

void ConsoleBuffer::clear(bool newRun)
{
    m_pending.clear();
    m_pendingNewlines = 0;
    m_dropped = 0;
    if (newRun) {
        for (QStringDecoder &d : m_decoders)
            d.resetState();
        for (AnsiParser &p : m_parsers)
            p.reset();
    }
}

void ConsoleBuffer::enqueue(QString text, TextStyle style, Kind kind)
{
    if (text.isEmpty())
        return;
    const qsizetype newlines = text.count(QLatin1Char('\n'));
    m_pendingNewlines += newlines;
    if (!m_pending.empty() && m_pending.back().kind == kind && m_pending.back().style == style
        && m_pending.back().text.size() < kMergeLimit) {
        m_pending.back().text += text;
        m_pending.back().newlines += newlines;
    } else {
        m_pending.push_back(Piece{std::move(text), style, kind, newlines});
    }
}

void ConsoleBuffer::trim()
{
    while (m_pendingNewlines > m_lineCap && !m_pending.empty()) {
        Piece &front = m_pending.front();
        const qsizetype excess = m_pendingNewlines - m_lineCap;
        if (front.newlines <= excess) {
            m_pendingNewlines -= front.newlines;
            m_dropped += front.newlines;
            m_pending.pop_front();
            continue;
        }
        qsizetype cut = -1;
        for (qsizetype n = 0; n < excess; ++n)
            cut = front.text.indexOf(QLatin1Char('\n'), cut + 1);
        front.text.remove(0, cut + 1);
        front.newlines -= excess;
        m_pendingNewlines -= excess;
        m_dropped += excess;
    }
}

ConsoleBuffer::Piece ConsoleBuffer::take(qsizetype maxChars)
{
    if (m_pending.empty())
        return {};
    Piece &front = m_pending.front();
    if (front.text.size() <= maxChars) {
        Piece whole = std::move(front);
        m_pending.pop_front();
        m_pendingNewlines -= whole.newlines;
        return whole;
    }
    const qsizetype nl = front.text.lastIndexOf(QLatin1Char('\n'), maxChars - 1);
    const qsizetype size = nl >= 0 ? nl + 1 : maxChars;
    Piece part{front.text.left(size), front.style, front.kind, 0};
    part.newlines = part.text.count(QLatin1Char('\n'));
    front.text.remove(0, size);
    front.newlines -= part.newlines;
    m_pendingNewlines -= part.newlines;
    return part;
}

} // namespace Loopscope::Console
