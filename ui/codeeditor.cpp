#include "codeeditor.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/SyntaxHighlighter>

#include <QApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>

#include <algorithm>

namespace Loopscope::Ui {

namespace {

// The gutter is the editor's viewport margin; it only asks the editor to paint it.
class Gutter final : public QWidget {
public:
    explicit Gutter(CodeEditor *editor) : QWidget(editor), m_editor(editor) {}
    QSize sizeHint() const override { return QSize(m_editor->gutterWidth(), 0); }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintGutter(event); }

private:
    CodeEditor *m_editor;
};

constexpr QStringView kOpen = u"([{";
constexpr QStringView kClose = u")]}";

} // namespace

CodeEditor::CodeEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new KSyntaxHighlighting::SyntaxHighlighter(document()))
    , m_gutter(new Gutter(this))
{
    // Only the family is set, so a zoom (a point size set on an ancestor or here) still applies.
    QFont mono;
    mono.setFamilies(QFontDatabase::systemFont(QFontDatabase::FixedFont).families());
    mono.setStyleHint(QFont::Monospace);
    mono.setFixedPitch(true);
    setFont(mono);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * kIndentWidth);

    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateGutterGeometry);
    connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::updateExtraSelections);
    connect(document(), &QTextDocument::contentsChange, this, [this](int, int removed, int added) {
        if (m_errorLine && (removed || added))
            setErrorLine(0);
        if (m_traceLine && (removed || added))
            setTraceLine(0);
        if (m_highlightFirst && (removed || added))
            setHighlightedLines(0, 0);
    });

    setFileName(QStringLiteral("untitled.js"));
    updateTheme();
    updateGutterGeometry();
}

CodeEditor::~CodeEditor() = default;

void CodeEditor::setFileName(const QString &fileName)
{
    KSyntaxHighlighting::Definition def = m_repository.definitionForFileName(fileName);
    if (!def.isValid())
        def = m_repository.definitionForName(QStringLiteral("JavaScript"));
    m_highlighter->setDefinition(def);
}

QString CodeEditor::definitionName() const
{
    return m_highlighter->definition().name();
}

QString CodeEditor::themeName() const
{
    return m_theme.name();
}

void CodeEditor::updateTheme()
{
    const bool dark = qApp->palette().color(QPalette::Base).lightness() < 128;
    m_theme = m_repository.defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                             : KSyntaxHighlighting::Repository::LightTheme);
    // Only the roles the theme decides are set: the rest keeps following the application
    // palette, so a later theme switch still reaches this widget as a PaletteChange.
    QPalette p;
    p.setResolveMask(0);
    p.setColor(QPalette::Base, QColor::fromRgba(m_theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)));
    p.setColor(QPalette::Text, QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::Normal)));
    p.setColor(QPalette::Highlight, QColor::fromRgba(m_theme.editorColor(KSyntaxHighlighting::Theme::TextSelection)));
    p.setColor(QPalette::HighlightedText, QColor::fromRgba(m_theme.textColor(KSyntaxHighlighting::Theme::Normal)));
    setPalette(p);
    m_highlighter->setTheme(m_theme);
    m_highlighter->rehighlight();
    updateExtraSelections();
    m_gutter->update();
}

void CodeEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange) {
        // Our own setPalette() lands here too: only a change of lightness picks a new theme.
        const bool dark = qApp->palette().color(QPalette::Base).lightness() < 128;
        if (dark != (QColor::fromRgba(m_theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)).lightness() < 128))
            updateTheme();
    }
    else if (event->type() == QEvent::FontChange) {
        setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * kIndentWidth);
        updateGutterGeometry();
    }
}

void CodeEditor::goToLine(int line)
{
    const int n = qBound(1, line, document()->blockCount());
    QTextCursor c(document()->findBlockByNumber(n - 1));
    setTextCursor(c);
    centerCursor();
    setFocus();
}

void CodeEditor::setTraceLine(int line)
{
    line = line < 1 || line > document()->blockCount() ? 0 : line;
    if (line == m_traceLine)
        return;
    m_traceLine = line;
    updateExtraSelections();
    if (line > 0) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        const int top = int(blockBoundingGeometry(block).translated(contentOffset()).top());
        if (top < 0 || top + blockBoundingRect(block).height() > viewport()->height())
            verticalScrollBar()->setValue(std::max(0, line - 1 - viewport()->height() / (2 * std::max(1, fontMetrics().height()))));
    }
}

void CodeEditor::setErrorLine(int line)
{
    m_errorLine = line < 1 || line > document()->blockCount() ? 0 : line;
    updateExtraSelections();
    m_gutter->update();
}

int CodeEditor::gutterWidth() const
{
    int digits = 1;
    for (int n = qMax(1, blockCount()); n >= 10; n /= 10)
        ++digits;
    digits = qMax(digits, 3);
    return fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + 12;
}

void CodeEditor::updateGutterGeometry()
{
    setViewportMargins(gutterWidth(), 0, 0, 0);
    const QRect r = contentsRect();
    m_gutter->setGeometry(QRect(r.left(), r.top(), gutterWidth(), r.height()));
}

void CodeEditor::updateGutter(const QRect &rect, int dy)
{
    if (dy)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateGutterGeometry();
}

void CodeEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateGutterGeometry();
}

void CodeEditor::paintGutter(QPaintEvent *event)
{
    using KSyntaxHighlighting::Theme;
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), QColor::fromRgba(m_theme.editorColor(Theme::IconBorder)));
    painter.setFont(font());
    const int current = textCursor().blockNumber();
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        if (block.isVisible() && top + height >= event->rect().top()) {
            const bool isCurrent = block.blockNumber() == current;
            painter.setPen(QColor::fromRgba(m_theme.editorColor(isCurrent ? Theme::CurrentLineNumber : Theme::LineNumbers)));
            painter.drawText(0, top, m_gutter->width() - 6, fontMetrics().height(), Qt::AlignRight,
                             QString::number(block.blockNumber() + 1));
        }
        top += height;
        block = block.next();
    }
}

int CodeEditor::matchingBracket(int position) const
{
    const QTextDocument *doc = document();
    const QChar c = doc->characterAt(position);
    int depth = 0;
    if (const int i = kOpen.indexOf(c); i >= 0) {
        const int end = qMin(doc->characterCount(), position + 200000);
        for (int p = position; p < end; ++p) {
            const QChar x = doc->characterAt(p);
            if (x == c) ++depth;
            else if (x == kClose[i] && --depth == 0) return p;
        }
    } else if (const int j = kClose.indexOf(c); j >= 0) {
        const int end = qMax(0, position - 200000);
        for (int p = position; p >= end; --p) {
            const QChar x = doc->characterAt(p);
            if (x == c) ++depth;
            else if (x == kOpen[j] && --depth == 0) return p;
        }
    }
    return -1;
}

void CodeEditor::setHighlightedLines(int first, int last)
{
    const int lines = document()->blockCount();
    if (first < 1 || first > lines || last < first) {
        m_highlightFirst = m_highlightLast = 0;
    } else {
        m_highlightFirst = first;
        m_highlightLast = qMin(last, lines);
        // Bring the whole range into view, its first line centred.
        goToLine(m_highlightFirst);
    }
    updateExtraSelections();
}

void CodeEditor::updateExtraSelections()
{
    using KSyntaxHighlighting::Theme;
    QList<QTextEdit::ExtraSelection> selections;
    QTextEdit::ExtraSelection line;
    line.format.setBackground(QColor::fromRgba(m_theme.editorColor(Theme::CurrentLine)));
    line.format.setProperty(QTextFormat::FullWidthSelection, true);
    line.cursor = textCursor();
    line.cursor.clearSelection();
    selections.append(line);

    if (m_traceLine > 0) {
        // Okabe-Ito sky blue: apart from the error red and the current-line shade in any theme.
        QTextEdit::ExtraSelection trace;
        trace.format.setBackground(QColor(0x56, 0xb4, 0xe9, 90));
        trace.format.setProperty(QTextFormat::FullWidthSelection, true);
        trace.cursor = QTextCursor(document()->findBlockByNumber(m_traceLine - 1));
        selections.append(trace);
    }

    if (m_highlightFirst > 0) {
        QTextEdit::ExtraSelection lines;
        // Translucent amber; fainter on a dark background so the highlighted code stays legible.
        const bool dark = palette().color(QPalette::Base).lightness() < 128;
        lines.format.setBackground(QColor(255, 190, 0, dark ? 60 : 120));
        lines.format.setProperty(QTextFormat::FullWidthSelection, true);
        lines.cursor = QTextCursor(document()->findBlockByNumber(m_highlightFirst - 1));
        const QTextBlock last = document()->findBlockByNumber(m_highlightLast - 1);
        lines.cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
        selections.append(lines);
    }

    if (m_errorLine > 0) {
        QTextEdit::ExtraSelection error;
        error.format.setBackground(QColor(255, 0, 0, 70));
        error.format.setProperty(QTextFormat::FullWidthSelection, true);
        error.cursor = QTextCursor(document()->findBlockByNumber(m_errorLine - 1));
        selections.append(error);
    }

    // The bracket after the cursor, else the one before it.
    const int pos = textCursor().position();
    int at = pos, match = matchingBracket(pos);
    if (match < 0 && pos > 0) {
        at = pos - 1;
        match = matchingBracket(at);
    }
    if (match >= 0) {
        for (int p : {at, match}) {
            QTextEdit::ExtraSelection b;
            b.format.setBackground(QColor::fromRgba(m_theme.editorColor(Theme::BracketMatching)));
            b.format.setFontWeight(QFont::Bold);
            b.cursor = QTextCursor(document());
            b.cursor.setPosition(p);
            b.cursor.setPosition(p + 1, QTextCursor::KeepAnchor);
            selections.append(b);
        }
    }
    setExtraSelections(selections);
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    if (isReadOnly()) {
        QPlainTextEdit::keyPressEvent(event);
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
        QTextCursor c = textCursor();
        const QString before = c.block().text().left(c.positionInBlock());
        int indent = 0;
        while (indent < before.size() && before[indent] == QLatin1Char(' '))
            ++indent;
        const QString trimmed = before.trimmed();
        if (!trimmed.isEmpty() && kOpen.contains(trimmed.back()))
            indent += kIndentWidth;
        c.insertText(QLatin1Char('\n') + QString(indent, QLatin1Char(' ')));
        setTextCursor(c);
        return;
    }
    if (event->text() == QLatin1String("}") && !textCursor().hasSelection()) {
        // A closing brace typed on an indented, otherwise empty line goes back one level.
        QTextCursor c = textCursor();
        const QString before = c.block().text().left(c.positionInBlock());
        if (!before.isEmpty() && before.trimmed().isEmpty()) {
            const int remove = int((before.size() - 1) % kIndentWidth + 1);
            c.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, remove);
            c.insertText(QStringLiteral("}"));
            setTextCursor(c);
            return;
        }
    }
    if (event->key() == Qt::Key_Tab && event->modifiers() == Qt::NoModifier && !textCursor().hasSelection()) {
        QTextCursor c = textCursor();
        c.insertText(QString(kIndentWidth - c.positionInBlock() % kIndentWidth, QLatin1Char(' ')));
        setTextCursor(c);
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace Loopscope::Ui
