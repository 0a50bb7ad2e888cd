#include "consolewidget.h"
#include "stackframe.h"

#include "constants.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QMouseEvent>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace Loopscope::Console {

using Runtime::OutputChunk;
using Runtime::OutputStream;

namespace {

constexpr qsizetype kMaxInsert = 16384;  // characters per insertText, so the budget is checked often

bool darkPalette(const QPalette &p)
{
    return p.color(QPalette::Base).lightness() < 128;
}

QColor ansiColour(int index, bool dark)
{
    // The 16 terminal colours, tuned to read on a light or a dark background.
    static const QRgb light[16] = {0x000000, 0xb21818, 0x18801a, 0x8a6d00, 0x1a4fc2, 0xa020a0, 0x0f7f8a, 0x666666,
                                   0x555555, 0xe03030, 0x23a023, 0xb08a00, 0x3a6ff0, 0xc040c0, 0x1aa0b0, 0x333333};
    static const QRgb darkRgb[16] = {0x808080, 0xff6b68, 0x7ad17a, 0xe5c07b, 0x6fa8ff, 0xd88ce8, 0x56c8d8, 0xd0d0d0,
                                     0x9a9a9a, 0xff8c8a, 0x98e698, 0xf0d890, 0x90bcff, 0xe8a8f0, 0x80e0ee, 0xffffff};
    return QColor::fromRgb((dark ? darkRgb : light)[index < 0 ? 0 : index > 15 ? 15 : index]);
}

} // namespace

ConsoleWidget::ConsoleWidget(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_view(new QPlainTextEdit)
    , m_input(new QLineEdit)
    , m_eof(new QToolButton)
    , m_dropped(new QLabel)
    , m_footer(new QLabel)
    , m_dark(darkPalette(palette()))
{
    setObjectName(QStringLiteral("Loopscope.Console.Widget"));
    m_view->setReadOnly(true);
    m_view->setUndoRedoEnabled(false);
    m_view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_view->setMaximumBlockCount(session->buffer().lineCap() + 1);
    m_view->setObjectName(QStringLiteral("Loopscope.Console.View"));
    m_view->viewport()->installEventFilter(this);  // clicks on stack frames
    m_view->viewport()->setMouseTracking(true);
    // Only the family: the size comes from the dock, so the shell's zoom reaches it.
    QFont mono;
    mono.setFamilies(QFontDatabase::systemFont(QFontDatabase::FixedFont).families());
    mono.setStyleHint(QFont::Monospace);
    mono.setFixedPitch(true);
    m_view->setFont(mono);
    m_input->setFont(mono);

    auto *clearButton = new QToolButton;
    clearButton->setText(tr("Clear"));
    clearButton->setToolTip(tr("Clear the console"));
    connect(clearButton, &QToolButton::clicked, this, &ConsoleWidget::clear);
    auto *copyButton = new QToolButton;
    copyButton->setText(tr("Copy"));
    copyButton->setToolTip(tr("Copy the selection, or everything if nothing is selected"));
    connect(copyButton, &QToolButton::clicked, this, &ConsoleWidget::copy);
    m_eof->setText(tr("EOF"));
    m_eof->setToolTip(tr("End the script's stdin"));
    m_eof->setEnabled(false);
    connect(m_eof, &QToolButton::clicked, this, [this] {
        if (m_session)
            m_session->closeStdin();
    });

    m_input->setPlaceholderText(tr("Input for the script's stdin: Enter sends a line"));
    m_input->setEnabled(false);
    connect(m_input, &QLineEdit::returnPressed, this, &ConsoleWidget::sendInput);
    m_dropped->setVisible(false);
    m_footer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_footer->setObjectName(QStringLiteral("Loopscope.Console.Footer"));

    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_eof);
    inputRow->addWidget(clearButton);
    inputRow->addWidget(copyButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(m_dropped);
    layout->addWidget(m_view, 1);
    layout->addLayout(inputRow);
    layout->addWidget(m_footer);

    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(Constants::FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ConsoleWidget::flushPending);

    connect(session, &ConsoleSession::runStarted, this, [this] {
        m_view->clear();
        m_newlinesShown = 0;
        updateDroppedNotice();
    });
    connect(session, &ConsoleSession::outputReset, this, [this] {
        m_view->clear();
        m_newlinesShown = 0;
        updateDroppedNotice();
    });
    connect(session, &ConsoleSession::outputQueued, this, &ConsoleWidget::scheduleFlush);
    connect(session, &ConsoleSession::stateChanged, this, &ConsoleWidget::updateState);
    updateState();
    scheduleFlush();  // what the session kept before this view existed
}

ConsoleWidget::~ConsoleWidget() = default;

void ConsoleWidget::setLineCap(int lines)
{
    m_session->buffer().setLineCap(lines);
    m_view->setMaximumBlockCount(m_session->buffer().lineCap() + 1);
}

QString ConsoleWidget::text() const
{
    return m_view->toPlainText();
}

qint64 ConsoleWidget::droppedLines() const
{
    // Each newline shown started a block; the document dropped whatever no longer fits.
    const qint64 inDocument = m_view->document()->blockCount();
    return (m_session ? m_session->buffer().droppedLines() : 0) + qMax<qint64>(0, m_newlinesShown + 1 - inDocument);
}

QString ConsoleWidget::footerText() const
{
    return m_footer->text();
}

void ConsoleWidget::appendOutput(const QList<OutputChunk> &chunks)
{
    if (m_session)
        m_session->appendOutput(chunks);  // which schedules the flush
}

void ConsoleWidget::scheduleFlush()
{
    if (hasPendingOutput() && !m_flushTimer.isActive())
        m_flushTimer.start();
}

// Which kind of text and which ANSI colour a fragment has, kept in its format so it can be
// recoloured when the palette turns from light to dark or back.
constexpr int kKindProperty = QTextFormat::UserProperty;
constexpr int kColourProperty = QTextFormat::UserProperty + 1;

static QColor foregroundFor(int kind, int colour, bool dark)
{
    if (colour >= 0)
        return ansiColour(colour, dark);
    if (kind == 1)  // stderr
        return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
    if (kind == 2)  // input echoed
        return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x5f, 0xb4);
    return {};      // stdout: the palette's text colour
}

QTextCharFormat ConsoleWidget::formatFor(const ConsoleBuffer::Piece &piece) const
{
    const int kind = int(piece.kind);
    QTextCharFormat f;
    f.setProperty(kKindProperty, kind);
    f.setProperty(kColourProperty, piece.style.colour);
    if (const QColor c = foregroundFor(kind, piece.style.colour, m_dark); c.isValid())
        f.setForeground(c);
    if (piece.style.bold)
        f.setFontWeight(QFont::Bold);
    if (piece.kind == ConsoleBuffer::Kind::Input)
        f.setFontItalic(true);
    return f;
}

void ConsoleWidget::recolour()
{
    // Only coloured fragments change; stdout follows the palette by itself.
    QTextCursor cursor(m_view->document());
    cursor.beginEditBlock();
    for (QTextBlock b = m_view->document()->begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat old = fragment.charFormat();
            const QColor c = foregroundFor(old.property(kKindProperty).toInt(),
                                           old.hasProperty(kColourProperty) ? old.property(kColourProperty).toInt() : -1, m_dark);
            if (!c.isValid())
                continue;
            QTextCharFormat f;
            f.setForeground(c);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(f);
        }
    }
    cursor.endEditBlock();
}

void ConsoleWidget::flushPending()
{
    if (!hasPendingOutput())
        return;
    ConsoleBuffer &buffer = m_session->buffer();
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 2;
    QElapsedTimer clock;
    clock.start();
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    while (!buffer.isEmpty() && clock.elapsed() < Constants::FlushBudgetMs) {
        const ConsoleBuffer::Piece piece = buffer.take(kMaxInsert);
        cursor.insertText(piece.text, formatFor(piece));
        m_newlinesShown += piece.newlines;
    }
    if (follow)
        bar->setValue(bar->maximum());
    updateDroppedNotice();
    Q_EMIT outputShown();
    if (buffer.isEmpty())
        Q_EMIT pendingOutputShown();
    else
        scheduleFlush();
}

void ConsoleWidget::updateDroppedNotice()
{
    const qint64 dropped = droppedLines();
    m_dropped->setVisible(dropped > 0);
    if (dropped > 0)
        m_dropped->setText(tr("%1 earlier lines were dropped (the console keeps the last %2).")
                               .arg(dropped).arg(lineCap()));
}

void ConsoleWidget::clear()
{
    if (m_session)
        m_session->buffer().clear();
    m_newlinesShown = 0;
    m_view->clear();
    updateDroppedNotice();
}

void ConsoleWidget::copy()
{
    const QString selected = m_view->textCursor().selectedText();
    QString text = selected.isEmpty() ? m_view->toPlainText() : selected;
    text.replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
    QGuiApplication::clipboard()->setText(text);
}

void ConsoleWidget::sendInput()
{
    if (!m_session || !m_session->isStdinOpen())
        return;
    const QString line = m_input->text() + QLatin1Char('\n');
    m_input->clear();
    m_session->sendInput(line);
}

void ConsoleWidget::updateState()
{
    if (!m_session)
        return;
    m_footer->setText(m_session->footerText());
    const bool open = m_session->isStdinOpen();
    m_input->setEnabled(open);
    m_eof->setEnabled(open);
    if (open && m_session->isStdinWanted()) {
        m_input->setPlaceholderText(tr("The script is reading stdin: type a line and press Enter"));
        m_input->setFocus();
    } else {
        m_input->setPlaceholderText(tr("Input for the script's stdin: Enter sends a line"));
    }
}

void ConsoleWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && darkPalette(palette()) != m_dark) {
        m_dark = darkPalette(palette());
        recolour();
    }
}

bool ConsoleWidget::activateLine(int blockNumber)
{
    const QTextBlock block = m_view->document()->findBlockByNumber(blockNumber);
    if (!block.isValid())
        return false;
    const std::optional<SourceLocation> location = parseSourceLocation(block.text());
    if (!location)
        return false;
    Q_EMIT sourceLocationActivated(location->path, location->line, location->column);
    return true;
}

bool ConsoleWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport()) {
        if (event->type() == QEvent::MouseButtonRelease) {
            auto *mouse = static_cast<QMouseEvent *>(event);
            // A click, not the end of a selection drag.
            if (mouse->button() == Qt::LeftButton && !m_view->textCursor().hasSelection())
                activateLine(m_view->cursorForPosition(mouse->position().toPoint()).blockNumber());
        } else if (event->type() == QEvent::MouseMove) {
            auto *mouse = static_cast<QMouseEvent *>(event);
            const QTextBlock block = m_view->cursorForPosition(mouse->position().toPoint()).block();
            const bool link = block.isValid() && parseSourceLocation(block.text()).has_value();
            m_view->viewport()->setCursor(link ? Qt::PointingHandCursor : Qt::IBeamCursor);
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Loopscope::Console
