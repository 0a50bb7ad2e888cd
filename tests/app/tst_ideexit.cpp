// The IDE's way out, as main() takes it: the window closes while a script still runs, runIde()
// returns (its run controller stops and joins the run), then NodeProcess::shutdown() tears V8
// and Node's platform down. Nothing may crash or hang on the way, and the exit code is 0.
//
// runIde() makes its own QApplication, so this test has no application of its own: a
// pre-routine, called when runIde() creates it, drives the window.
#include "ideapp.h"
#include "mainwindow.h"
#include "nodeprocess.h"
#include "runcontroller.h"
#include "scriptrun.h"
#include "testfiles.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Loopscope;

namespace {

struct Drive {
    bool sawOutput = false;     // the script ran in this process and wrote
    bool closedRunning = false;  // the window was closed while the run was still going
    QString failure;
} s_drive;

Ui::MainWindow *mainWindow()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *window = qobject_cast<Ui::MainWindow *>(w))
            return window;
    return nullptr;
}

// Runs the opened script, and closes the window once it has written something.
void driveIde()
{
    QTimer::singleShot(0, [] {
        Ui::MainWindow *window = mainWindow();
        auto *run = window ? window->findChild<QAction *>(QStringLiteral("Loopscope.Run")) : nullptr;
        if (!run) {
            s_drive.failure = QStringLiteral("no main window with a Run action");
            QApplication::exit(3);
            return;
        }
        Runtime::RunController *runs = window->runController();
        QObject::connect(runs, &Runtime::RunController::outputAvailable, window, [window, runs] {
            if (s_drive.sawOutput)
                return;
            s_drive.sawOutput = true;
            s_drive.closedRunning = runs->isRunning();
            QTimer::singleShot(0, window, [window] { window->close(); });
        });
        run->trigger();
    });
    // A generous bound: the test fails rather than hanging if the run never writes.
    QTimer::singleShot(120000, [] {
        s_drive.failure = QStringLiteral("the script wrote nothing in 120 s");
        QApplication::exit(4);
    });
}

class NullObserver final : public Runtime::RunObserver {
public:
    void outputWritten(Runtime::OutputStream, std::string_view) override {}
    void stdinRequested() override {}
    void runFinished(const Runtime::RunResult &) override {}
};

} // namespace

class TestIdeExit : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_home;

private slots:
    void closingWithARunThenTearingDownNodeIsClean()
    {
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toLocal8Bit());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toLocal8Bit());
        // Never ends by itself: a timer, a worker thread and a pending promise are alive at exit.
        const QString script = Test::writeFile(m_home, QStringLiteral("forever.js"),
                                               "const { Worker } = require('node:worker_threads');\n"
                                               "new Worker('setInterval(() => {}, 1000)', { eval: true });\n"
                                               "new Promise(() => {});\n"
                                               "setInterval(() => {}, 1000);\n"
                                               "console.log('running');\n");

        qAddPreRoutine(driveIde);
        int argc = 1;
        char arg0[] = "loopscope";
        char *argv[] = {arg0, nullptr};
        const int code = App::runIde(argc, argv, script.toStdString());
        QVERIFY2(s_drive.failure.isEmpty(), qPrintable(s_drive.failure));
        QCOMPARE(code, 0);
        QVERIFY2(s_drive.sawOutput, "the run wrote nothing");
        QVERIFY2(s_drive.closedRunning, "the run had ended before the window closed: nothing was left to stop");

        QVERIFY(Runtime::NodeProcess::platform());  // the IDE's run initialised Node in this process
        Runtime::NodeProcess::shutdown();
        QVERIFY(!Runtime::NodeProcess::platform());
        // V8 cannot start again: a later run fails with a reason instead of crashing.
        std::string error;
        QVERIFY(!Runtime::NodeProcess::initialize(&error));
        QVERIFY2(error.find("shut down") != std::string::npos, error.c_str());
        Runtime::RunOptions options;
        options.scriptPath = script.toStdString();
        NullObserver observer;
        Runtime::ScriptRun late(options, &observer);
        QVERIFY(late.start());
        late.wait();
        QCOMPARE(late.result().end, Runtime::RunEnd::Failed);
        QVERIFY2(late.result().error.find("shut down") != std::string::npos, late.result().error.c_str());
        Runtime::NodeProcess::shutdown();  // a second call does nothing
    }
};

QTEST_APPLESS_MAIN(TestIdeExit)

#include "tst_ideexit.moc"
