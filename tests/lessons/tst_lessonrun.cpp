// Every shipped lesson runs headless with the output its folder promises: `loopscope run
// script.js` from the lesson's folder, stdout compared with expected.txt byte for byte or with
// expected-pattern.txt line by line, and the exit code with lesson.json's (0 unless it says).
#include "lessoncatalog.h"

#include <QDir>
#include <QFile>
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

        QProcess process;
        process.setWorkingDirectory(lesson->folder);
        process.setProgram(QStringLiteral(LOOPSCOPE_EXECUTABLE));
        process.setArguments({QStringLiteral("run"), QStringLiteral("script.js")});
        process.start();
        QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
        process.closeWriteChannel();
        QVERIFY2(process.waitForFinished(100'000), "the lesson did not finish within 100 s");
        const QByteArray out = process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        const QByteArray context = "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;

        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == lesson->exitCode,
                 qPrintable(QStringLiteral("exit code %1, lesson.json expects %2")
                                .arg(process.exitCode())
                                .arg(lesson->exitCode) + QString::fromUtf8(context)));

        const QByteArray expected = readAll(lesson->expectedPath());
        if (lesson->expect == Lesson::Expect::Exact) {
            QVERIFY2(out == expected,
                     qPrintable(QString::fromUtf8("stdout differs from expected.txt\n--- expected ---\n"
                                                  + expected + context)));
            return;
        }
        const QList<QByteArray> patterns = lines(expected);
        const QList<QByteArray> got = lines(out);
        QVERIFY2(got.size() == patterns.size(),
                 qPrintable(QStringLiteral("%1 lines of output, expected-pattern.txt has %2")
                                .arg(got.size())
                                .arg(patterns.size()) + QString::fromUtf8(context)));
        for (qsizetype i = 0; i < patterns.size(); ++i) {
            const QRegularExpression re(
                QRegularExpression::anchoredPattern(QString::fromUtf8(patterns[i])));
            QVERIFY2(re.isValid(), qPrintable(re.errorString()));
            QVERIFY2(re.match(QString::fromUtf8(got[i])).hasMatch(),
                     qPrintable(QStringLiteral("line %1 \"%2\" does not match /%3/")
                                    .arg(i + 1)
                                    .arg(QString::fromUtf8(got[i]), QString::fromUtf8(patterns[i]))
                                + QString::fromUtf8(context)));
        }
    }
};

QTEST_GUILESS_MAIN(TestLessonRun)
#include "tst_lessonrun.moc"
