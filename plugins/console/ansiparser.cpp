#include "ansiparser.h"

namespace Loopscope::Console {

namespace {
constexpr QChar kEsc = QChar(0x1b);
}

void AnsiParser::reset()
{
    m_style = {};
    m_partial.clear();
}

void AnsiParser::applySgr(QStringView parameters)
{
    if (parameters.isEmpty()) {
        m_style = {};
        return;
    }
    for (QStringView p : parameters.split(QLatin1Char(';'))) {
        bool ok = false;
        const int n = p.isEmpty() ? 0 : p.toInt(&ok);
        if (!p.isEmpty() && !ok)
            continue;
        if (n == 0)
            m_style = {};
        else if (n == 1)
            m_style.bold = true;
        else if (n == 22)
            m_style.bold = false;
        else if (n >= 30 && n <= 37)
            m_style.colour = n - 30;
        else if (n >= 90 && n <= 97)
            m_style.colour = n - 90 + 8;
        else if (n == 39)
            m_style.colour = -1;
        // Backgrounds, underline, 256-colour and the rest are dropped silently.
    }
}

QList<StyledText> AnsiParser::feed(QStringView input)
{
    QString joined;
    QStringView text = input;
    if (!m_partial.isEmpty()) {
        joined = m_partial + input.toString();
        m_partial.clear();
        text = joined;
    }
    QList<StyledText> out;
    auto emitText = [&](QStringView t) {
        if (t.isEmpty())
            return;
        if (!out.isEmpty() && out.last().style == m_style)
            out.last().text += t;
        else
            out.append(StyledText{t.toString(), m_style});
    };
    qsizetype start = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (text[i] != kEsc)
            continue;
        emitText(text.mid(start, i - start));
        if (i + 1 >= n) {  // a lone ESC at the end: wait for more
            m_partial = text.mid(i).toString();
            return out;
        }
        if (text[i + 1] != QLatin1Char('[')) {
            // Not a CSI: ESC, any intermediates (0x20–0x2f, as in "ESC ( B"), one final byte.
            qsizetype j = i + 1;
            while (j < n && text[j].unicode() >= 0x20 && text[j].unicode() <= 0x2f)
                ++j;
            if (j >= n) {
                m_partial = text.mid(i).toString();
                return out;
            }
            start = j + 1;
            i = j;
            continue;
        }
        // CSI: parameters and intermediates, then a final byte in 0x40–0x7e.
        qsizetype j = i + 2;
        while (j < n && !(text[j].unicode() >= 0x40 && text[j].unicode() <= 0x7e))
            ++j;
        if (j >= n) {
            m_partial = text.mid(i).toString();
            return out;
        }
        if (text[j] == QLatin1Char('m'))
            applySgr(text.mid(i + 2, j - i - 2));
        start = j + 1;
        i = j;
    }
    emitText(text.mid(start));
    return out;
}

} // namespace Loopscope::Console
