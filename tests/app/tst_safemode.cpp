// Safe mode as scripts meet it: writes inside the allowed folders work, writes elsewhere fail
// with Node's ERR_ACCESS_DENIED and leave nothing behind, child processes are refused, worker
// threads and reads work, and no permission warning reaches the script's stderr. In this test
// process (in-process runs), through the real CLI, and in a pool-size child run of the IDE (a
// lesson that asks for a pool of one). Every shipped lesson in safe mode: lessons.safemode.*.

#include "classroompolicy.h"
#include "lessoncatalog.h"
#include "nodeprocess.h"
#include "runcontroller.h"
#include "scriptrun.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope;
using namespace Loopscope::Runtime;
using Loopscope::App::Lesson;
using Loopscope::App::LessonCatalog;

namespace {
struct Captured final : RunObserver {
    std::string out, err;
    void outputWritten(OutputStream s, std::string_view bytes) override
    {
        (s == OutputStream::Stderr ? err : out).append(bytes);
    }
    void runFinished(const RunResult &) override {}
};

QString jsString(const QString &s)
{
    return "'" + QString(s).replace('\\', "\\\\").replace('\'', "\\'") + "'";
}
}

class TestSafeMode : public QObject {
    Q_OBJECT

    QTemporaryDir m_allowed;   // the only writable folder of this process's runs
    QTemporaryDir m_outside;   // readable, never writable
    QTemporaryDir m_scripts;

    QString script(const QString &name, const QString &source)
    {
        return Loopscope::Test::writeFile(m_scripts, name, source.toUtf8());
    }

    struct Run { std::string out, err; int exitCode; };
    Run runHere(const QString &path)
    {
        RunOptions options;
        options.scriptPath = path.toStdString();
        Captured captured;
        ScriptRun run(options, &captured);
        run.start();
        run.wait();
        return {captured.out, captured.err, run.result().exitCode};
    }

    QString writeScript(const QString &target)
    {
        return script("write.js",
            "const fs = require('fs'), path = require('path');\n"
            "const target = " + jsString(target) + ";\n"
            "try {\n"
            "  if (!fs.existsSync(path.dirname(target))) fs.mkdirSync(path.dirname(target), { recursive: true });\n"
            "  fs.writeFileSync(target, 'written');\n"
            "  console.log('wrote', target);\n"
            "} catch (e) { console.log(e.code, e.permission, e.resource); process.exitCode = 3; }\n");
    }

    QString policyFile(const QString &workDir)
    {
        const QString path = m_scripts.filePath("policy.conf");
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write("SafeMode=1\nWorkDir=" + workDir.toUtf8() + "\n");
        return path;
    }

    // The CLI, with the classroom policy file and TMPDIR pointing where this test says.
    Run runCli(const QString &path, const QString &workDir, const QString &tmpDir)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LOOPSCOPE_POLICY_FILE", policyFile(workDir));
        env.insert("TMPDIR", tmpDir);
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(QFileInfo(path).absolutePath());
        p.start(QStringLiteral(LOOPSCOPE_EXECUTABLE), {"run", path});
        p.closeWriteChannel();
        if (!p.waitForFinished(120000))
            return {"", "did not finish", -1};
        return {p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString(), p.exitCode()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_allowed.isValid() && m_outside.isValid() && m_scripts.isValid());
        QVERIFY(NodeProcess::setProcessOptions(App::ClassroomPolicy::safeModeNodeOptions({m_allowed.path()})));
    }

    void writesInsideTheAllowedFolder()
    {
        const QString target = m_allowed.filePath("deep/er/out.txt");
        const Run r = runHere(writeScript(target));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QString::fromStdString(r.out), "wrote " + target + "\n");
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("written"));
        // The permission model announces itself with warnings; the student's stderr stays clean.
        QCOMPARE(QString::fromStdString(r.err), QString());
        // Safe mode was set before the runtime started, and it cannot change afterwards.
        QVERIFY(!NodeProcess::setProcessOptions({}));
    }

    void deniesWritesElsewhereWithAClearError()
    {
        const QString target = m_outside.filePath("out.txt");
        const Run caught = runHere(writeScript(target));
        QCOMPARE(caught.exitCode, 3);
        QCOMPARE(QString::fromStdString(caught.out), "ERR_ACCESS_DENIED FileSystemWrite " + target + "\n");
        QVERIFY(!QFile::exists(target));

        // Uncaught, as a student would meet it: node's own report on stderr, exit code 1.
        const Run uncaught = runHere(script("uncaught.js", "require('fs').writeFileSync(" + jsString(target) + ", 'x');\n"));
        QCOMPARE(uncaught.exitCode, 1);
        const QString err = QString::fromStdString(uncaught.err);
        QVERIFY2(err.contains("Access to this API has been restricted") && err.contains("ERR_ACCESS_DENIED")
                 && err.contains("FileSystemWrite") && err.contains(target), qPrintable(err));
        QVERIFY(!QFile::exists(target));
    }

    void readsAnywhere()
    {
        QFile f(m_outside.filePath("data.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("forty-two");
        f.close();
        const Run r = runHere(script("read.js", "console.log(require('fs').readFileSync(" + jsString(f.fileName()) + ", 'utf8'));\n"));
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, std::string("forty-two\n"));
    }

    void noChildProcessesButWorkers()
    {
        const Run child = runHere(script("child.js",
            "try { require('child_process').execFileSync('/bin/true'); console.log('spawned'); }\n"
            "catch (e) { console.log(e.code, e.permission); }\n"));
        QCOMPARE(child.out, std::string("ERR_ACCESS_DENIED ChildProcess\n"));

        const Run worker = runHere(script("worker.js",
            "const { Worker } = require('worker_threads');\n"
            "new Worker('require(\"worker_threads\").parentPort.postMessage(6 * 7)', { eval: true })\n"
            "  .on('message', (m) => console.log('worker says', m));\n"));
        QCOMPARE(worker.exitCode, 0);
        QCOMPARE(worker.out, std::string("worker says 42\n"));
        QCOMPARE(worker.err, std::string());
    }

    void theCliHonoursThePolicy()
    {
        QTemporaryDir work, tmp;
        QVERIFY(work.isValid() && tmp.isValid());
        const QString inside = work.filePath("cli.txt"), inTmp = tmp.filePath("cli.txt");
        const QString outside = m_outside.filePath("cli.txt");
        QCOMPARE(runCli(writeScript(inside), work.path(), tmp.path()).exitCode, 0);
        QVERIFY(QFile::exists(inside));
        QCOMPARE(runCli(writeScript(inTmp), work.path(), tmp.path()).exitCode, 0);  // the temp folder
        QVERIFY(QFile::exists(inTmp));
        const Run denied = runCli(writeScript(outside), work.path(), tmp.path());
        QCOMPARE(denied.exitCode, 3);
        QCOMPARE(QString::fromStdString(denied.out), "ERR_ACCESS_DENIED FileSystemWrite " + outside + "\n");
        QVERIFY(!QFile::exists(outside));
        // Without the policy the same script may write there (the restriction is safe mode's).
        QProcess plain;
        plain.start(QStringLiteral(LOOPSCOPE_EXECUTABLE), {"run", writeScript(outside)});
        QVERIFY(plain.waitForFinished(120000));
        QCOMPARE(plain.exitCode(), 0);
        QVERIFY(QFile::remove(outside));
    }

    void aPoolSizeChildRunIsInSafeModeToo()
    {
        // The IDE's child process reads the same policy as the IDE (here: the variable).
        const QString outside = m_outside.filePath("child.txt");
        Run r{};
        runInSafeModeChild(writeScript(outside), 2, &r);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(QString::fromStdString(r.out), "ERR_ACCESS_DENIED FileSystemWrite " + outside + "\n");
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!QFile::exists(outside));
    }

    void aLessonWithAPoolSizeRunsInASafeModeChild()
    {
        // Lesson 16 needs a pool of one (lesson.json "threadPoolSize": 1). In the IDE that is a
        // child run; under safe mode the child gets the same permissions, and the lesson (which
        // no longer forks) prints exactly its expected output there.
        QString error;
        const std::optional<Lesson> lesson
            = LessonCatalog::loadLesson(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR "/16-readfile-steps"), &error);
        QVERIFY2(lesson, qPrintable(error));
        QCOMPARE(lesson->threadPoolSize, 1);
        Run r{};
        runInSafeModeChild(lesson->scriptPath(), lesson->threadPoolSize, &r);
        if (QTest::currentTestFailed())
            return;
        QFile expected(lesson->expectedPath());
        QVERIFY(expected.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromStdString(r.out), QString::fromUtf8(expected.readAll()));
        QCOMPARE(r.exitCode, 0);
    }

private:
    // Runs `path` as the IDE does for another pool size (a child loopscope), under the policy.
    void runInSafeModeChild(const QString &path, int poolSize, Run *result)
    {
        QTemporaryDir work, tmp;
        QVERIFY(work.isValid() && tmp.isValid());
        qputenv("LOOPSCOPE_POLICY_FILE", policyFile(work.path()).toUtf8());
        qputenv("TMPDIR", tmp.path().toUtf8());
        RunController controller;
        controller.setChildExecutable(QStringLiteral(LOOPSCOPE_EXECUTABLE));
        controller.setThreadPoolSize(poolSize);
        QSignalSpy output(&controller, &RunController::outputAvailable);
        QSignalSpy finished(&controller, &RunController::runFinished);
        const bool started = controller.run(path);
        const bool child = controller.isChildRun();
        const bool ended = started && finished.wait(120000);
        qunsetenv("LOOPSCOPE_POLICY_FILE");
        qunsetenv("TMPDIR");
        QVERIFY(started && child);
        QVERIFY(ended);
        for (const QList<QVariant> &args : output)
            for (const OutputChunk &c : args.at(0).value<QList<OutputChunk>>())
                result->out += c.bytes.toStdString();
        result->exitCode = finished.at(0).at(0).value<RunResult>().exitCode;
    }
};

QTEST_GUILESS_MAIN(TestSafeMode)
#include "tst_safemode.moc"
