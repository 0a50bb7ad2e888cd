#pragma once
// ConsoleBuffer — output on its way to the console's document: bytes decoded as UTF-8 (a
// character split across writes included), ANSI colours parsed per stream, and lines the cap
// would drop anyway dropped here, before they cost the GUI anything. The view takes pieces
// from the front within its time budget. Plain QtCore: tested without widgets.

#include "ansiparser.h"
#include "runtypes.h"

#include <QByteArray>
#include <QString>
#include <QStringDecoder>

#include <deque>

namespace Loopscope::Console {

class ConsoleBuffer final {
public:
    enum class Kind { Stdout = 0, Stderr = 1, Input = 2 };
    struct Piece {
        QString text;
        TextStyle style;
        Kind kind = Kind::Stdout;
        qsizetype newlines = 0;
    };

    explicit ConsoleBuffer(int lineCap);

    void setLineCap(int lines);
    int lineCap() const { return m_lineCap; }

    void append(Runtime::OutputStream stream, const QByteArray &bytes);
    void appendInput(const QString &text);  // what the user typed, echoed
    // Forgets what is pending; `newRun` also resets the decoders and colour state.
    void clear(bool newRun = false);

    bool isEmpty() const { return m_pending.empty(); }
    qsizetype pendingLines() const { return m_pendingNewlines; }
    qint64 droppedLines() const { return m_dropped; }  // dropped here since the last clear

    // The next piece of at most `maxChars` characters (cut after a newline where possible).
    Piece take(qsizetype maxChars);

private:
    void enqueue(QString text, TextStyle style, Kind kind);
    void trim();

    int m_lineCap;
    std::deque<Piece> m_pending;
    qsizetype m_pendingNewlines = 0;
    qint64 m_dropped = 0;
    QStringDecoder m_decoders[2];
    AnsiParser m_parsers[2];
};

} // namespace Loopscope::Console
