// TypeScript runs as under upstream Node 24 (runtime/typescriptsupport.h): types are stripped,
// never checked; lines and columns stay the .ts file's, in stacks and in the trace's sites;
// CommonJS, ESM (top-level await), workers and node_modules follow node's rules; an enum gets
// node's own error, with no trace of Loopscope's code in what the user sees.
#include "nodeprocess.h"
#include "testfiles.h"
#include "traceruns.h"

#include <QtTest>

using namespace Loopscope::Runtime;

class TestTypeScript : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stripsTypesAndKeepsPositions();
    void typeErrorsAreNotErrors();
    void esmWithTopLevelAwait();
    void workerRunsTypeScript();
    void enumGetsNodesError();
    void nodeModulesAreNotStripped();
    void traceSitesPointIntoTheTsFile();
};

// 1-based column of `needle` on 1-based line `line` of `text`.
static int columnOf(const QByteArray &text, int line, const QByteArray &needle)
{
    return int(text.split('\n').at(line - 1).indexOf(needle)) + 1;
}

void TestTypeScript::stripsTypesAndKeepsPositions()
{
    QTemporaryDir dir;
    const QByteArray source = "interface P { x: number }\n"
                              "const p: P = { x: 1 };\n"
                              "function where(a: number): string { return String(a) + ' ' + new Error().stack!.split('\\n')[1].trim(); }\n"
                              "console.log(where(p.x));\n";
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("positions.ts"), source);
    const auto run = TraceTests::runTraced(path, false);
    QCOMPARE(run.exitCode, 0);
    const QString expected = QStringLiteral("1 at where (%1:3:%2)\n")
                                 .arg(QUrl::fromLocalFile(QFileInfo(path).canonicalFilePath()).toString())
                                 .arg(columnOf(source, 3, "new Error"));
    QCOMPARE(QString::fromStdString(run.out), expected);
    QCOMPARE(QString::fromStdString(run.err), QString());
}

void TestTypeScript::typeErrorsAreNotErrors()
{
    QTemporaryDir dir;
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("wrong.ts"),
                                                    "const n: number = 'not a number' as any;\nconsole.log(n);\n");
    const auto run = TraceTests::runTraced(path, false);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(QString::fromStdString(run.out), QStringLiteral("not a number\n"));
}

void TestTypeScript::esmWithTopLevelAwait()
{
    QTemporaryDir dir;
    Loopscope::Test::writeFile(dir, QStringLiteral("helper.mts"), "export const twice = (n: number): number => n * 2;\n");
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("main.mts"),
        "import { twice } from './helper.mts';\n"
        "const later: number = await new Promise<number>((resolve) => setTimeout(() => resolve(21), 1));\n"
        "console.log(twice(later), typeof require);\n");
    const auto run = TraceTests::runTraced(path, false);
    QCOMPARE(QString::fromStdString(run.err), QString());
    QCOMPARE(QString::fromStdString(run.out), QStringLiteral("42 undefined\n"));
    // A .ts file of no declared type is CommonJS or ESM as its stripped source reads.
    const QString cjs = Loopscope::Test::writeFile(dir, QStringLiteral("plain.ts"),
                                                   "const n: number = 1;\nconsole.log(typeof require, n);\n");
    QCOMPARE(QString::fromStdString(TraceTests::runTraced(cjs, false).out), QStringLiteral("function 1\n"));
}

void TestTypeScript::workerRunsTypeScript()
{
    QTemporaryDir dir;
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("w.ts"),
        "import { Worker, isMainThread, parentPort } from 'node:worker_threads';\n"
        "if (isMainThread) {\n"
        "  new Worker(new URL(import.meta.url)).on('message', (m: string) => console.log('got', m));\n"
        "} else {\n"
        "  const s: string = 'hi';\n"
        "  parentPort!.postMessage(s);\n"
        "}\n");
    const auto run = TraceTests::runTraced(path, false);
    QCOMPARE(QString::fromStdString(run.err), QString());
    QCOMPARE(QString::fromStdString(run.out), QStringLiteral("got hi\n"));
}

void TestTypeScript::enumGetsNodesError()
{
    QTemporaryDir dir;
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("e.ts"), "enum E { A, B }\nconsole.log(E.A);\n");
    const auto run = TraceTests::runTraced(path, false);
    QCOMPARE(run.exitCode, 1);
    const QString err = QString::fromStdString(run.err);
    const QString url = QUrl::fromLocalFile(QFileInfo(path).canonicalFilePath()).toString();
    QVERIFY2(err.startsWith(url + QStringLiteral(":1\nenum E { A, B }\n^^^^^^^^^^^^^^^\n")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript enum is not "
                                         "supported in strip-only mode\n")), qPrintable(err));
    QVERIFY2(err.endsWith(QStringLiteral("code: 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'\n}\n\nNode.js ")
                          + QString::fromStdString(NodeProcess::nodeVersion()) + QLatin1Char('\n')), qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("loopscope")), qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("ERR_NO_TYPESCRIPT")), qPrintable(err));
}

void TestTypeScript::nodeModulesAreNotStripped()
{
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("node_modules/typed"));
    Loopscope::Test::writeFile(dir, QStringLiteral("node_modules/typed/index.ts"), "export const x: number = 1;\n");
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("main.mts"),
        "try { await import('./node_modules/typed/index.ts'); } catch (e: any) { console.log(e.code); }\n");
    const auto run = TraceTests::runTraced(path, false);
    QCOMPARE(QString::fromStdString(run.out), QStringLiteral("ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING\n"));
}

// A timer made on line 3 of a .ts file is recorded there, at the column of its call.
void TestTypeScript::traceSitesPointIntoTheTsFile()
{
    QTemporaryDir dir;
    const QByteArray source = "type Ms = number;\n"
                              "const delay: Ms = 5;\n"
                              "const t: NodeJS.Timeout = setTimeout((): void => console.log('tick'), delay);\n";
    const QString path = Loopscope::Test::writeFile(dir, QStringLiteral("sites.ts"), source);
    const auto run = TraceTests::runTraced(path);
    QCOMPARE(QString::fromStdString(run.out), QStringLiteral("tick\n"));
    const std::uint32_t timeout = run.trace->find("Timeout");
    QVERIFY(timeout);
    bool afterTimeoutInit = false, found = false;
    run.trace->forEach(0, [&](const TraceRecord &r) {
        if (r.kind == TraceKind::AsyncInit) {
            afterTimeoutInit = r.a == timeout;
        } else if (r.kind == TraceKind::AsyncSource && afterTimeoutInit) {
            afterTimeoutInit = false;
            const QString file = QString::fromStdString(run.trace->string(std::uint32_t(r.a)));
            QVERIFY2(file.endsWith(QLatin1String("/sites.ts")), qPrintable(file));
            QCOMPARE(int(r.b >> 32), 3);
            QCOMPARE(int(r.b & 0xffffffffu), columnOf(source, 3, "setTimeout"));
            found = true;
        }
    });
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestTypeScript)
#include "tst_typescript.moc"
