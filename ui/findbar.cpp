#include "findbar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextDocument>

namespace Loopscope::Ui {

static QTextDocument::FindFlags flagsFor(bool backward, bool caseSensitive)
{
    QTextDocument::FindFlags flags;
    if (backward)
        flags |= QTextDocument::FindBackward;
    if (caseSensitive)
        flags |= QTextDocument::FindCaseSensitively;
    return flags;
}

FindBar::FindBar(QPlainTextEdit *editor, QWidget *parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_find(new QLineEdit(this))
    , m_replace(new QLineEdit(this))
    , m_caseSensitive(new QCheckBox(tr("&Match case"), this))
{
    setObjectName(QStringLiteral("Loopscope.FindBar"));
    m_find->setPlaceholderText(tr("Find"));
    m_replace->setPlaceholderText(tr("Replace with"));
    auto *next = new QPushButton(tr("Next"), this);
    auto *previous = new QPushButton(tr("Previous"), this);
    auto *replace = new QPushButton(tr("Replace"), this);
    auto *replaceAllButton = new QPushButton(tr("Replace All"), this);
    auto *close = new QPushButton(tr("Close"), this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_find, 2);
    layout->addWidget(next);
    layout->addWidget(previous);
    layout->addWidget(m_replace, 2);
    layout->addWidget(replace);
    layout->addWidget(replaceAllButton);
    layout->addWidget(m_caseSensitive);
    layout->addWidget(close);

    auto findForward = [this] { findNext(m_find->text(), false, m_caseSensitive->isChecked()); };
    connect(m_find, &QLineEdit::returnPressed, this, findForward);
    connect(next, &QPushButton::clicked, this, findForward);
    connect(previous, &QPushButton::clicked, this, [this] { findNext(m_find->text(), true, m_caseSensitive->isChecked()); });
    connect(m_replace, &QLineEdit::returnPressed, this,
            [this] { replaceCurrent(m_find->text(), m_replace->text(), m_caseSensitive->isChecked()); });
    connect(replace, &QPushButton::clicked, this,
            [this] { replaceCurrent(m_find->text(), m_replace->text(), m_caseSensitive->isChecked()); });
    connect(replaceAllButton, &QPushButton::clicked, this,
            [this] { replaceAll(m_find->text(), m_replace->text(), m_caseSensitive->isChecked()); });
    connect(close, &QPushButton::clicked, this, [this] {
        hide();
        m_editor->setFocus();
    });
    hide();
}

bool FindBar::findNext(const QString &text, bool backward, bool caseSensitive)
{
    if (text.isEmpty())
        return false;
    QTextDocument *doc = m_editor->document();
    const QTextDocument::FindFlags flags = flagsFor(backward, caseSensitive);
    QTextCursor found = doc->find(text, m_editor->textCursor(), flags);
    if (found.isNull()) {  // wrap around
        QTextCursor from(doc);
        from.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
        found = doc->find(text, from, flags);
    }
    if (found.isNull()) {
        Q_EMIT notFound(text);
        return false;
    }
    m_editor->setTextCursor(found);
    return true;
}

bool FindBar::replaceCurrent(const QString &text, const QString &with, bool caseSensitive)
{
    if (text.isEmpty() || m_editor->isReadOnly())
        return false;
    QTextCursor c = m_editor->textCursor();
    const bool matches = c.hasSelection()
        && QString::compare(c.selectedText(), text, caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive) == 0;
    if (matches) {
        c.insertText(with);
        m_editor->setTextCursor(c);
    }
    findNext(text, false, caseSensitive);
    return matches;
}

int FindBar::replaceAll(const QString &text, const QString &with, bool caseSensitive)
{
    if (text.isEmpty() || m_editor->isReadOnly())
        return 0;
    QTextDocument *doc = m_editor->document();
    const QTextDocument::FindFlags flags = flagsFor(false, caseSensitive);
    QTextCursor edit(doc);
    int count = 0;
    QTextCursor found = doc->find(text, 0, flags);
    while (!found.isNull()) {
        if (count == 0)
            edit.beginEditBlock();
        found.insertText(with);  // leaves the cursor after the replacement: no re-matching it
        ++count;
        found = doc->find(text, found, flags);
    }
    if (count > 0)
        edit.endEditBlock();
    else
        Q_EMIT notFound(text);
    return count;
}

void FindBar::showFind()
{
    const QTextCursor c = m_editor->textCursor();
    if (c.hasSelection() && !c.selectedText().contains(QChar::ParagraphSeparator))
        m_find->setText(c.selectedText());
    show();
    m_find->setFocus();
    m_find->selectAll();
}

void FindBar::showReplace()
{
    showFind();
    if (!m_find->text().isEmpty()) {
        m_replace->setFocus();
        m_replace->selectAll();
    }
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        m_editor->setFocus();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace Loopscope::Ui
