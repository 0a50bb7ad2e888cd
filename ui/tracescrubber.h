#pragma once
// TraceScrubber — the timeline under the panes: a slider over the recorded trace that moves the
// window's TraceCursor, during or after a run. Keys (while it has focus): ←/→ one callback,
// Shift+←/→ one loop phase, Home/End; "Live" pins the cursor to the newest event. It shows the
// cursor's time, the callback number and the phase. GUI thread only.

#include <QStyle>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace Loopscope::Ui {

class TraceCursor;

class TraceScrubber final : public QWidget {
    Q_OBJECT
public:
    explicit TraceScrubber(TraceCursor *cursor, QWidget *parent = nullptr);

    QSlider *slider() const { return m_slider; }
    QToolButton *liveButton() const { return m_live; }
    QString positionText() const;

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool handleKey(QKeyEvent *event);
    void updateRange();
    void updatePosition();
    QToolButton *addButton(QStyle::StandardPixmap icon, const QString &accessibleName, const QString &toolTip);

    TraceCursor *m_cursor;
    QSlider *m_slider;
    QToolButton *m_live;
    QLabel *m_position;
    bool m_updating = false;
};

} // namespace Loopscope::Ui
