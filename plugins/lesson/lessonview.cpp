#include "lessonview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace Loopscope::Lesson {

LessonView::LessonView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("Loopscope.Lesson.View"));
    setReadOnly(true);
    setOpenLinks(false);  // links are ours: script lines, never a page to navigate to
    setFrameShape(QFrame::NoFrame);
    document()->setDocumentMargin(12);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (const std::optional<SourceReference> ref = SourceReference::fromHref(url.toString()))
            Q_EMIT sourceLinesActivated(ref->firstLine, ref->lastLine);
    });
}

void LessonView::setLesson(const QString &markdown, const QStringList &scriptLines)
{
    m_markdown = markdown;
    m_scriptLines = scriptLines;
    render();
}

void LessonView::clearLesson(const QString &message)
{
    m_markdown = message;
    m_scriptLines.clear();
    render();
}

void LessonView::activateLink(int index)
{
    if (index >= 0 && index < m_links.size())
        Q_EMIT sourceLinesActivated(m_links[index].reference.firstLine, m_links[index].reference.lastLine);
}

void LessonView::render()
{
    m_rendering = true;
    document()->setMarkdown(m_markdown, QTextDocument::MarkdownDialectGitHub);
    m_links.clear();

    // Code spans: keep their monospace family but drop the fixed point size the Markdown reader
    // gives them, so they follow the pane's zoom; those naming script lines become links.
    struct Span { int start, end; QString text; };
    QList<Span> spans;
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.isValid() && fragment.charFormat().fontFixedPitch())
                spans.append({fragment.position(), fragment.position() + fragment.length(), fragment.text()});
        }
    const QColor link = palette().color(QPalette::Link);
    const QColor codeBackground = palette().color(QPalette::AlternateBase);
    const QStringList mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).families();
    for (const Span &span : std::as_const(spans)) {
        QTextCursor cursor(document());
        cursor.setPosition(span.start);
        cursor.setPosition(span.end, QTextCursor::KeepAnchor);
        QTextCharFormat format = cursor.charFormat();
        format.clearProperty(QTextFormat::FontPointSize);
        format.clearProperty(QTextFormat::FontPixelSize);
        format.setFontFamilies(mono);
        format.setBackground(codeBackground);
        if (const std::optional<SourceReference> ref = SourceReference::resolve(span.text, m_scriptLines)) {
            format.setAnchor(true);
            format.setAnchorHref(ref->href());
            format.setForeground(link);
            format.setFontUnderline(true);
            format.setUnderlineStyle(QTextCharFormat::DotLine);
            format.setToolTip(ref->firstLine == ref->lastLine
                                  ? tr("Highlight line %1 in the editor").arg(ref->firstLine)
                                  : tr("Highlight lines %1–%2 in the editor").arg(ref->firstLine).arg(ref->lastLine));
            m_links.append({span.text, *ref, span.start});
        }
        cursor.setCharFormat(format);
    }
    m_rendering = false;
}

void LessonView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    // The spans' colours come from the palette: follow a theme switch.
    if (event->type() == QEvent::PaletteChange && !m_rendering && !m_markdown.isEmpty())
        render();
}

} // namespace Loopscope::Lesson
