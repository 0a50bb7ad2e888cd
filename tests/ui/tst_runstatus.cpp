// The status bar's words for each run state.
#include "runstatus.h"
#include "trace.h"

#include <QTest>

using namespace Loopscope;

class TestRunStatus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void states()
    {
        QCOMPARE(Ui::runStateText(false, 0, std::nullopt), QStringLiteral("Idle"));
        QCOMPARE(Ui::runStateText(true, 3400, std::nullopt), QStringLiteral("Running for 3 s"));
        Runtime::RunResult r;
        r.end = Runtime::RunEnd::Exited;
        r.exitCode = 7;
        QCOMPARE(Ui::runStateText(false, 0, r), QStringLiteral("Exited with code 7"));
        QCOMPARE(Ui::runStateText(true, 0, r), QStringLiteral("Running for 0 s"));
        r.end = Runtime::RunEnd::Stopped;
        QCOMPARE(Ui::runStateText(false, 0, r), QStringLiteral("Stopped"));
        r.end = Runtime::RunEnd::Failed;
        r.error = "cannot start";
        QCOMPARE(Ui::runStateText(false, 0, r), QStringLiteral("Crashed: cannot start"));
        r.end = Runtime::RunEnd::OutOfMemory;
        r.error = "out of memory";
        QCOMPARE(Ui::runStateText(false, 0, r), QStringLiteral("Crashed: out of memory"));
    }
    void pauses()
    {
        Runtime::PausePoint p;
        p.queue = Runtime::CallbackQueue::Main;
        p.line = 1;
        QCOMPARE(Ui::pausedText(p), QStringLiteral("Paused before the main module"));
        p.queue = Runtime::CallbackQueue::Timers;
        p.resourceType = "Timeout";
        p.line = 3;
        QCOMPARE(Ui::pausedText(p), QStringLiteral("Paused before timers callback Timeout at line 3"));
        p.queue = Runtime::CallbackQueue::Microtask;
        p.resourceType = "PROMISE";
        p.line = 0;  // created by node's internals: no line of the script
        p.playing = true;
        QCOMPARE(Ui::pausedText(p), QStringLiteral("Playing: before microtask callback PROMISE"));
    }
    void durations()
    {
        QCOMPARE(Ui::durationText(12.4), QStringLiteral("12 ms"));
        QCOMPARE(Ui::durationText(1250), QStringLiteral("1.25 s"));
        QCOMPARE(Ui::durationText(125000), QStringLiteral("2 min 5 s"));
    }
};

QTEST_GUILESS_MAIN(TestRunStatus)
#include "tst_runstatus.moc"
