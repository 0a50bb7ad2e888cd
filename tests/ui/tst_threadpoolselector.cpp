// "Thread pool: N": sets the RunController's pool size for the next run, keeps it in the
// settings, and its Run-menu twin stays in step; a size set on the RunController shows in it.

#include "runcontroller.h"
#include "threadpoolselector.h"

#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope;

class TestThreadPoolSelector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choosesTheNextRunsPoolSize()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        Runtime::RunController runs;
        {
            Ui::ThreadPoolSelector selector(&runs, &settings);
            QCOMPARE(selector.size(), 4);
            QCOMPARE(runs.threadPoolSize(), 4);
            auto *box = selector.findChild<QComboBox *>();
            QVERIFY(box);
            QCOMPARE(box->count(), 16);
            std::unique_ptr<QMenu> menu(selector.createMenu(nullptr));
            QCOMPARE(menu->actions().size(), 16);
            QVERIFY(menu->actions().at(3)->isChecked());

            QSignalSpy changed(&selector, &Ui::ThreadPoolSelector::sizeChanged);
            box->setCurrentIndex(7);  // "8"
            QCOMPARE(changed.count(), 1);
            QCOMPARE(runs.threadPoolSize(), 8);
            QVERIFY(menu->actions().at(7)->isChecked());
            QVERIFY(!menu->actions().at(3)->isChecked());
            QCOMPARE(settings.value("Run/threadPoolSize").toInt(), 8);

            menu->actions().at(1)->trigger();  // "2" from the menu
            QCOMPARE(box->currentText(), QString("2"));
            QCOMPARE(runs.threadPoolSize(), 2);

            selector.setSize(99);  // clamped
            QCOMPARE(selector.size(), 16);
        }
        Ui::ThreadPoolSelector again(&runs, &settings);  // the next start keeps the choice
        QCOMPARE(again.size(), 16);
        QCOMPARE(runs.threadPoolSize(), 16);
    }

    // A size set on the RunController by someone else (a lesson's lesson.json) shows in the box
    // and its menu, and is kept like a choice made there.
    void followsTheRunController()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        Runtime::RunController runs;
        Ui::ThreadPoolSelector selector(&runs, &settings);
        std::unique_ptr<QMenu> menu(selector.createMenu(nullptr));
        QSignalSpy changed(&selector, &Ui::ThreadPoolSelector::sizeChanged);
        QSignalSpy controllerChanged(&runs, &Runtime::RunController::threadPoolSizeChanged);
        runs.setThreadPoolSize(1);
        QCOMPARE(controllerChanged.count(), 1);  // once, although the box sets it back
        QCOMPARE(selector.size(), 1);
        QCOMPARE(changed.count(), 1);
        QVERIFY(menu->actions().at(0)->isChecked());
        QCOMPARE(settings.value("Run/threadPoolSize").toInt(), 1);
        runs.setThreadPoolSize(1);  // no change, no signal
        QCOMPARE(controllerChanged.count(), 1);
        runs.setThreadPoolSize(0);  // "this process's pool": not a size the box offers
        QCOMPARE(selector.size(), 1);
    }
};

QTEST_MAIN(TestThreadPoolSelector)
#include "tst_threadpoolselector.moc"
