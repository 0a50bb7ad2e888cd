#pragma once
// LoopCardWidget — one callback drawn as a card: its function name, its resource type and the
// line that scheduled it (and, on the call stack, what created it). Hovering it asks for that
// line to be marked in the editor. Text is selectable; the accessible name says it all.
//
// Threads: GUI thread.

#include "loopstatemodel.h"

#include <QColor>
#include <QFrame>

class QLabel;

namespace Loopscope::EventLoop {

class LoopCardWidget final : public QFrame {
    Q_OBJECT
public:
    explicit LoopCardWidget(QWidget *parent = nullptr);

    void setCard(const LoopCard &card, const QColor &accent, bool running);
    const LoopCard &card() const { return m_card; }
    // The height a card with this content needs at the current font.
    static int heightFor(const QFontMetrics &metrics, bool withCreator);

Q_SIGNALS:
    void hovered(const QString &path, int line);
    void unhovered();

protected:
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    LoopCard m_card;
    QColor m_accent;
    bool m_running = false;
    QLabel *m_title;
    QLabel *m_detail;
    QLabel *m_creator;
};

} // namespace Loopscope::EventLoop
