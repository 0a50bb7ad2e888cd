#include "consolepane.h"

#include "consolesession.h"
#include "consolewidget.h"
#include "constants.h"

#include "tracecursor.h"
#include "traceindex.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

namespace Loopscope::Console {

ConsolePane::ConsolePane(const Ui::PaneContext &context)
    : m_session(std::make_unique<ConsoleSession>(context.runController))
    , m_showSourceLocation(context.showSourceLocation)
{
    if (context.settings)
        m_session->buffer().setLineCap(
            context.settings->value(QLatin1String(Constants::LineCapKey), Constants::DefaultLineCap).toInt());
    if (Ui::TraceCursor *cursor = context.traceCursor)
        followCursor(cursor);
}

// Replay: the console shows what was written up to the trace cursor. A run's own output is
// kept by the session; a saved trace brings the first bytes of each write it recorded.
void ConsolePane::followCursor(Ui::TraceCursor *cursor)
{
    ConsoleSession *session = m_session.get();
    auto follow = [session, cursor] {
        if (cursor->hasTrace())
            session->setVisibleBytes(cursor->isLive() ? -1 : qint64(cursor->outputBytes()));
    };
    QObject::connect(cursor, &Ui::TraceCursor::traceChanged, session, [session, cursor, follow] {
        if (cursor->hasTrace() && !cursor->fileName().isEmpty()) {
            QList<ConsoleSession::RecordedWrite> writes;
            for (const auto &w : cursor->index()->consoleWrites()) {
                QByteArray bytes = QByteArray::fromStdString(w.head);
                if (w.length > std::uint64_t(bytes.size()))
                    bytes += "…\n";  // the trace keeps only the first bytes of a write
                writes.append({w.stream == 2 ? Runtime::OutputStream::Stderr : Runtime::OutputStream::Stdout,
                               bytes, qint64(w.length)});
            }
            session->showRecordedOutput(writes, QCoreApplication::translate("Loopscope::Console", "Recorded in %1")
                                                    .arg(QFileInfo(cursor->fileName()).fileName()));
        }
        follow();
    });
    QObject::connect(cursor, &Ui::TraceCursor::cursorMoved, session, follow);
    QObject::connect(cursor, &Ui::TraceCursor::liveChanged, session, follow);
}

ConsolePane::~ConsolePane() = default;

QString ConsolePane::id() const
{
    return QLatin1String(Constants::PaneId);
}

QString ConsolePane::displayName() const
{
    return QCoreApplication::translate("Loopscope::Console", "Console");
}

QWidget *ConsolePane::createWidget(QWidget *parent)
{
    auto *widget = new ConsoleWidget(m_session.get(), parent);
    if (m_showSourceLocation)
        QObject::connect(widget, &ConsoleWidget::sourceLocationActivated, widget, m_showSourceLocation);
    return widget;
}

} // namespace Loopscope::Console
