// Top-down and bottom-up tables of a CPU profile: self and total times, callers under each
// function, recursion counted once, the item model's consistency, and the pane's widget
// (search, summary, a click on a frame shows its source line).

#include "calltree.h"
#include "calltreemodel.h"
#include "flamegraphwidget.h"
#include "profilerwidget.h"
#include "profilesession.h"
#include "sampleprofile.h"
#include "testfiles.h"

#include <QAbstractItemModelTester>
#include <algorithm>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTest>
#include <QUrl>

using namespace Loopscope;
using namespace Loopscope::Profiler;

// The tree as text, hottest first: "name self/total(children) ...", for comparing two trees.
static std::string describe(const CallTree &t, const std::vector<int> &rows)
{
    std::string text;
    for (int r : rows) {
        const CallTree::Row &row = t.rows()[size_t(r)];
        text += t.callFrame(r).functionName + ' ' + std::to_string(row.selfUs) + '/' + std::to_string(row.totalUs);
        if (!row.children.empty())
            text += '(' + describe(t, row.children) + ')';
        text += ' ';
    }
    return text;
}

static int rowNamed(const CallTree &t, const std::vector<int> &rows, const std::string &name)
{
    for (int r : rows)
        if (t.callFrame(r).functionName == name)
            return r;
    return -1;
}

class TestCallTree : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topDown()
    {
        const CallTree t = CallTree::topDown(ProfileTests::sampleProfile());
        QCOMPARE(t.profileTotalUs(), std::int64_t(130));
        QCOMPARE(t.topLevel().size(), size_t(2));  // main and (idle); (root) is not a row
        const int main = t.topLevel()[0];           // hottest first
        QCOMPARE(t.callFrame(main).functionName, std::string("main"));
        QCOMPARE(t.rows()[size_t(main)].totalUs, std::int64_t(110));
        QCOMPARE(t.rows()[size_t(main)].selfUs, std::int64_t(10));
        const int b = rowNamed(t, t.rows()[size_t(main)].children, "b");
        QCOMPARE(t.rows()[size_t(b)].totalUs, std::int64_t(50));
        const int c = t.rows()[size_t(b)].children.at(0);
        QCOMPARE(t.rows()[size_t(c)].selfUs, std::int64_t(40));
        // Self times of all rows add up to the profile.
        std::int64_t self = 0;
        for (const auto &r : t.rows())
            self += r.selfUs;
        QCOMPARE(self, std::int64_t(130));
    }

    void bottomUp()
    {
        const CallTree t = CallTree::bottomUp(ProfileTests::sampleProfile());
        // One top-level row per function: crunch (self 70 via a and b), main, a, b, (idle).
        QCOMPARE(t.topLevel().size(), size_t(5));
        const int cRow = rowNamed(t, t.topLevel(), "crunch");
        QCOMPARE(t.rows()[size_t(cRow)].selfUs, std::int64_t(70));
        QCOMPARE(t.rows()[size_t(cRow)].totalUs, std::int64_t(70));
        const int mainRow = rowNamed(t, t.topLevel(), "main");
        QCOMPARE(t.rows()[size_t(mainRow)].totalUs, std::int64_t(110));
        QCOMPARE(t.rows()[size_t(mainRow)].selfUs, std::int64_t(10));
        QCOMPARE(t.topLevel()[0], mainRow);
        // crunch's callers: b (40 µs of it) before a (30 µs); each called from main.
        const auto &callers = t.rows()[size_t(cRow)].children;
        QCOMPARE(callers.size(), size_t(2));
        QCOMPARE(t.callFrame(callers[0]).functionName, std::string("b"));
        QCOMPARE(t.rows()[size_t(callers[0])].selfUs, std::int64_t(40));
        QCOMPARE(t.rows()[size_t(callers[1])].selfUs, std::int64_t(30));
        const int viaMain = t.rows()[size_t(callers[1])].children.at(0);
        QCOMPARE(t.callFrame(viaMain).functionName, std::string("main"));
        QCOMPARE(t.rows()[size_t(viaMain)].selfUs, std::int64_t(30));
        // Top-level self times add up to the profile.
        std::int64_t self = 0;
        for (int r : t.topLevel())
            self += t.rows()[size_t(r)].selfUs;
        QCOMPARE(self, std::int64_t(130));
    }

    void topDownDoesNotNeedCallersListedFirst()
    {
        // A .cpuprofile may list a callee before its caller: the rows are the same.
        auto shuffled = std::make_shared<Runtime::CpuProfile>(*ProfileTests::sampleProfile());
        std::reverse(shuffled->nodes.begin() + 1, shuffled->nodes.end());  // (root) stays first
        std::string why;
        QVERIFY2(shuffled->validate(&why), why.c_str());
        const CallTree original = CallTree::topDown(ProfileTests::sampleProfile());
        const CallTree reordered = CallTree::topDown(shuffled);
        QCOMPARE(describe(reordered, reordered.topLevel()), describe(original, original.topLevel()));
        QCOMPARE(describe(original, original.topLevel()),
                 std::string("main 10/110(a 20/50(crunch 30/30 ) b 10/50(crunch 40/40 ) ) (idle) 20/20 "));
        // Each row is a different node of the profile, and its parent row is its caller's.
        for (size_t r = 0; r < reordered.rows().size(); ++r) {
            const CallTree::Row &row = reordered.rows()[r];
            if (row.parent >= 0)
                QVERIFY(std::count(reordered.rows()[size_t(row.parent)].children.begin(),
                                   reordered.rows()[size_t(row.parent)].children.end(), int(r)) == 1);
        }
    }

    void bottomUpCountsRecursionOnce()
    {
        using namespace Loopscope::Runtime;
        auto p = std::make_shared<CpuProfile>();
        p->nodes = {{1, {"(root)", "", 0, -1, -1}, 0, {2}}, {2, {"f", "x.js", 1, 0, 0}, 1, {3}},
                    {3, {"f", "x.js", 1, 0, 0}, 5, {}}};
        p->samples = {2, 3, 3, 3, 3, 3};
        p->timeDeltas.assign(6, 10);
        p->startTime = 0;
        p->endTime = 70;
        const CallTree t = CallTree::bottomUp(p);
        QCOMPARE(t.topLevel().size(), size_t(1));
        QCOMPARE(t.rows()[size_t(t.topLevel()[0])].totalUs, std::int64_t(60));  // not 60 + 50
        QCOMPARE(t.rows()[size_t(t.topLevel()[0])].selfUs, std::int64_t(60));
    }

    void modelsAreConsistent()
    {
        for (bool topDown : {true, false}) {
            CallTreeModel model;
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.setTree(topDown ? CallTree::topDown(ProfileTests::sampleProfile())
                                  : CallTree::bottomUp(ProfileTests::sampleProfile()));
            QCOMPARE(model.rowCount(), topDown ? 2 : 5);
            const QModelIndex first = model.index(0, CallTreeModel::FunctionColumn);
            QCOMPARE(first.data().toString(), QStringLiteral("main"));
            QCOMPARE(model.index(0, CallTreeModel::TotalColumn).data(CallTreeModel::SortRole).toLongLong(), 110);
            QVERIFY(model.index(0, CallTreeModel::TotalColumn).data().toString().contains(QLatin1String("84.6 %")));
            QCOMPARE(model.index(0, CallTreeModel::SourceColumn).data().toString(), QStringLiteral("s.js:1"));
            QCOMPARE(first.data(CallTreeModel::LineRole).toInt(), 1);
            // A row with children: main's callees top-down, crunch's callers bottom-up.
            QModelIndex withChildren = first;
            for (int r = 0; r < model.rowCount(); ++r)
                if (model.index(r, 0).data().toString() == QLatin1String(topDown ? "main" : "crunch"))
                    withChildren = model.index(r, 0);
            QCOMPARE(model.rowCount(withChildren), 2);
            const QModelIndex child = model.index(1, 0, withChildren);
            QCOMPARE(model.parent(child), withChildren);
            QCOMPARE(child.data().toString(), QLatin1String(topDown ? "b" : "a"));
            model.setTree(CallTree::topDown(nullptr));
            QCOMPARE(model.rowCount(), 0);
        }
    }

    void widgetSearchAndSourceLocation()
    {
        QTemporaryDir dir;
        const QString script = Test::writeFile(dir, QStringLiteral("s.js"), "function main() {}\n");
        ProfileSession session(nullptr);
        ProfilerWidget widget(&session);
        widget.resize(1300, 600);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QVERIFY(widget.summaryText().contains(QLatin1String("no profile")));
        session.setProfile(ProfileTests::sampleProfile(QUrl::fromLocalFile(script).toString().toStdString()),
                           QStringLiteral("s.js"));
        QCOMPARE(widget.summaryText(), QStringLiteral("13 samples · 0.1 ms"));
        QCOMPARE(widget.bottomUpModel()->rowCount(), 5);
        widget.setSearchText(QStringLiteral("crunch"));
        QVERIFY2(widget.summaryText().contains(QLatin1String("matches 53.8 %")), qPrintable(widget.summaryText()));

        QSignalSpy located(&widget, &ProfilerWidget::sourceLocationActivated);
        FlameGraphWidget *flame = widget.flameGraph();
        const int rowHeight = flame->fontMetrics().height() + 4;
        // main spans 0..110 of 130 µs at depth 1.
        QTest::mouseClick(flame, Qt::LeftButton, {}, QPoint(flame->width() / 4, rowHeight + rowHeight / 2));
        QCOMPARE(located.count(), 1);
        QCOMPARE(located.first().at(0).toString(), script);
        QCOMPARE(located.first().at(1).toInt(), 1);
        // The click zoomed into main; back to everything. (idle) has no file: nothing to show.
        flame->resetZoom();
        QTest::mouseClick(flame, Qt::LeftButton, {}, QPoint(flame->width() - 5, rowHeight + rowHeight / 2));
        QCOMPARE(located.count(), 1);

        // A click on a table row shows its function too: crunch, the hottest bottom-up row
        // once the search keeps only it and its callers.
        QTreeView *table = widget.bottomUpView();
        widget.tables()->setCurrentWidget(table);
        const QModelIndex crunch = table->model()->index(0, CallTreeModel::FunctionColumn);
        QCOMPARE(crunch.data().toString(), QStringLiteral("crunch"));
        QCOMPARE(table->model()->rowCount(), 1);
        const QRect cell = table->visualRect(crunch);
        QVERIFY(!cell.isEmpty());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(located.count(), 2);
        QCOMPARE(located.last().at(0).toString(), script);
        QCOMPARE(located.last().at(1).toInt(), 15);  // 0-based 14 in the profile
        QCOMPARE(located.last().at(2).toInt(), 11);
    }

    void intervalFieldEditsTheSetting()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ProfileSession session(nullptr);
        {
            ProfilerWidget widget(&session, &settings);
            QCOMPARE(widget.intervalField()->value(), 500);  // the default
            QVERIFY(!widget.intervalField()->isHidden());
            widget.intervalField()->setValue(1000);
            QCOMPARE(settings.value(QStringLiteral("Profiler/intervalUs")).toInt(), 1000);
            widget.intervalField()->setValue(10);  // below what V8 is asked for by the command line
            QCOMPARE(settings.value(QStringLiteral("Profiler/intervalUs")).toInt(), 50);
        }
        ProfilerWidget again(&session, &settings);
        QCOMPARE(again.intervalField()->value(), 50);
        ProfilerWidget withoutSettings(&session);
        QVERIFY(withoutSettings.intervalField()->isHidden());
    }

    void sessionOpensFilesAndReportsErrors()
    {
        QTemporaryDir dir;
        const QString bad = Test::writeFile(dir, QStringLiteral("bad.cpuprofile"), "{\"nodes\": 3}");
        ProfileSession session(nullptr);
        QSignalSpy changed(&session, &ProfileSession::profileChanged);
        QString error;
        QVERIFY(!session.openFile(bad, &error));
        QVERIFY2(error.contains(QLatin1String("\"nodes\" is missing or not an array")), qPrintable(error));
        QCOMPARE(changed.count(), 0);
        QVERIFY(!session.profile());
    }
};

QTEST_MAIN(TestCallTree)
#include "tst_calltree.moc"
