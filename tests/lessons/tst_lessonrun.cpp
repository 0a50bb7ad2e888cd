// Every shipped lesson runs headless with the output its folder promises: `loopscope run
// script.js` from the lesson's folder, stdout compared with expected.txt byte for byte or with
// expected-pattern.txt line by line, and the exit code with lesson.json's (0 unless it says).
// For exact lessons, the same script under Debian's plain `node` must give the same result, so
// that the expected output is what Node.js really does and not a quirk of the embedded runtime.
// A lesson with a "threadPoolSize" gets it from `loopscope run` itself (UV_THREADPOOL_SIZE is
// removed from its environment); plain node is given it in UV_THREADPOOL_SIZE.
#include "lessoncatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace Loopscope::App;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> result = text.split('\n');
    if (!result.isEmpty() && result.last().isEmpty())
        result.removeLast();  // the final newline ends the last line, it does not start another
    return result;
}

} // namespace

class TestLessonRun : public QObject {
    Q_OBJECT
private slots:
    void runsHeadless_data()
    {
        QTest::addColumn<QString>("folder");
        // Every folder, valid or not: a malformed lesson must fail here, not vanish.
        const QDir dir(QStringLiteral(LOOPSCOPE_LESSONS_SOURCE_DIR));
        for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            QTest::newRow(qPrintable(name)) << dir.filePath(name);
    }

    void runsHeadless()
    {
        QFETCH(QString, folder);
        QString error;
        const std::optional<Lesson> lesson = LessonCatalog::loadLesson(folder, &error);
        QVERIFY2(lesson, qPrintable(error));

        checkRun(*lesson, QStringLiteral(LOOPSCOPE_EXECUTABLE), {QStringLiteral("run")});
        // Plain node confirms the exact outputs. Pattern lessons are timing-dependent by nature,
        // and the slowest ones (20 forked runs, three pool sizes); running them twice would double
        // the suite's longest tests for little gain.
        if (QTest::currentTestFailed() || lesson->expect != Lesson::Expect::Exact)
            return;
        if (qEnvironmentVariableIsSet("LOOPSCOPE_LESSONRUN_LOOPSCOPE_ONLY"))
            return;  // a second pass (safe mode): node was compared in the first
        // Debian's node has no type stripper: a TypeScript lesson is checked against its
        // expected output only (tst_typescript compares stripped runs with node itself).
        if (lesson->scriptName.endsWith(QLatin1String(".ts")))
            return;
        checkRun(*lesson, QStringLiteral(LOOPSCOPE_NODE_EXECUTABLE), {});
    }

private:
    static void checkRun(const Lesson &lesson, const QString &program, QStringList arguments)
    {
        const QString who = QFileInfo(program).fileName();
        arguments << lesson.scriptName;
        QProcess process;
        process.setWorkingDirectory(lesson.folder);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("UV_THREADPOOL_SIZE"));
        if (lesson.threadPoolSize > 0 && program == QLatin1String(LOOPSCOPE_NODE_EXECUTABLE))
            environment.insert(QStringLiteral("UV_THREADPOOL_SIZE"), QString::number(lesson.threadPoolSize));
        process.setProcessEnvironment(environment);
        process.setProgram(program);
        process.setArguments(arguments);
        process.start();
        QVERIFY2(process.waitForStarted(), qPrintable(who + ": " + process.errorString()));
        process.closeWriteChannel();
        QVERIFY2(process.waitForFinished(100'000), qPrintable(who + ": did not finish within 100 s"));
        const QByteArray out = process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        const QString context = QString::fromUtf8("\n--- stdout ---\n" + out + "--- stderr ---\n" + err);

        QVERIFY2(process.exitStatus() == QProcess::NormalExit, qPrintable(who + ": crashed" + context));
        QVERIFY2(process.exitCode() == lesson.exitCode,
                 qPrintable(QStringLiteral("%1: exit code %2, lesson.json expects %3")
                                .arg(who)
                                .arg(process.exitCode())
                                .arg(lesson.exitCode) + context));

        const QByteArray expected = readAll(lesson.expectedPath());
        if (lesson.expect == Lesson::Expect::Exact) {
            QVERIFY2(out == expected,
                     qPrintable(who + ": stdout differs from expected.txt\n--- expected ---\n"
                                + QString::fromUtf8(expected) + context));
            return;
        }
        const QList<QByteArray> patterns = lines(expected);
        const QList<QByteArray> got = lines(out);
        QVERIFY2(got.size() == patterns.size(),
                 qPrintable(QStringLiteral("%1: %2 lines of output, expected-pattern.txt has %3")
                                .arg(who)
                                .arg(got.size())
                                .arg(patterns.size()) + context));
        for (qsizetype i = 0; i < patterns.size(); ++i) {
            const QRegularExpression re(
                QRegularExpression::anchoredPattern(QString::fromUtf8(patterns[i])));
            QVERIFY2(re.isValid(), qPrintable(re.errorString()));
            QVERIFY2(re.match(QString::fromUtf8(got[i])).hasMatch(),
                     qPrintable(QStringLiteral("%1: line %2 \"%3\" does not match /%4/")
                                    .arg(who)
                                    .arg(i + 1)
                                    .arg(QString::fromUtf8(got[i]), QString::fromUtf8(patterns[i]))
                                + context));
        }
    }
};

QTEST_GUILESS_MAIN(TestLessonRun)
#include "tst_lessonrun.moc"
