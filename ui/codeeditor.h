#pragma once
// CodeEditor — the script editor: a QPlainTextEdit highlighted by KSyntaxHighlighting (no
// hand-written rules), with a line-number gutter, current-line highlight, bracket matching,
// auto-indent on Enter and spaces for Tab. Colours come from the highlighting theme, chosen by
// the application palette's lightness and re-chosen when the palette changes. GUI thread only.

#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

#include <QPlainTextEdit>

namespace KSyntaxHighlighting { class SyntaxHighlighter; }

namespace Loopscope::Ui {

class CodeEditor final : public QPlainTextEdit {
    Q_OBJECT
public:
    static constexpr int kIndentWidth = 4;

    explicit CodeEditor(QWidget *parent = nullptr);
    ~CodeEditor() override;

    // Picks the syntax definition from the name ("x.js", "x.ts", "x.json"); JavaScript if unknown.
    void setFileName(const QString &fileName);
    QString definitionName() const;
    QString themeName() const;

    // Follows the application palette: a dark palette gets the repository's dark theme.
    void updateTheme();

    // Moves the cursor to the start of 1-based line `line` (clamped to the document) and centres it.
    void goToLine(int line);

    // Marks 1-based `line` as where a run failed (a red line); 0 clears it. The next edit clears it too.
    void setErrorLine(int line);
    int errorLine() const { return m_errorLine; }
    // Marks 1-based `line` as the one whose callback the trace cursor is at (0 clears it) and
    // scrolls it into view, leaving the text cursor where it is. The next edit clears it too.
    void setTraceLine(int line);
    int traceLine() const { return m_traceLine; }

    // Marks 1-based lines `first`..`last` (a lesson pointing at code) and shows the first; 0
    // clears. The next edit clears it too.
    void setHighlightedLines(int first, int last);
    int highlightedFirstLine() const { return m_highlightFirst; }
    int highlightedLastLine() const { return m_highlightLast; }

    int gutterWidth() const;
    void paintGutter(QPaintEvent *event);  // for the gutter widget

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateGutterGeometry();
    void updateGutter(const QRect &rect, int dy);
    void updateExtraSelections();
    int matchingBracket(int position) const;

    KSyntaxHighlighting::Repository m_repository;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
    KSyntaxHighlighting::Theme m_theme;
    QWidget *m_gutter;
    int m_errorLine = 0;
    int m_traceLine = 0;
    int m_highlightFirst = 0;
    int m_highlightLast = 0;
};

} // namespace Loopscope::Ui
