// The command-line grammar of `loopscope`.
#include "commandline.h"

#include <QTest>

using namespace Loopscope::App;
using Action = CommandLine::Action;

class TestCommandLine : public QObject {
    Q_OBJECT
private slots:
    void noArgumentsOpensTheDefault() { QCOMPARE(parseCommandLine({}).action, Action::Default); }

    void runTakesFileAndScriptArguments()
    {
        const CommandLine c = parseCommandLine({"run", "app.js", "--port", "3", "-x"});
        QCOMPARE(c.action, Action::Run);
        QCOMPARE(c.script, std::string("app.js"));
        // Options after FILE belong to the script, as with node.
        QCOMPARE(c.arguments, (std::vector<std::string>{"--port", "3", "-x"}));
        QCOMPARE(c.heapLimitMb, size_t(1024));
    }

    void aFileNameOpensTheIde()
    {
        const CommandLine c = parseCommandLine({"lesson.js"});
        QCOMPARE(c.action, Action::Open);
        QCOMPARE(c.script, std::string("lesson.js"));
        QCOMPARE(parseCommandLine({"dir/script"}).action, Action::Open);
        QCOMPARE(parseCommandLine({"a.js", "b.js"}).action, Action::Error);
    }

    void maxHeapIsParsed()
    {
        const CommandLine c = parseCommandLine({"run", "--max-heap", "64", "a.js"});
        QCOMPARE(c.action, Action::Run);
        QCOMPARE(c.heapLimitMb, size_t(64));
    }

    void traceAndSummaryAreParsed()
    {
        const CommandLine c = parseCommandLine({"run", "--trace", "out.json.gz", "--summary", "a.js", "--summary"});
        QCOMPARE(c.action, Action::Run);
        QCOMPARE(c.tracePath, std::string("out.json.gz"));
        QVERIFY(c.summary);
        QCOMPARE(c.arguments, (std::vector<std::string>{"--summary"}));  // after FILE: the script's
        const CommandLine plain = parseCommandLine({"run", "a.js"});
        QVERIFY(plain.tracePath.empty());
        QVERIFY(!plain.summary);
    }

    void cpuProfileIsParsed()
    {
        const CommandLine c = parseCommandLine({"run", "--cpu-profile", "out.cpuprofile", "--cpu-profile-interval", "250", "a.js"});
        QCOMPARE(c.action, Action::Run);
        QCOMPARE(c.cpuProfilePath, std::string("out.cpuprofile"));
        QCOMPARE(c.cpuProfileIntervalUs, 250);
        QCOMPARE(c.script, std::string("a.js"));
        const CommandLine plain = parseCommandLine({"run", "a.js"});
        QVERIFY(plain.cpuProfilePath.empty());
        QCOMPARE(plain.cpuProfileIntervalUs, 500);
    }

    void doubleDashEndsOptions()
    {
        const CommandLine c = parseCommandLine({"run", "--", "-weird-name.js"});
        QCOMPARE(c.action, Action::Run);
        QCOMPARE(c.script, std::string("-weird-name.js"));
    }

    void theIdesChildRunOptionsAreParsed()
    {
        const CommandLine c = parseCommandLine({"run", "--stream", "--stream-trace", "--no-source-locations",
                                                "--max-heap", "64", "--", "app.js", "--stream"});
        QCOMPARE(c.action, Action::Run);
        QVERIFY(c.stream && c.streamTrace && !c.sourceLocations);
        QCOMPARE(c.heapLimitMb, size_t(64));
        QCOMPARE(c.arguments, (std::vector<std::string>{"--stream"}));  // after FILE: the script's
        const CommandLine plain = parseCommandLine({"run", "app.js"});
        QVERIFY(!plain.stream && !plain.streamTrace && plain.sourceLocations);
    }

    void errorsSayWhat_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("bad option") << QStringList{"run", "--nope", "a.js"} << "bad option: --nope";
        QTest::newRow("no file") << QStringList{"run"} << "run needs a FILE";
        QTest::newRow("heap not a number") << QStringList{"run", "--max-heap", "lots", "a.js"}
                                           << "--max-heap needs a whole number of MB, at least 16: lots";
        QTest::newRow("heap missing") << QStringList{"run", "--max-heap"} << "--max-heap needs a size in MB";
        QTest::newRow("trace missing") << QStringList{"run", "--trace"} << "--trace needs an output file";
        QTest::newRow("profile missing") << QStringList{"run", "--cpu-profile"} << "--cpu-profile needs an output file";
        QTest::newRow("interval too small") << QStringList{"run", "--cpu-profile-interval", "10", "a.js"}
                                            << "--cpu-profile-interval needs a whole number of microseconds, 50 to 1000000: 10";
        QTest::newRow("stream-trace alone") << QStringList{"run", "--stream-trace", "a.js"}
                                            << "--stream-trace and --no-source-locations go with --stream";
        QTest::newRow("stream and summary") << QStringList{"run", "--stream", "--summary", "a.js"}
                                            << "--stream cannot be combined with --trace or --summary";
        QTest::newRow("unknown command") << QStringList{"walk"} << "unknown command: walk";
        QTest::newRow("top-level bad option") << QStringList{"--frobnicate"} << "bad option: --frobnicate";
    }
    void errorsSayWhat()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        std::vector<std::string> v;
        for (const QString &a : args)
            v.push_back(a.toStdString());
        const CommandLine c = parseCommandLine(v);
        QCOMPARE(c.action, Action::Error);
        QCOMPARE(QString::fromStdString(c.error), error);
    }

    void aForkedChildReadsNodesCommandLine()
    {
        const CommandLine c = parseNodeCommandLine({"--max-old-space-size=64", "-r", "pre.js", "child.js", "a", "-b"});
        QCOMPARE(c.action, Action::Run);
        QCOMPARE(c.script, std::string("child.js"));
        QCOMPARE(c.arguments, (std::vector<std::string>{"a", "-b"}));
        QCOMPARE(parseNodeCommandLine({"--inspect"}).action, Action::Error);
    }

    void usageNamesTheCommands()
    {
        const std::string u = usageText();
        QVERIFY(u.find("loopscope run") != std::string::npos);
        QVERIFY(u.find("--version") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
