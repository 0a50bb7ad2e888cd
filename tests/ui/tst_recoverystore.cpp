// Unsaved text kept on disk between sessions.
#include "recoverystore.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope::Ui;

class TestRecoveryStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void saveLoadClear()
    {
        QTemporaryDir dir;
        RecoveryStore store(dir.filePath(QStringLiteral("sub/recovery.json")));
        QVERIFY(!store.load());
        QVERIFY(store.save({QStringLiteral("/x/a.js"), QStringLiteral("console.log('ü')\n")}));
        const auto s = RecoveryStore(store.path()).load();
        QVERIFY(s);
        QCOMPARE(s->filePath, QStringLiteral("/x/a.js"));
        QCOMPARE(s->text, QStringLiteral("console.log('ü')\n"));
        store.clear();
        QVERIFY(!store.load());
    }
    void garbageIsNotASnapshot()
    {
        QTemporaryDir dir;
        QVERIFY(!RecoveryStore(Loopscope::Test::writeFile(dir, QStringLiteral("r.json"), "not json")).load());
    }
};

QTEST_GUILESS_MAIN(TestRecoveryStore)
#include "tst_recoverystore.moc"
