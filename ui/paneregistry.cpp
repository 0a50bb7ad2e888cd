#include "paneregistry.h"

namespace Loopscope::Ui {

void PaneRegistry::registerPane(PaneFactory factory)
{
    if (factory)
        m_factories.append(std::move(factory));
}

} // namespace Loopscope::Ui
