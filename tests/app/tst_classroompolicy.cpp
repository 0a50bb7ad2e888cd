// The administrator's classroom options: parsed from a settings file as the installer and the
// .deb's example write them, tightened (never loosened) by $LOOPSCOPE_POLICY_FILE, the lessons
// folder added to the course, and safe mode turned into Node's permission flags.

#include "classroompolicy.h"
#include "lessoncatalog.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Loopscope::App;

class TestClassroomPolicy : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString file(const QString &name, const QByteArray &text)
    {
        return Loopscope::Test::writeFile(m_dir, name, text);
    }

    static bool has(const std::vector<std::string> &options, const std::string &option)
    {
        return std::find(options.begin(), options.end(), option) != options.end();
    }

private Q_SLOTS:
    void parsesTheInstallersKeys_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("lessonsDir");
        QTest::addColumn<bool>("safeMode");
        QTest::addColumn<QString>("workDir");
        QTest::newRow("both") << QByteArray("LessonsDir=/srv/lessons\nSafeMode=1\n") << "/srv/lessons" << true << "";
        QTest::newRow("safe mode off") << QByteArray("SafeMode=0\n") << "" << false << "";
        QTest::newRow("true") << QByteArray("SafeMode=true\nWorkDir=/home/shared/work\n") << "" << true << "/home/shared/work";
        QTest::newRow("yes, spaced") << QByteArray("SafeMode = yes \nLessonsDir = /a b/c \n") << "/a b/c" << true << "";
        QTest::newRow("garbage is off") << QByteArray("SafeMode=maybe\n") << "" << false << "";
        QTest::newRow("commented example") << QByteArray("; SafeMode=1\n; LessonsDir=/x\n") << "" << false << "";
        QTest::newRow("empty") << QByteArray() << "" << false << "";
    }

    void parsesTheInstallersKeys()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, lessonsDir);
        QFETCH(bool, safeMode);
        QFETCH(QString, workDir);
        const QString path = file(QStringLiteral("p-%1.conf").arg(QTest::currentDataTag()).replace(' ', '_'), text);
        const ClassroomPolicy policy = ClassroomPolicy::read(path);
        QCOMPARE(policy.lessonsDir, lessonsDir);
        QCOMPARE(policy.safeMode, safeMode);
        QCOMPARE(policy.workDir, workDir);
        QCOMPARE(policy.sources.isEmpty(), text.trimmed().isEmpty() || text.startsWith(';'));
    }

    void theShippedExampleIsAllCommentedOut()
    {
        const ClassroomPolicy example = ClassroomPolicy::read(QStringLiteral(LOOPSCOPE_POLICY_EXAMPLE));
        QVERIFY(!example.safeMode);
        QVERIFY(example.lessonsDir.isEmpty());
        QFile f(QStringLiteral(LOOPSCOPE_POLICY_EXAMPLE));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("; SafeMode=1"));
        QVERIFY(text.contains("; LessonsDir="));
        QVERIFY(ClassroomPolicy::read(QStringLiteral(LOOPSCOPE_POLICY_EXAMPLE)).sources.isEmpty());  // no live key
    }

    void anOverrideCanOnlyTighten()
    {
        ClassroomPolicy system;
        system.safeMode = true;
        system.lessonsDir = "/srv/lessons";
        ClassroomPolicy user;
        user.safeMode = false;
        user.lessonsDir = "/home/me/lessons";
        user.workDir = "/home/me/w";
        const ClassroomPolicy m = ClassroomPolicy::merged(system, user);
        QVERIFY(m.safeMode);                         // an override cannot turn safe mode off
        QCOMPARE(m.lessonsDir, QString("/srv/lessons"));  // the administrator's folder wins
        QCOMPARE(m.workDir, QString("/home/me/w"));   // filled in where the system has none
        QVERIFY(ClassroomPolicy::merged(ClassroomPolicy{}, system).safeMode);  // and can turn it on
    }

    void loadReadsThePolicyFileVariable()
    {
        const QString path = file("env.conf", "SafeMode=1\nLessonsDir=" + m_dir.path().toUtf8() + "/teacher\n");
        qputenv("LOOPSCOPE_POLICY_FILE", path.toUtf8());
        const ClassroomPolicy policy = ClassroomPolicy::load();
        qunsetenv("LOOPSCOPE_POLICY_FILE");
        QVERIFY(policy.safeMode);
        QCOMPARE(policy.lessonsDir, m_dir.path() + "/teacher");
        QVERIFY(policy.sources.contains(path));
        QVERIFY(!ClassroomPolicy::systemSettingsLocation().isEmpty());
#ifdef Q_OS_LINUX
        QCOMPARE(ClassroomPolicy::systemSettingsLocation(), QString("/etc/xdg/Loopscope/Loopscope.conf"));
#endif
    }

    void lessonsDirJoinsTheCourse()
    {
        // A teacher's folder with one lesson, copied from the shipped course.
        const QString teacher = m_dir.filePath("teacher");
        const QString source = QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR "/01-main-module");
        const QString target = teacher + "/01-main-module";
        QVERIFY(QDir().mkpath(target));
        for (const QString &name : QDir(source).entryList(QDir::Files))
            QVERIFY(QFile::copy(source + '/' + name, target + '/' + name));

        ClassroomPolicy policy;
        policy.lessonsDir = teacher;
        const QStringList dirs = policy.lessonsDirectories(QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR));
        QCOMPARE(dirs, QStringList({QStringLiteral(LOOPSCOPE_SOURCE_LESSONS_DIR), teacher}));
        const LessonCatalog catalog = LessonCatalog::load(dirs.last());
        QCOMPARE(catalog.lessons().size(), 1);
        QCOMPARE(catalog.lessons().first().folder, target);
        // No LessonsDir: the shipped course alone.
        QCOMPARE(ClassroomPolicy{}.lessonsDirectories("/x"), QStringList{"/x"});
    }

    void safeModeBecomesPermissionFlags()
    {
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const auto options = ClassroomPolicy::safeModeNodeOptions({work.path(), m_dir.path()});
        QVERIFY(has(options, "--permission"));
        QVERIFY(has(options, "--allow-fs-read=*"));
        QVERIFY(has(options, "--allow-worker"));
        QVERIFY(has(options, "--allow-fs-write=" + QDir(work.path()).canonicalPath().toStdString() + "/"));
        QVERIFY(has(options, "--allow-fs-write=" + QDir(m_dir.path()).canonicalPath().toStdString() + "/"));
        for (const std::string &o : options)
            QVERIFY2(o.rfind("--allow-child-process", 0) != 0 && o != "--allow-fs-write=*", o.c_str());

        // Node 20 aborts on a folder given twice: once each, and none inside another.
        QVERIFY(QDir().mkpath(work.path() + "/in"));
        const auto twice = ClassroomPolicy::safeModeNodeOptions({work.path(), work.path() + "/in", work.path() + "/"});
        QCOMPARE(std::count_if(twice.begin(), twice.end(), [](const std::string &o) { return o.rfind("--allow-fs-write=", 0) == 0; }), 1);

        ClassroomPolicy policy;
        policy.workDir = work.path() + "/w";
        QCOMPARE(policy.writableFolders(), QStringList({work.path() + "/w", QDir::cleanPath(QDir::tempPath())}));
        QVERIFY(policy.safeModeDescription().contains("set by your administrator"));
    }
};

QTEST_GUILESS_MAIN(TestClassroomPolicy)
#include "tst_classroompolicy.moc"
