#pragma once
// LessonView — a lesson's explanation: lesson.md rendered with Qt's Markdown support in a
// read-only browser that follows the theme and the zoom, its code spans that name script lines
// (sourcereference.h) turned into links that ask for those lines to be highlighted.
// GUI thread only.

#include "sourcereference.h"

#include <QList>
#include <QTextBrowser>

namespace Loopscope::Lesson {

class LessonView final : public QTextBrowser {
    Q_OBJECT
public:
    explicit LessonView(QWidget *parent = nullptr);

    void setLesson(const QString &markdown, const QStringList &scriptLines);
    void clearLesson(const QString &message);

    // The clickable spans, in document order: their text and the lines they point at.
    struct Link {
        QString text;
        SourceReference reference;
        int position = 0;  // in the document
    };
    const QList<Link> &links() const { return m_links; }
    // Acts as a click on the `index`th link.
    void activateLink(int index);

Q_SIGNALS:
    void sourceLinesActivated(int firstLine, int lastLine);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();

    QString m_markdown;
    QStringList m_scriptLines;
    QList<Link> m_links;
    bool m_rendering = false;
};

} // namespace Loopscope::Lesson
