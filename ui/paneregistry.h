#pragma once
// PaneRegistry — where plugins put their panes, one call each; the shell creates them in the
// order they were registered. GUI thread only.

#include "pane.h"

#include <QList>

namespace Loopscope::Ui {

class PaneRegistry final {
public:
    void registerPane(PaneFactory factory);
    const QList<PaneFactory> &factories() const { return m_factories; }

private:
    QList<PaneFactory> m_factories;
};

} // namespace Loopscope::Ui
