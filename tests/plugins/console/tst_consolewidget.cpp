// The console: streams and colours, the line cap, batching, and a GUI thread that stays
// responsive while a script prints a million lines.
#include "consolewidget.h"
#include "testfiles.h"
#include "theme.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTimer>

using namespace Loopscope;
using Runtime::OutputChunk;
using Runtime::OutputStream;

class TestConsoleWidget : public QObject {
    Q_OBJECT

    static void flushAll(Console::ConsoleWidget &c)
    {
        QVERIFY(QTest::qWaitFor([&] { return !c.hasPendingOutput(); }, 20000));
    }

    static QColor colourAt(Console::ConsoleWidget &c, const QString &needle)
    {
        QTextCursor cur = c.view()->document()->find(needle);
        if (cur.isNull())
            return {};
        cur.setPosition(cur.selectionStart() + 1);
        return cur.charFormat().foreground().color();
    }

private Q_SLOTS:
    void initTestCase() { QApplication::setStyle(QStringLiteral("Fusion")); }

    void streamsHaveDistinctColours()
    {
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        c.appendOutput({OutputChunk{OutputStream::Stdout, "out line\n"}, OutputChunk{OutputStream::Stderr, "err line\n"},
                        OutputChunk{OutputStream::Stdout, "\x1b[32mgreen\x1b[0m done\n"}});
        flushAll(c);
        QCOMPARE(c.text(), QStringLiteral("out line\nerr line\ngreen done\n"));
        const QColor out = colourAt(c, QStringLiteral("out line"));
        const QColor err = colourAt(c, QStringLiteral("err line"));
        const QColor green = colourAt(c, QStringLiteral("green"));
        QVERIFY(err.isValid());
        QVERIFY(err != out);
        QVERIFY(err.red() > err.green() + 60);
        QVERIFY(green.green() > green.red() + 40);
    }

    // Replay: the console shows the first N bytes the run wrote, forward and back, stdout and
    // stderr counted together in the order written; a cut inside a UTF-8 character shows none of it.
    void showsOutputUpToAVisibleByteLimit()
    {
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        c.appendOutput({OutputChunk{OutputStream::Stdout, "one\n"}, OutputChunk{OutputStream::Stderr, "two\n"}});
        c.appendOutput({OutputChunk{OutputStream::Stdout, "caf\xc3\xa9\n"}});
        flushAll(c);
        QCOMPARE(c.text(), QString::fromUtf8("one\ntwo\ncaf\u00e9\n"));
        QCOMPARE(session.writtenBytes(), 14);

        QSignalSpy reset(&session, &Console::ConsoleSession::outputReset);
        session.setVisibleBytes(4);  // back: rebuilt from the start
        flushAll(c);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(c.text(), QStringLiteral("one\n"));
        session.setVisibleBytes(6);  // forward: appended, not rebuilt
        flushAll(c);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(c.text(), QStringLiteral("one\ntw"));
        session.setVisibleBytes(12);  // "caf" and the first byte of é
        flushAll(c);
        QCOMPARE(c.text(), QStringLiteral("one\ntwo\ncaf"));
        QVERIFY(colourAt(c, QStringLiteral("two")) != colourAt(c, QStringLiteral("one")));  // still stderr
        session.setVisibleBytes(0);
        flushAll(c);
        QCOMPARE(c.text(), QString());

        // Output arriving while limited shows only up to the limit; -1 shows everything again.
        session.setVisibleBytes(16);
        c.appendOutput({OutputChunk{OutputStream::Stdout, "four\n"}});
        flushAll(c);
        QCOMPARE(c.text(), QString::fromUtf8("one\ntwo\ncaf\u00e9\nfo"));
        session.setVisibleBytes(-1);
        flushAll(c);
        QCOMPARE(c.text(), QString::fromUtf8("one\ntwo\ncaf\u00e9\nfour\n"));
        QCOMPARE(reset.count(), 2);
    }

    void coloursFollowTheTheme()
    {
        Ui::applyTheme(Ui::ThemeMode::Light);
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        c.appendOutput({OutputChunk{OutputStream::Stderr, "err\n"}, OutputChunk{OutputStream::Stdout, "\x1b[34mblue\n"}});
        flushAll(c);
        const QColor errLight = colourAt(c, QStringLiteral("err")), blueLight = colourAt(c, QStringLiteral("blue"));
        Ui::applyTheme(Ui::ThemeMode::Dark);
        QCoreApplication::processEvents();
        const QColor errDark = colourAt(c, QStringLiteral("err")), blueDark = colourAt(c, QStringLiteral("blue"));
        QVERIFY(errDark.lightness() > errLight.lightness());
        QVERIFY(blueDark.lightness() > blueLight.lightness());
        QVERIFY(errDark.red() > errDark.green());
        Ui::applyTheme(Ui::ThemeMode::Light);
        QCoreApplication::processEvents();
        QCOMPARE(colourAt(c, QStringLiteral("err")), errLight);
    }

    void utf8SplitAcrossChunks()
    {
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        const QByteArray bytes = QStringLiteral("grüße\n").toUtf8();
        c.appendOutput({OutputChunk{OutputStream::Stdout, bytes.left(3)}});
        c.appendOutput({OutputChunk{OutputStream::Stdout, bytes.mid(3)}});
        flushAll(c);
        QCOMPARE(c.text(), QStringLiteral("grüße\n"));
    }

    void lineCapDropsOldestAndSaysSo()
    {
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        c.setLineCap(100);
        for (int batch = 0; batch < 5; ++batch) {
            QByteArray lines;
            for (int i = 0; i < 50; ++i)
                lines += "line " + QByteArray::number(batch * 50 + i) + '\n';
            c.appendOutput({OutputChunk{OutputStream::Stdout, lines}});
            if (batch % 2)
                flushAll(c);  // some lines reach the document before the cap drops them
        }
        flushAll(c);
        QCOMPARE(c.droppedLines(), 150);
        QVERIFY(c.text().startsWith(QStringLiteral("line 150\n")));
        QVERIFY(c.text().endsWith(QStringLiteral("line 249\n")));
        QCOMPARE(c.text().count(QLatin1Char('\n')), 100);
        bool noticed = false;
        for (QLabel *l : c.findChildren<QLabel *>())
            noticed |= l->isVisible() && l->text().contains(QStringLiteral("150 earlier lines were dropped"));
        c.show();
        for (QLabel *l : c.findChildren<QLabel *>())
            noticed |= l->isVisible() && l->text().contains(QStringLiteral("150 earlier lines were dropped"));
        QVERIFY(noticed);
        c.clear();
        QCOMPARE(c.droppedLines(), 0);
        QCOMPARE(c.text(), QString());
    }

    void updatesAreBatched()
    {
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        QSignalSpy shown(&c, &Console::ConsoleWidget::outputShown);
        for (int i = 0; i < 500; ++i)
            c.appendOutput({OutputChunk{OutputStream::Stdout, QByteArray::number(i) + '\n'}});
        QCOMPARE(shown.count(), 0);  // nothing touches the document synchronously
        flushAll(c);
        QVERIFY2(shown.count() <= 2, qPrintable(QString::number(shown.count())));
        QCOMPARE(c.text().count(QLatin1Char('\n')), 500);
    }

    void copyTakesEverythingWithoutSelection()
    {
        Console::ConsoleSession session(nullptr);
        Console::ConsoleWidget c(&session);
        c.appendOutput({OutputChunk{OutputStream::Stdout, "a\nb\n"}});
        flushAll(c);
        c.copy();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("a\nb\n"));
    }

    void millionLinesKeepTheGuiResponsive()
    {
        QTemporaryDir dir;
        const QString script = Test::writeFile(dir, QStringLiteral("million.js"),
                                               "for (let i = 0; i < 1000000; i++) console.log('line ' + i);\n");

        Runtime::RunController runs;
        Console::ConsoleSession session(&runs);
        Console::ConsoleWidget c(&session);
        c.resize(800, 400);
        c.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c));

        // A GUI-thread timer measures the longest gap between its ticks: the worst stall.
        QElapsedTimer sinceTick, total;
        qint64 longest = 0;
        int ticks = 0;
        QTimer probe;
        probe.setInterval(5);
        connect(&probe, &QTimer::timeout, [&] {
            longest = qMax(longest, sinceTick.restart());
            ++ticks;
        });
        QSignalSpy finished(&runs, &Runtime::RunController::runFinished);
        sinceTick.start();
        total.start();
        probe.start();
        QVERIFY(runs.run(script));
        QVERIFY(finished.wait(240000));
        QVERIFY(QTest::qWaitFor([&] { return !c.hasPendingOutput(); }, 60000));
        probe.stop();
        std::printf("1M lines: run %lld ms, shown after %lld ms; longest GUI-thread stall %lld ms over %d ticks\n",
                    qlonglong(finished.at(0).at(0).value<Runtime::RunResult>().durationMs), qlonglong(total.elapsed()),
                    qlonglong(longest), ticks);
        std::fflush(stdout);
        QVERIFY2(longest < 500, qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(longest)));
        QCOMPARE(c.droppedLines(), 900000);
        QVERIFY(c.text().startsWith(QStringLiteral("line 900000\n")));
        QVERIFY(c.text().endsWith(QStringLiteral("line 999999\n")));
        QVERIFY(c.footerText().startsWith(QStringLiteral("Exited with code 0")));
    }
};

QTEST_MAIN(TestConsoleWidget)
#include "tst_consolewidget.moc"
