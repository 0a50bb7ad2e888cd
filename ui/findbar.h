#pragma once
// FindBar — the find/replace strip under the editor: find text, replacement, Next/Previous,
// Replace, Replace All and a case-sensitivity box. Esc hides it, Enter finds the next match,
// searches wrap around the document. Replace All is one undo step. GUI thread only.

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPlainTextEdit;

namespace Loopscope::Ui {

class FindBar final : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QPlainTextEdit *editor, QWidget *parent = nullptr);

    QLineEdit *findEdit() const { return m_find; }
    QLineEdit *replaceEdit() const { return m_replace; }
    QCheckBox *caseSensitiveBox() const { return m_caseSensitive; }

    // Selects the next (or previous) match after (before) the cursor, wrapping around.
    // Returns whether a match was found.
    bool findNext(const QString &text, bool backward = false, bool caseSensitive = false);
    // Replaces the selection if it is a match, then finds the next one. Returns whether it replaced.
    bool replaceCurrent(const QString &text, const QString &with, bool caseSensitive = false);
    // Replaces every match in one undo step; returns how many.
    int replaceAll(const QString &text, const QString &with, bool caseSensitive = false);

public Q_SLOTS:
    void showFind();     // shows the bar and focuses the find field (with the selection, if any)
    void showReplace();  // also focuses the replacement field

Q_SIGNALS:
    void notFound(const QString &text);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QPlainTextEdit *m_editor;
    QLineEdit *m_find;
    QLineEdit *m_replace;
    QCheckBox *m_caseSensitive;
};

} // namespace Loopscope::Ui
