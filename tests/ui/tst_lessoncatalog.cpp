// The lessons shipped in resources/lessons, as the File ▸ Lessons menu lists them.
#include "lessoncatalog.h"

#include <QTest>

using namespace Loopscope::Ui;

class TestLessonCatalog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsTheShippedLessons()
    {
        const QList<Lesson> lessons = listLessons(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR));
        QCOMPARE(lessons.size(), 12);
        QCOMPARE(lessons.first().id, QStringLiteral("01-main-module"));
        QCOMPARE(lessons.first().title, QStringLiteral("The main module, nextTick, promises, timers and immediates"));
        QVERIFY(lessons.first().scriptPath.endsWith(QStringLiteral("/01-main-module/script.js")));
        QCOMPARE(lessons.last().id, QStringLiteral("12-blocking-the-loop"));
        for (const Lesson &l : lessons)
            QVERIFY2(!l.title.startsWith(QLatin1String("//")) && !l.title.isEmpty(), qPrintable(l.id));
    }
    void noFolderNoLessons()
    {
        QVERIFY(listLessons({}).isEmpty());
        QVERIFY(listLessons(QStringLiteral("/no/such/folder")).isEmpty());
    }
    void insideMeansBelow()
    {
        const QString dir = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR);
        QVERIFY(isInside(dir + QStringLiteral("/01-main-module/script.js"), dir));
        QVERIFY(!isInside(dir, dir));
        QVERIFY(!isInside(QStringLiteral(__FILE__), dir));
    }
};

QTEST_GUILESS_MAIN(TestLessonCatalog)
#include "tst_lessoncatalog.moc"
