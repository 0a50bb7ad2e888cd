// Source locations in node's report of an uncaught error, as the console links them.
#include "stackframe.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Loopscope::Console;

class TestStackFrame : public QObject {
    Q_OBJECT
    static bool all(const QString &) { return true; }

private Q_SLOTS:
    void framesAndHeader()
    {
        // Lines as node 20 prints them for `throw new Error('boom')` on line 3.
        auto loc = parseSourceLocation(QStringLiteral("/tmp/x/boom.js:3"), all);
        QVERIFY(loc);
        QCOMPARE(loc->path, QStringLiteral("/tmp/x/boom.js"));
        QCOMPARE(loc->line, 3);
        QCOMPARE(loc->column, 0);
        QCOMPARE(loc->start, 0);
        QCOMPARE(loc->length, 16);

        const QString frame = QStringLiteral("    at Object.<anonymous> (/tmp/x/boom.js:3:7)");
        loc = parseSourceLocation(frame, all);
        QVERIFY(loc);
        QCOMPARE(loc->path, QStringLiteral("/tmp/x/boom.js"));
        QCOMPARE(loc->line, 3);
        QCOMPARE(loc->column, 7);
        QCOMPARE(frame.mid(loc->start, loc->length), QStringLiteral("/tmp/x/boom.js:3:7"));

        loc = parseSourceLocation(QStringLiteral("    at /tmp/x/my dir/a.js:12:5"), all);
        QVERIFY(loc);
        QCOMPARE(loc->path, QStringLiteral("/tmp/x/my dir/a.js"));
        QCOMPARE(loc->line, 12);
        QCOMPARE(loc->column, 5);

        loc = parseSourceLocation(QStringLiteral("    at async main (file:///tmp/x/m.mjs:4:11)"), all);
        QVERIFY(loc);
        QCOMPARE(loc->path, QStringLiteral("/tmp/x/m.mjs"));
        QCOMPARE(loc->line, 4);

        loc = parseSourceLocation(QStringLiteral("    at Timeout._onTimeout (/tmp/x/t.js:2:9)"), all);
        QVERIFY(loc);
        QCOMPARE(loc->line, 2);
    }

    void notLocations()
    {
        for (const char *line : {"    at Module._compile (node:internal/modules/cjs/loader:1256:14)",
                                 "    at node:internal/main/run_main_module:28:49",
                                 "  throw new Error('boom');", "  ^", "", "Error: boom",
                                 "Node.js v20.11.1", "relative/path.js:3", "    at new Promise (<anonymous>)",
                                 "console.log('/tmp/a.js:3')"})
            QVERIFY2(!parseSourceLocation(QString::fromLatin1(line), all), line);
    }

    void onlyExistingFiles()
    {
        QTemporaryDir dir;
        const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("real.js"), QByteArray());
        QVERIFY(parseSourceLocation(QStringLiteral("    at fn (%1:1:1)").arg(path)));
        QVERIFY(!parseSourceLocation(QStringLiteral("    at fn (%1:1:1)").arg(dir.filePath(QStringLiteral("gone.js")))));
        QVERIFY(!parseSourceLocation(QStringLiteral("    at fn (%1:1:1)").arg(dir.path())));  // a folder
    }
};

QTEST_GUILESS_MAIN(TestStackFrame)
#include "tst_stackframe.moc"
