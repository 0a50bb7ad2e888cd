// The flame graph's geometry: widths proportional to totals, children packed under their
// parent hottest first, hit testing, search, zoom and pan math; and the widget's input.

#include "flamegraphlayout.h"
#include "flamegraphwidget.h"
#include "sampleprofile.h"

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using namespace Loopscope;
using namespace Loopscope::Profiler;

static int frameNamed(const FlameGraphLayout &l, const std::string &name, int nth = 0)
{
    for (int f = 0; f < int(l.frames().size()); ++f)
        if (l.callFrame(f).functionName == name && nth-- == 0)
            return f;
    return -1;
}

class TestFlameGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void widthsAreProportionalToTotals()
    {
        const FlameGraphLayout l(ProfileTests::sampleProfile());
        QCOMPARE(l.totalUs(), 130.0);
        QCOMPARE(l.frames().size(), size_t(7));
        QCOMPARE(l.maxDepth(), 3);
        const auto &fr = l.frames();
        const int main = frameNamed(l, "main"), idle = frameNamed(l, "(idle)");
        const int a = frameNamed(l, "a"), b = frameNamed(l, "b");
        const int ca = frameNamed(l, "crunch", 0), cb = frameNamed(l, "crunch", 1);
        QCOMPARE(fr[size_t(main)].width, 110.0);
        QCOMPARE(fr[size_t(idle)].width, 20.0);
        QCOMPARE(fr[size_t(a)].width, 50.0);
        QCOMPARE(fr[size_t(b)].width, 50.0);
        QCOMPARE(fr[size_t(ca)].width, 30.0);
        QCOMPARE(fr[size_t(cb)].width, 40.0);
        QCOMPARE(fr[size_t(main)].selfUs, std::int64_t(10));
        // Hottest first, from the parent's left edge; ties by name (a before b).
        QCOMPARE(fr[size_t(main)].start, 0.0);
        QCOMPARE(fr[size_t(idle)].start, 110.0);
        QCOMPARE(fr[size_t(a)].start, 0.0);
        QCOMPARE(fr[size_t(b)].start, 50.0);
        QCOMPARE(fr[size_t(cb)].start, 50.0);
        QCOMPARE(fr[size_t(cb)].depth, 3);
        // Every frame: children fit inside it and add up to total minus self.
        for (int f = 0; f < int(fr.size()); ++f) {
            double sum = 0;
            for (int g = 0; g < int(fr.size()); ++g)
                if (fr[size_t(g)].parent == f) {
                    sum += fr[size_t(g)].width;
                    QVERIFY(fr[size_t(g)].start >= fr[size_t(f)].start);
                    QVERIFY(fr[size_t(g)].start + fr[size_t(g)].width <= fr[size_t(f)].start + fr[size_t(f)].width);
                }
            QCOMPARE(sum + double(fr[size_t(f)].selfUs), fr[size_t(f)].width);
        }
        // Pixels: in a 1300 px view of everything, 10 px per µs.
        QCOMPARE(FlameGraphLayout::toPixels(fr[size_t(cb)].start, {0, 130}, 1300), 500.0);
    }

    void hitTesting()
    {
        const FlameGraphLayout l(ProfileTests::sampleProfile());
        QCOMPARE(l.frameAt(55, 3), frameNamed(l, "crunch", 1));
        QCOMPARE(l.frameAt(45, 3), -1);  // a's own time: nothing below it there
        QCOMPARE(l.frameAt(45, 2), frameNamed(l, "a"));
        QCOMPARE(l.frameAt(120, 1), frameNamed(l, "(idle)"));
        QCOMPARE(l.frameAt(120, 2), -1);
        QCOMPARE(l.frameAt(0, 0), 0);
        QCOMPARE(l.frameAt(130, 0), -1);
        QCOMPARE(l.frameAt(-1, 0), -1);
        QCOMPARE(l.frameAt(10, 9), -1);
    }

    void search()
    {
        const FlameGraphLayout l(ProfileTests::sampleProfile());
        QCOMPARE(l.search("CRUNCH").size(), size_t(2));
        QCOMPARE(l.search("s.js").size(), size_t(5));  // by file: every frame of the script
        QVERIFY(l.search("").empty());
        QVERIFY(l.search("nothing").empty());
    }

    void zoomMath()
    {
        const FlameGraphLayout l(ProfileTests::sampleProfile());
        FlameRange r = l.zoomed({0, 130}, 0.5, 2);
        QCOMPARE(r.start, 32.5);
        QCOMPARE(r.end, 97.5);
        // The point under the mouse stays put: at anchor 0.25 of [32.5, 97.5] is 48.75.
        const FlameRange r2 = l.zoomed(r, 0.25, 4);
        QCOMPARE(r2.start + 0.25 * r2.width(), 48.75);
        QCOMPARE(r2.width(), 65.0 / 4);
        r = l.zoomed({0, 130}, 0, 2);
        QCOMPARE(r.start, 0.0);
        QCOMPARE(r.end, 65.0);
        // Zooming out never goes past the whole graph; zooming in stops at the minimum width.
        r = l.zoomed({10, 20}, 0.9, 0.01);
        QCOMPARE(r.start, 0.0);
        QCOMPARE(r.end, 130.0);
        r = l.zoomed({10, 20}, 0.5, 1e9, 2.0);
        QCOMPARE(r.width(), 2.0);
        QCOMPARE(r.start, 14.0);
        // Panning is clamped at both ends.
        r = l.panned({100, 130}, 50);
        QCOMPARE(r.start, 100.0);
        r = l.panned({10, 40}, -50);
        QCOMPARE(r.start, 0.0);
        QCOMPARE(r.end, 30.0);
        // Zooming into a frame shows exactly its extent.
        r = l.rangeOf(frameNamed(l, "crunch", 1));
        QCOMPARE(r.start, 50.0);
        QCOMPARE(r.end, 90.0);
    }

    void emptyProfile()
    {
        const FlameGraphLayout l(nullptr);
        QCOMPARE(l.totalUs(), 0.0);
        QCOMPARE(l.frameAt(0, 0), -1);
        FlameGraphWidget w;
        w.setLayout(l);
        w.resize(300, 100);
        QCOMPARE(w.frameAtPixel({10, 10}), -1);
        w.grab();  // paints the placeholder without crashing
    }

    void widgetClickZoomsIntoTheFrame()
    {
        FlameGraphWidget w;
        w.setLayout(FlameGraphLayout(ProfileTests::sampleProfile()));
        w.resize(1300, 200);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const int rowHeight = w.fontMetrics().height() + 4;
        QSignalSpy activated(&w, &FlameGraphWidget::frameActivated);
        // b is at 50..100 µs, depth 2: pixels 500..1000 at 10 px/µs.
        QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(700, 2 * rowHeight + rowHeight / 2));
        QCOMPARE(activated.count(), 1);
        const int b = frameNamed(w.flameLayout(), "b");
        QCOMPARE(activated.first().first().toInt(), b);
        QCOMPARE(w.visibleRange().start, 50.0);
        QCOMPARE(w.visibleRange().end, 100.0);
        // Now b spans the view: its child c (50..90 µs) covers the first 80 % of it.
        QCOMPARE(w.frameAtPixel({10, 3 * rowHeight + 2}), frameNamed(w.flameLayout(), "crunch", 1));
        QCOMPARE(w.frameAtPixel({1100, 3 * rowHeight + 2}), -1);
        QTest::keyClick(&w, Qt::Key_Escape);
        QCOMPARE(w.visibleRange().width(), 130.0);
    }

    void widgetWheelZoomsAroundTheMouse()
    {
        FlameGraphWidget w;
        w.setLayout(FlameGraphLayout(ProfileTests::sampleProfile()));
        w.resize(1300, 200);
        const QPointF at(325, 10);  // a quarter of the way: 32.5 µs
        QWheelEvent wheel(at, w.mapToGlobal(at), {}, QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&w, &wheel);
        const FlameRange r = w.visibleRange();
        QVERIFY(r.width() < 130.0);
        QCOMPARE(qRound(r.width() * 1000), qRound(130.0 / 1.5625 * 1000));  // two steps of 1.25
        QVERIFY(qAbs(r.start + 0.25 * r.width() - 32.5) < 1e-9);
    }
};

QTEST_MAIN(TestFlameGraph)
#include "tst_flamegraph.moc"
