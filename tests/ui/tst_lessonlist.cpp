// Lesson scripts open read-only: what counts as inside the lessons folder.
#include "lessonlist.h"

#include <QTest>

using namespace Loopscope::Ui;

class TestLessonList : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void insideMeansBelow()
    {
        const QString dir = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR);
        QVERIFY(isInside(dir + QStringLiteral("/01-main-module/script.js"), dir));
        QVERIFY(!isInside(dir, dir));
        QVERIFY(!isInside(QStringLiteral(__FILE__), dir));
    }
};

QTEST_GUILESS_MAIN(TestLessonList)
#include "tst_lessonlist.moc"
