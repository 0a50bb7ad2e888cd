#include "threadpoolselector.h"

#include "runcontroller.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSettings>

namespace Loopscope::Ui {

static constexpr char kSettingsKey[] = "Run/threadPoolSize";

ThreadPoolSelector::ThreadPoolSelector(Runtime::RunController *runs, QSettings *settings, QWidget *parent)
    : QWidget(parent)
    , m_runs(runs)
    , m_settings(settings)
    , m_box(new QComboBox)
{
    setObjectName(QStringLiteral("Loopscope.ThreadPoolSelector"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    auto *label = new QLabel(tr("Thread pool:"));
    label->setBuddy(m_box);
    layout->addWidget(label);
    layout->addWidget(m_box);
    for (int n = kMinSize; n <= kMaxSize; ++n)
        m_box->addItem(QString::number(n), n);
    m_box->setToolTip(tr("libuv thread-pool size (UV_THREADPOOL_SIZE) of the next run. "
                         "A size other than %1 runs the script in a separate Loopscope process "
                         "(Step and Profile runs keep %1).")
                          .arg(Runtime::RunController::processThreadPoolSize()));
    connect(m_box, &QComboBox::currentIndexChanged, this, [this] {
        const int n = size();
        m_runs->setThreadPoolSize(n);
        if (m_settings)
            m_settings->setValue(kSettingsKey, n);
        if (m_menuGroup)
            for (QAction *a : m_menuGroup->actions())
                a->setChecked(a->data().toInt() == n);
        Q_EMIT sizeChanged(n);
    });
    // Someone else set the size (a lesson that asks for one): show it, and keep it for next time.
    connect(m_runs, &Runtime::RunController::threadPoolSizeChanged, this, [this](int n) {
        if (n >= kMinSize && n <= kMaxSize && n != size())
            setSize(n);
    });
    const int saved = m_settings ? m_settings->value(kSettingsKey, kDefaultSize).toInt() : kDefaultSize;
    m_box->setCurrentIndex(-1);
    setSize(saved);
}

int ThreadPoolSelector::size() const
{
    return m_box->currentData().toInt();
}

void ThreadPoolSelector::setSize(int size)
{
    m_box->setCurrentIndex(std::clamp(size, kMinSize, kMaxSize) - kMinSize);
}

QMenu *ThreadPoolSelector::createMenu(QWidget *parent)
{
    auto *menu = new QMenu(tr("&Thread Pool Size"), parent);
    menu->setObjectName(QStringLiteral("Loopscope.ThreadPoolMenu"));
    m_menuGroup = new QActionGroup(menu);
    for (int n = kMinSize; n <= kMaxSize; ++n) {
        QAction *a = menu->addAction(n == kDefaultSize ? tr("%1 (Node's default)").arg(n) : QString::number(n));
        a->setData(n);
        a->setCheckable(true);
        a->setChecked(n == size());
        m_menuGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, n] { setSize(n); });
    }
    return menu;
}

} // namespace Loopscope::Ui
