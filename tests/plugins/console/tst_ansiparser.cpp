// SGR colours, resets, and escapes split across writes.
#include "ansiparser.h"

#include <QTest>

using namespace Loopscope::Console;

class TestAnsiParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plainTextIsOneRun()
    {
        AnsiParser p;
        const auto runs = p.feed(u"hello\nworld");
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs[0].text, QStringLiteral("hello\nworld"));
        QCOMPARE(runs[0].style, TextStyle{});
    }
    void coloursBoldAndReset()
    {
        AnsiParser p;
        const auto runs = p.feed(u"a\x1b[31mred\x1b[1;92mbold bright green\x1b[39mdefault bold\x1b[0mplain\x1b[mz");
        QCOMPARE(runs.size(), 5);
        QCOMPARE(runs[0].text, QStringLiteral("a"));
        QCOMPARE(runs[1].text, QStringLiteral("red"));
        QCOMPARE(runs[1].style, (TextStyle{1, false}));
        QCOMPARE(runs[2].style, (TextStyle{10, true}));
        QCOMPARE(runs[3].style, (TextStyle{-1, true}));
        QCOMPARE(runs[4].text, QStringLiteral("plainz"));
        QCOMPARE(runs[4].style, TextStyle{});
    }
    void otherEscapesAreDropped()
    {
        AnsiParser p;
        const auto runs = p.feed(u"x\x1b[2Ky\x1b[44mz\x1b(B!");
        QString all;
        for (const auto &r : runs)
            all += r.text;
        QCOMPARE(all, QStringLiteral("xyz!"));  // erase-line, background and charset escapes vanish
    }
    void escapeSplitAcrossFeeds()
    {
        AnsiParser p;
        auto a = p.feed(u"one\x1b");
        QCOMPARE(a.size(), 1);
        QCOMPARE(a[0].text, QStringLiteral("one"));
        auto b = p.feed(u"[3");
        QVERIFY(b.isEmpty());
        auto c = p.feed(u"4mtwo");
        QCOMPARE(c.size(), 1);
        QCOMPARE(c[0].text, QStringLiteral("two"));
        QCOMPARE(c[0].style.colour, 4);
        QCOMPARE(p.style().colour, 4);  // the style carries into the next write
        p.reset();
        QCOMPARE(p.style(), TextStyle{});
    }
};

QTEST_GUILESS_MAIN(TestAnsiParser)
#include "tst_ansiparser.moc"
