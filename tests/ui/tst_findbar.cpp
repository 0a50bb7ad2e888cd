// Find and replace under the editor: next/previous with wrap-around, case sensitivity,
// Replace All's count and text, and Replace All as a single undo step.
#include "findbar.h"

#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>

using namespace Loopscope::Ui;

class TestFindBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void findNextAndPreviousWrapAround()
    {
        QPlainTextEdit e;
        e.setPlainText(QStringLiteral("foo\nbar foo\nbaz Foo\n"));
        FindBar bar(&e);
        QVERIFY(bar.findNext(QStringLiteral("foo")));
        QCOMPARE(e.textCursor().selectionStart(), 0);
        QVERIFY(bar.findNext(QStringLiteral("foo")));
        QCOMPARE(e.textCursor().selectionStart(), 8);
        QVERIFY(bar.findNext(QStringLiteral("foo")));  // case-insensitive: "Foo" on line 3
        QCOMPARE(e.textCursor().blockNumber(), 2);
        QVERIFY(bar.findNext(QStringLiteral("foo")));  // wraps to the first
        QCOMPARE(e.textCursor().selectionStart(), 0);
        QCOMPARE(e.textCursor().selectedText(), QStringLiteral("foo"));
        // Backward from the first match wraps to the last.
        QVERIFY(bar.findNext(QStringLiteral("foo"), true));
        QCOMPARE(e.textCursor().blockNumber(), 2);
        QVERIFY(bar.findNext(QStringLiteral("foo"), true));
        QCOMPARE(e.textCursor().selectionStart(), 8);
        // Case-sensitive: only lower-case matches; "Foo" is skipped when wrapping.
        QVERIFY(bar.findNext(QStringLiteral("foo"), false, true));
        QCOMPARE(e.textCursor().selectionStart(), 0);
        QVERIFY(bar.findNext(QStringLiteral("Foo"), false, true));
        QCOMPARE(e.textCursor().selectedText(), QStringLiteral("Foo"));
        QSignalSpy missing(&bar, &FindBar::notFound);
        QVERIFY(!bar.findNext(QStringLiteral("nothing")));
        QCOMPARE(missing.count(), 1);
    }

    void replaceAllCountsAndIsOneUndoStep()
    {
        QPlainTextEdit e;
        const QString original = QStringLiteral("a = a + A;\nconsole.log(a)\n");
        e.setPlainText(original);
        FindBar bar(&e);
        QCOMPARE(bar.replaceAll(QStringLiteral("a"), QStringLiteral("aa"), true), 3);
        QCOMPARE(e.toPlainText(), QStringLiteral("aa = aa + A;\nconsole.log(aa)\n"));
        e.undo();
        QCOMPARE(e.toPlainText(), original);
        QVERIFY(!e.document()->isUndoAvailable());
        QCOMPARE(bar.replaceAll(QStringLiteral("a"), QStringLiteral("b")), 4);  // case-insensitive
        QCOMPARE(e.toPlainText(), QStringLiteral("b = b + b;\nconsole.log(b)\n"));
        QCOMPARE(bar.replaceAll(QStringLiteral("zzz"), QStringLiteral("b")), 0);
    }

    void replaceCurrentReplacesTheMatchAndMovesOn()
    {
        QPlainTextEdit e;
        e.setPlainText(QStringLiteral("x y x"));
        FindBar bar(&e);
        QVERIFY(!bar.replaceCurrent(QStringLiteral("x"), QStringLiteral("z")));  // selects the first
        QVERIFY(bar.replaceCurrent(QStringLiteral("x"), QStringLiteral("z")));
        QCOMPARE(e.toPlainText(), QStringLiteral("z y x"));
        QCOMPARE(e.textCursor().selectionStart(), 4);
    }

    void enterFindsNextAndEscapeHides()
    {
        QPlainTextEdit e;
        e.setPlainText(QStringLiteral("one two one"));
        FindBar bar(&e);
        bar.showFind();
        QVERIFY(!bar.isHidden());
        bar.findEdit()->setText(QStringLiteral("one"));
        QTest::keyClick(bar.findEdit(), Qt::Key_Return);
        QCOMPARE(e.textCursor().selectionStart(), 0);
        QTest::keyClick(bar.findEdit(), Qt::Key_Return);
        QCOMPARE(e.textCursor().selectionStart(), 8);
        QTest::keyClick(bar.findEdit(), Qt::Key_Escape);
        QVERIFY(bar.isHidden());
    }
};

QTEST_MAIN(TestFindBar)
#include "tst_findbar.moc"
