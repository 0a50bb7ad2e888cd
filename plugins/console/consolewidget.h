#pragma once
// ConsoleWidget — what a run wrote: stdout and stderr in distinct colours, ANSI colours
// rendered, the oldest lines dropped past a cap (and counted), an input line feeding the
// script's stdin, and a footer saying how the run ended.
//
// It renders a ConsoleSession, which follows the runs even before this view exists. The
// document is updated at most once per frame and for a bounded time, so a script printing a
// million lines never freezes the GUI. GUI thread only.

#include "consolesession.h"

#include <QTextCharFormat>
#include <QTimer>
#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace Loopscope::Console {

class ConsoleWidget final : public QWidget {
    Q_OBJECT
public:
    explicit ConsoleWidget(ConsoleSession *session, QWidget *parent = nullptr);
    ~ConsoleWidget() override;

    void setLineCap(int lines);
    int lineCap() const { return m_session->buffer().lineCap(); }

    QPlainTextEdit *view() const { return m_view; }
    QLineEdit *input() const { return m_input; }
    QString text() const;               // what the console shows
    qint64 droppedLines() const;        // lines removed to honour the cap since the last clear
    QString footerText() const;
    bool hasPendingOutput() const { return m_session && !m_session->buffer().isEmpty(); }

public Q_SLOTS:
    void appendOutput(const QList<Loopscope::Runtime::OutputChunk> &chunks);
    void clear();
    void copy();
    void flushPending();  // one budgeted document update
    // If line `blockNumber` of the view names a source location (a stack frame of an uncaught
    // error), emits sourceLocationActivated and returns true. A click on such a line does this.
    bool activateLine(int blockNumber);

Q_SIGNALS:
    void outputShown();   // after each document update
    void pendingOutputShown();  // everything received so far is in the document
    void sourceLocationActivated(const QString &path, int line, int column);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void scheduleFlush();
    QTextCharFormat formatFor(const ConsoleBuffer::Piece &piece) const;
    void sendInput();
    void updateState();
    void updateDroppedNotice();
    void recolour();

    QPointer<ConsoleSession> m_session;
    QPlainTextEdit *m_view;
    QLineEdit *m_input;
    QToolButton *m_eof;
    QLabel *m_dropped;
    QLabel *m_footer;
    QTimer m_flushTimer;

    bool m_dark;  // the colours in the document were chosen for a dark background
    qint64 m_newlinesShown = 0;  // since the last clear
};

} // namespace Loopscope::Console
