// The console's buffer, without widgets: decoding, styles per stream, the cap, taking pieces.
#include "consolebuffer.h"

#include <QTest>

using namespace Loopscope;
using Console::ConsoleBuffer;
using Runtime::OutputStream;

class TestConsoleBuffer : public QObject {
    Q_OBJECT

    static QString drain(ConsoleBuffer &b, qsizetype maxChars = 1 << 20)
    {
        QString all;
        while (!b.isEmpty())
            all += b.take(maxChars).text;
        return all;
    }

private Q_SLOTS:
    void streamsKeepTheirOwnStateAndOrder()
    {
        ConsoleBuffer b(100);
        b.append(OutputStream::Stdout, "\x1b[31mred ");
        b.append(OutputStream::Stderr, "err ");  // stderr is not red: its own colour state
        b.append(OutputStream::Stdout, "still red\r\n");
        QCOMPARE(b.pendingLines(), 1);
        const auto first = b.take(100);
        QCOMPARE(first.text, QStringLiteral("red "));
        QCOMPARE(first.kind, ConsoleBuffer::Kind::Stdout);
        QCOMPARE(first.style.colour, 1);
        const auto second = b.take(100);
        QCOMPARE(second.kind, ConsoleBuffer::Kind::Stderr);
        QCOMPARE(second.style.colour, -1);
        const auto third = b.take(100);
        QCOMPARE(third.text, QStringLiteral("still red\n"));
        QCOMPARE(third.style.colour, 1);
        QVERIFY(b.isEmpty());
        QCOMPARE(b.pendingLines(), 0);
    }

    void splitUtf8AndNewRunReset()
    {
        ConsoleBuffer b(100);
        const QByteArray bytes = QStringLiteral("é\n").toUtf8();
        b.append(OutputStream::Stdout, bytes.left(1));
        QVERIFY(b.isEmpty());
        b.append(OutputStream::Stdout, bytes.mid(1));
        QCOMPARE(drain(b), QStringLiteral("é\n"));
        b.append(OutputStream::Stdout, bytes.left(1) + "\x1b[32m");
        b.clear(true);  // a new run forgets the half character and the colour
        b.append(OutputStream::Stdout, "x\n");
        const auto p = b.take(100);
        QCOMPARE(p.text, QStringLiteral("x\n"));
        QCOMPARE(p.style.colour, -1);
    }

    void capDropsOldestLinesAndCountsThem()
    {
        ConsoleBuffer b(3);
        for (int i = 0; i < 10; ++i)
            b.append(i % 2 ? OutputStream::Stderr : OutputStream::Stdout, QByteArray::number(i) + '\n');
        QCOMPARE(b.droppedLines(), 7);
        QCOMPARE(b.pendingLines(), 3);
        QCOMPARE(drain(b), QStringLiteral("7\n8\n9\n"));
        b.append(OutputStream::Stdout, "a\nb\nc\nd\ne\npartial");
        QCOMPARE(drain(b), QStringLiteral("c\nd\ne\npartial"));
        QCOMPARE(b.droppedLines(), 9);
        b.clear();
        QCOMPARE(b.droppedLines(), 0);
    }

    void takeCutsAfterANewline()
    {
        ConsoleBuffer b(100);
        b.append(OutputStream::Stdout, "aaaa\nbbbb\ncccc");
        const auto p = b.take(12);
        QCOMPARE(p.text, QStringLiteral("aaaa\nbbbb\n"));
        QCOMPARE(p.newlines, 2);
        QCOMPARE(b.pendingLines(), 0);
        QCOMPARE(b.take(2).text, QStringLiteral("cc"));  // no newline: cut at the limit
        QCOMPARE(b.take(100).text, QStringLiteral("cc"));
        QVERIFY(b.isEmpty());
    }

    void inputIsItsOwnKind()
    {
        ConsoleBuffer b(100);
        b.append(OutputStream::Stdout, "? ");
        b.appendInput(QStringLiteral("yes\n"));
        b.take(100);
        const auto p = b.take(100);
        QCOMPARE(p.kind, ConsoleBuffer::Kind::Input);
        QCOMPARE(p.text, QStringLiteral("yes\n"));
    }
};

QTEST_GUILESS_MAIN(TestConsoleBuffer)
#include "tst_consolebuffer.moc"
