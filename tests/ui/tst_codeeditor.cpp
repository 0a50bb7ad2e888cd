// The editor: highlighting from KSyntaxHighlighting, themes by palette, indent and brackets.
#include "codeeditor.h"
#include "theme.h"

#include <QApplication>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace Loopscope::Ui;

class TestCodeEditor : public QObject {
    Q_OBJECT

    static QSet<QRgb> foregroundsOf(const QTextBlock &block)
    {
        QSet<QRgb> colours;
        for (const QTextLayout::FormatRange &r : block.layout()->formats())
            colours.insert(r.format.foreground().color().rgb());
        return colours;
    }

private Q_SLOTS:
    void initTestCase() { QApplication::setStyle(QStringLiteral("Fusion")); }

    void definitionByFileName()
    {
        CodeEditor e;
        QCOMPARE(e.definitionName(), QStringLiteral("JavaScript"));
        e.setFileName(QStringLiteral("a.ts"));
        QCOMPARE(e.definitionName(), QStringLiteral("TypeScript"));
        // KSyntaxHighlighting 6.30 reads JSON files with its JSON-with-comments definition.
        e.setFileName(QStringLiteral("package.json"));
        QVERIFY2(e.definitionName().startsWith(QLatin1String("JSON")), qPrintable(e.definitionName()));
        e.setFileName(QStringLiteral("noextension"));
        QCOMPARE(e.definitionName(), QStringLiteral("JavaScript"));
    }

    void highlightsJavaScript()
    {
        CodeEditor e;
        e.setPlainText(QStringLiteral("const x = 'text'; // note\n"));
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        const QSet<QRgb> colours = foregroundsOf(e.document()->firstBlock());
        // keyword, string and comment each get a colour of their own
        QVERIFY2(colours.size() >= 3, qPrintable(QString::number(colours.size())));
    }

    void themeFollowsPalette()
    {
        applyTheme(ThemeMode::Light);
        QWidget window;  // as in the IDE: the editor is not a window of its own
        CodeEditor &e = *new CodeEditor(&window);
        const QString light = e.themeName();
        QVERIFY(e.palette().color(QPalette::Base).lightness() > 128);
        applyTheme(ThemeMode::Dark);
        QCoreApplication::processEvents();
        QVERIFY(e.themeName() != light);
        QVERIFY(e.palette().color(QPalette::Base).lightness() < 128);
        applyTheme(ThemeMode::Light);
        QCoreApplication::processEvents();
        QCOMPARE(e.themeName(), light);
    }

    void enterKeepsIndentAndOpensBlocks()
    {
        CodeEditor e;
        e.show();
        QTest::keyClicks(&e, QStringLiteral("if (x) {"));
        QTest::keyClick(&e, Qt::Key_Return);
        QTest::keyClicks(&e, QStringLiteral("y();"));
        QTest::keyClick(&e, Qt::Key_Return);
        QTest::keyClicks(&e, QStringLiteral("z();"));
        QCOMPARE(e.toPlainText(), QStringLiteral("if (x) {\n    y();\n    z();"));
        QTest::keyClick(&e, Qt::Key_Return);
        QTest::keyClicks(&e, QStringLiteral("}"));
        QCOMPARE(e.toPlainText(), QStringLiteral("if (x) {\n    y();\n    z();\n}"));
    }

    void tabInsertsSpacesToTheNextStop()
    {
        CodeEditor e;
        e.show();
        QTest::keyClicks(&e, QStringLiteral("ab"));
        QTest::keyClick(&e, Qt::Key_Tab);
        QTest::keyClicks(&e, QStringLiteral("c"));
        QCOMPARE(e.toPlainText(), QStringLiteral("ab  c"));
    }

    void bracketsAreMatched()
    {
        CodeEditor e;
        e.setPlainText(QStringLiteral("f(a, [b]) + 1"));
        QTextCursor c = e.textCursor();
        c.setPosition(1);  // before '('
        e.setTextCursor(c);
        const auto sel = e.extraSelections();
        QCOMPARE(sel.size(), 3);  // current line + the two brackets
        QCOMPARE(sel.at(1).cursor.selectionStart(), 1);
        QCOMPARE(sel.at(2).cursor.selectionStart(), 8);
        c.setPosition(11);  // far from any bracket
        e.setTextCursor(c);
        QCOMPARE(e.extraSelections().size(), 1);
    }

    void gutterGrowsWithLineCount()
    {
        CodeEditor e;
        const int small = e.gutterWidth();
        e.setPlainText(QString(12000, QLatin1Char('\n')));
        QVERIFY(e.gutterWidth() > small);
    }

    void goToLineMovesTheCursorAndClamps()
    {
        CodeEditor e;
        e.setPlainText(QStringLiteral("a\nb\nc\nd\ne\n"));
        e.goToLine(3);
        QCOMPARE(e.textCursor().blockNumber(), 2);
        QCOMPARE(e.textCursor().positionInBlock(), 0);
        e.goToLine(1);
        QCOMPARE(e.textCursor().blockNumber(), 0);
        e.goToLine(99);  // clamped to the last line
        QCOMPARE(e.textCursor().blockNumber(), e.document()->blockCount() - 1);
        e.goToLine(0);
        QCOMPARE(e.textCursor().blockNumber(), 0);
    }
};

QTEST_MAIN(TestCodeEditor)
#include "tst_codeeditor.moc"
