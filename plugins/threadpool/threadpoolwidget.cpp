#include "threadpoolwidget.h"

#include "threadpoolview.h"
#include "tracecursor.h"

#include <QLabel>
#include <QVBoxLayout>

namespace Loopscope::ThreadPool {

ThreadPoolWidget::ThreadPoolWidget(Ui::TraceCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_cursor(cursor)
    , m_summary(new QLabel)
    , m_view(new ThreadPoolView(&m_model))
{
    setObjectName(QStringLiteral("Loopscope.ThreadPool.Widget"));
    m_summary->setObjectName(QStringLiteral("Loopscope.ThreadPool.Summary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    if (cursor) {
        connect(cursor, &Ui::TraceCursor::traceChanged, this, &ThreadPoolWidget::reindex);
        connect(cursor, &Ui::TraceCursor::indexGrew, this, &ThreadPoolWidget::reindex);
        connect(cursor, &Ui::TraceCursor::cursorMoved, this, &ThreadPoolWidget::refresh);
    }
    reindex();
}

void ThreadPoolWidget::reindex()
{
    m_model.setIndex(m_cursor ? m_cursor->index() : nullptr);
    m_view->updateGeometry();
    refresh();
}

QString ThreadPoolWidget::summaryText() const
{
    return m_summary->text();
}

void ThreadPoolWidget::refresh()
{
    if (m_cursor)
        m_model.setTime(m_cursor->time());
    const QString text = m_model.index()
        ? tr("Thread pool: %1").arg(m_model.summary())
        : tr("Thread pool: no trace yet");
    if (text != m_summary->text()) {
        m_summary->setText(text);
        m_view->setAccessibleDescription(text);
    }
    m_view->update();
}

} // namespace Loopscope::ThreadPool
