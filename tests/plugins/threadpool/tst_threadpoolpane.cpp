// The thread-pool pane on the thread-pool lesson: six pbkdf2 hashes on a pool of four. In the
// middle of the first wave the model has 4 busy lanes and 2 queued; later the last 2 run alone.
// The model is checked without pixels; the picture is saved (light and dark, 150 % zoom) under
// build/tests/ui/screenshots and checked for being drawn at all.
#include "constants.h"
#include "paneregistry.h"
#include "scriptrun.h"
#include "theme.h"
#include "threadpoolmodel.h"
#include "threadpoolplugin.h"
#include "threadpoolview.h"
#include "threadpoolwidget.h"
#include "trace.h"
#include "tracecursor.h"
#include "traceindex.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <set>

using namespace Loopscope;

namespace {

struct Silent final : Runtime::RunObserver {
    std::string out;
    void outputWritten(Runtime::OutputStream, std::string_view bytes) override { out.append(bytes); }
    void runFinished(const Runtime::RunResult &) override {}
};

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y) & 0xf0f0f0);
    return int(colours.size());
}

} // namespace

class TestThreadPoolPane : public QObject {
    Q_OBJECT

    std::shared_ptr<Runtime::Trace> m_trace;
    std::string m_output;

private Q_SLOTS:
    void initTestCase()
    {
        // libuv reads it once, when the pool starts: before any run in this process.
        qputenv("UV_THREADPOOL_SIZE", "4");
        QApplication::setStyle(QStringLiteral("Fusion"));
        // The lesson hashes in-process on the pool it is given (lesson.json asks for 4): run it,
        // traced, here.
        const QFileInfo script(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR "/15-thread-pool/script.js"));
        QVERIFY(script.exists());
        Runtime::RunOptions options;
        options.scriptPath = script.canonicalFilePath().toStdString();
        options.trace = m_trace = std::make_shared<Runtime::Trace>();
        Silent observer;
        Runtime::ScriptRun run(options, &observer);
        run.start();
        run.wait();
        m_output = observer.out;
        QVERIFY2(m_output.find("thread pool: 4 workers") != std::string::npos, m_output.c_str());
    }

    void lanesAndQueueAtTheCursor();
    void labelsNameTheKind();
    void paneIsRegisteredAndDrawn();
};

void TestThreadPoolPane::lanesAndQueueAtTheCursor()
{
    Ui::TraceCursor cursor;
    cursor.setTrace(m_trace, false);
    ThreadPool::ThreadPoolWidget widget(&cursor);
    const ThreadPool::ThreadPoolModel &model = widget.model();
    const auto &tasks = cursor.index()->poolTasks();
    std::vector<const Runtime::IndexedPoolTask *> hashes;
    for (std::size_t i = 0; i < tasks.size(); ++i)
        if (model.taskLabel(int(i)) == QLatin1String("pbkdf2"))
            hashes.push_back(&tasks[i]);
    QCOMPARE(hashes.size(), std::size_t(6));
    QCOMPARE(model.poolSize(), 4);
    std::sort(hashes.begin(), hashes.end(), [](auto *a, auto *b) { return a->startNs < b->startNs; });
    std::uint64_t firstFinish = UINT64_MAX;
    for (int i = 0; i < 4; ++i)
        firstFinish = std::min(firstFinish, hashes[i]->finishNs);
    QVERIFY(hashes[3]->startNs < firstFinish);

    // In the middle of the first wave: four lanes busy, two hashes waiting, first in first out.
    cursor.moveTo(hashes[3]->startNs + (firstFinish - hashes[3]->startNs) / 2);
    QCOMPARE(model.time(), cursor.time());
    QCOMPARE(model.laneCount(), 4);
    QCOMPARE(model.busyLanes(), 4);
    QCOMPARE(model.queuedTasks().size(), std::size_t(2));
    for (int t : model.queuedTasks())
        QCOMPARE(model.taskLabel(t), QStringLiteral("pbkdf2"));
    QVERIFY(tasks[std::size_t(model.queuedTasks()[0])].submitNs <= tasks[std::size_t(model.queuedTasks()[1])].submitNs);
    QVERIFY2(widget.summaryText().contains(QStringLiteral("4 busy · 2 queued")), qPrintable(widget.summaryText()));
    std::set<int> lanes(model.laneTasks().begin(), model.laneTasks().end());
    QCOMPARE(lanes.size(), std::size_t(4));  // four different tasks on four lanes

    // Later: once the last hash has started, nothing waits, and the lanes hold exactly the tasks
    // running then. (Which hashes those are is the OS's business: on a 2-core machine a hash of
    // the second wave may finish before the slowest of the first, so no wave order is assumed.)
    const std::uint64_t afterLastStart = hashes[5]->startNs + 1;
    cursor.moveTo(afterLastStart);
    int running = 0, done = 0;
    for (const Runtime::IndexedPoolTask &t : tasks) {
        running += t.startNs <= afterLastStart && (t.finishNs == 0 || afterLastStart < t.finishNs);
        done += t.finishNs != 0 && t.finishNs <= afterLastStart;
    }
    QVERIFY(running >= 1 && running <= 4);
    QCOMPARE(model.busyLanes(), running);
    QCOMPARE(model.queuedTasks().size(), std::size_t(0));
    QCOMPARE(model.completedTasks() + int(model.finishedTasks().size()), done);

    // At the end every task has completed on the loop; at the start nothing was submitted.
    cursor.moveToEnd();
    QCOMPARE(model.busyLanes(), 0);
    QCOMPARE(model.completedTasks(), model.taskCount());
    cursor.moveToStart();
    QCOMPARE(model.busyLanes(), 0);
    QCOMPARE(model.queuedTasks().size(), std::size_t(0));
    QCOMPARE(model.completedTasks(), 0);
}

void TestThreadPoolPane::labelsNameTheKind()
{
    using M = ThreadPool::ThreadPoolModel;
    QCOMPARE(M::kindLabel(QStringLiteral("fs.open"), {}), QStringLiteral("fs.open"));
    QCOMPARE(M::kindLabel(QStringLiteral("dns"), QStringLiteral("GETADDRINFOREQWRAP")), QStringLiteral("dns.lookup"));
    QCOMPARE(M::kindLabel(QStringLiteral("work"), QStringLiteral("PBKDF2REQUEST")), QStringLiteral("pbkdf2"));
    QCOMPARE(M::kindLabel(QStringLiteral("work"), QStringLiteral("ZLIB")), QStringLiteral("zlib"));
    QCOMPARE(M::kindLabel(QStringLiteral("work"), QStringLiteral("FOOREQUEST")), QStringLiteral("foo"));
    QCOMPARE(M::kindLabel(QStringLiteral("work"), {}), QStringLiteral("work"));
    // Kinds get distinct colours.
    QVERIFY(ThreadPool::ThreadPoolView::kindColour(QStringLiteral("fs.read"))
            != ThreadPool::ThreadPoolView::kindColour(QStringLiteral("pbkdf2")));
}

void TestThreadPoolPane::paneIsRegisteredAndDrawn()
{
    Ui::PaneRegistry registry;
    ThreadPool::registerThreadPoolPlugin(registry);
    QCOMPARE(registry.factories().size(), 1);
    Ui::TraceCursor cursor;
    Ui::PaneContext context;
    context.traceCursor = &cursor;
    std::unique_ptr<Ui::Pane> pane = registry.factories().first()(context);
    QCOMPARE(pane->id(), QLatin1String(ThreadPool::Constants::PaneId));

    cursor.setTrace(m_trace, false);
    const auto &tasks = cursor.index()->poolTasks();
    std::vector<std::uint64_t> starts;
    std::uint64_t firstFinish = UINT64_MAX;
    for (const auto &t : tasks) {
        starts.push_back(t.startNs);
        firstFinish = std::min(firstFinish, t.finishNs);
    }
    std::sort(starts.begin(), starts.end());
    QVERIFY(starts.size() >= 4);
    cursor.moveTo(starts[3] + (firstFinish - starts[3]) / 2);

    QDir().mkpath(QStringLiteral(LOOPSCOPE_SCREENSHOT_DIR));
    for (const Ui::ThemeMode mode : {Ui::ThemeMode::Light, Ui::ThemeMode::Dark}) {
        Ui::applyTheme(mode);
        std::unique_ptr<QWidget> widget(pane->createWidget(nullptr));
        QFont font = widget->font();
        font.setPointSizeF(font.pointSizeF() * 1.5);  // a projector's 150 %
        widget->setFont(font);
        widget->resize(900, widget->sizeHint().height() + 40);
        auto *pool = qobject_cast<ThreadPool::ThreadPoolWidget *>(widget.get());
        QVERIFY(pool);
        QCOMPARE(pool->model().busyLanes(), 4);
        QVERIFY(!pool->view()->accessibleName().isEmpty());
        QVERIFY(pool->view()->accessibleDescription().contains(QStringLiteral("2 queued")));
        const QImage image = widget->grab().toImage();
        const QString name = mode == Ui::ThemeMode::Light ? QStringLiteral("threadpool-4-busy-2-queued-light.png")
                                                           : QStringLiteral("threadpool-4-busy-2-queued-dark.png");
        QVERIFY(image.save(QStringLiteral(LOOPSCOPE_SCREENSHOT_DIR "/") + name));
        QVERIFY2(distinctColours(image) >= 6, "the lanes are drawn in colour, not blank");
        // The palette's background: light or dark as asked.
        const QColor corner = image.pixelColor(image.width() - 3, image.height() - 3);
        QCOMPARE(corner.lightness() > 128, mode == Ui::ThemeMode::Light);
    }
}

QTEST_MAIN(TestThreadPoolPane)
#include "tst_threadpoolpane.moc"
