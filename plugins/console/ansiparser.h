#pragma once
// AnsiParser — splits terminal text into runs of one style, interpreting SGR colour codes
// (30–37, 90–97, 39 default, 1 bold, 22 normal, 0 reset) and dropping every other escape
// sequence. Stateful: an escape split across two writes is still understood. No widgets.

#include <QList>
#include <QString>

namespace Loopscope::Console {

struct TextStyle {
    int colour = -1;     // 0–15 (8–15 bright), -1 the stream's own colour
    bool bold = false;
    friend bool operator==(const TextStyle &, const TextStyle &) = default;
};

struct StyledText {
    QString text;
    TextStyle style;
};

class AnsiParser final {
public:
    // The styled runs of `text`, continuing from the previous call's state.
    QList<StyledText> feed(QStringView text);
    void reset();
    TextStyle style() const { return m_style; }

private:
    void applySgr(QStringView parameters);

    TextStyle m_style;
    QString m_partial;  // an unfinished escape sequence from the previous feed
};

} // namespace Loopscope::Console
