// The Windows installer, end to end under Wine: a silent all-users install into a chosen folder
// with the classroom options, then a silent uninstall, in a scratch Wine prefix.
//
// Wine lives in its own root (LOOPSCOPE_ROOT=wine scripts/buildroot; mounted read-only at
// /opt/loopscope-wine in the build root), entered with that root's own bwrap. Every step runs
// in one sandbox that ends with `wineserver -w`: Wine writes its registry files when its server
// exits, and the uninstaller finishes in a copy of itself that outlives the first process.
// The test functions run in order: install, check, uninstall, check.
#include "wineregistry.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTest>

namespace {

const QString InstallDir = QStringLiteral("C:\\Tools\\Loopscope");
const QString InstallPath = QStringLiteral("drive_c/Tools/Loopscope");  // inside the prefix
const QString Lessons = QStringLiteral("\\\\server\\share\\lessons");
const QString AppKey = QStringLiteral("Software\\Loopscope");
const QString OpenWithKey = QStringLiteral("Software\\Classes\\Applications\\loopscope-ide.exe");
const QString JsOpenWithKey = QStringLiteral("Software\\Classes\\.js\\OpenWithList\\loopscope-ide.exe");
const QString UninstallKey = QStringLiteral("Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Loopscope");
// Wine's all-users folders: the common Start menu and the public desktop.
const QString StartMenuLink = QStringLiteral("drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Loopscope/Loopscope.lnk");
const QString DesktopLink = QStringLiteral("drive_c/users/Public/Desktop/Loopscope.lnk");

struct StepResult {
    bool finished = false;
    int exitCode = -1;
    QString output;
    qint64 ms = 0;
};

// Files under `dir`, relative to it, sorted.
QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(dir).relativeFilePath(it.next()));
    files.sort();
    return files;
}

QStringList minus(const QStringList &a, const QStringList &b)
{
    const QSet<QString> drop(b.cbegin(), b.cend());
    QStringList out;
    for (const QString &s : a)
        if (!drop.contains(s))
            out.append(s);
    return out;
}

QStringList keysMinus(const QStringList &a, const QStringList &b)
{
    QSet<QString> drop;
    for (const QString &k : b)
        drop.insert(k.toLower());
    QStringList out;
    for (const QString &k : a)
        if (!drop.contains(k.toLower()))
            out.append(k);
    return out;
}

QByteArray listing(const QString &title, const QStringList &items)
{
    return (title + QStringLiteral(":\n  ") + items.mid(0, 40).join(QStringLiteral("\n  "))
            + (items.size() > 40 ? QStringLiteral("\n  ... (%1 in all)").arg(items.size()) : QString()))
        .toLocal8Bit();
}

} // namespace

class TestWineInstall : public QObject {
    Q_OBJECT
private:
    QString m_wineRoot;
    QString m_setup;
    QString m_stage;
    QString m_work;
    QString m_prefix;
    QStringList m_payload;
    QStringList m_filesBefore, m_filesInstalled;
    WineRegistry m_machineBefore, m_userBefore, m_machine, m_user;
    bool m_installed = false;
    bool m_failed = false;

    // Runs `script` with sh in the Wine root, with the scratch folder writable, the installer's
    // folder readable, no display and a clean environment.
    StepResult inWine(const QString &script, int timeoutMs)
    {
        const QString w = m_wineRoot;
        QStringList args{QStringLiteral("--library-path"), w + QStringLiteral("/usr/lib/x86_64-linux-gnu"),
                         w + QStringLiteral("/usr/bin/bwrap"),
                         QStringLiteral("--ro-bind"), w + QStringLiteral("/usr"), QStringLiteral("/usr"),
                         QStringLiteral("--ro-bind"), w + QStringLiteral("/etc"), QStringLiteral("/etc"),
                         QStringLiteral("--symlink"), QStringLiteral("usr/bin"), QStringLiteral("/bin"),
                         QStringLiteral("--symlink"), QStringLiteral("usr/sbin"), QStringLiteral("/sbin"),
                         QStringLiteral("--symlink"), QStringLiteral("usr/lib"), QStringLiteral("/lib"),
                         QStringLiteral("--symlink"), QStringLiteral("usr/lib64"), QStringLiteral("/lib64"),
                         QStringLiteral("--proc"), QStringLiteral("/proc"),
                         QStringLiteral("--dev"), QStringLiteral("/dev"),
                         QStringLiteral("--tmpfs"), QStringLiteral("/tmp"),
                         QStringLiteral("--bind"), m_work, m_work,
                         QStringLiteral("--ro-bind"), QFileInfo(m_setup).absolutePath(), QFileInfo(m_setup).absolutePath(),
                         QStringLiteral("--die-with-parent"),
                         QStringLiteral("--clearenv"),
                         QStringLiteral("--setenv"), QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"),
                         QStringLiteral("--setenv"), QStringLiteral("HOME"), m_work + QStringLiteral("/home"),
                         QStringLiteral("--setenv"), QStringLiteral("USER"), QStringLiteral("student"),
                         QStringLiteral("--setenv"), QStringLiteral("LANG"), QStringLiteral("C.UTF-8"),
                         QStringLiteral("--setenv"), QStringLiteral("WINEPREFIX"), m_prefix,
                         QStringLiteral("--setenv"), QStringLiteral("WINEDEBUG"), QStringLiteral("-all"),
                         // No Mono or Gecko download prompts, no host menu entries.
                         QStringLiteral("--setenv"), QStringLiteral("WINEDLLOVERRIDES"),
                         QStringLiteral("mscoree,mshtml=;winemenubuilder.exe=d"),
                         QStringLiteral("--setenv"), QStringLiteral("SETUP"), m_setup,
                         QStringLiteral("--chdir"), m_work,
                         QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer timer;
        timer.start();
        p.start(w + QStringLiteral("/usr/lib64/ld-linux-x86-64.so.2"), args);
        StepResult r;
        if (!p.waitForStarted(60000)) {
            r.output = p.errorString();
            return r;
        }
        r.finished = p.waitForFinished(timeoutMs);
        if (!r.finished) {
            p.kill();
            p.waitForFinished(10000);
        }
        r.ms = timer.elapsed();
        r.output = QString::fromLocal8Bit(p.readAll());
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return r;
    }

    void loadHives(WineRegistry &machine, WineRegistry &user)
    {
        QString error;
        QVERIFY2(machine.load(m_prefix + QStringLiteral("/system.reg"), &error), qPrintable(error));
        QVERIFY2(user.load(m_prefix + QStringLiteral("/user.reg"), &error), qPrintable(error));
    }

    void requireInstalled()
    {
        if (!m_installed)
            QFAIL("the silent install failed (see install()): nothing to check");
    }

private slots:
    void initTestCase()
    {
        m_wineRoot = qEnvironmentVariable("LOOPSCOPE_WINE_ROOT", QStringLiteral("/opt/loopscope-wine"));
        QVERIFY2(QFileInfo::exists(m_wineRoot + QStringLiteral("/usr/lib/wine/wineserver64")),
                 qPrintable(QStringLiteral("no Wine root at %1: create it with `LOOPSCOPE_ROOT=wine scripts/buildroot --path` "
                                           "(scripts/test does) and run the tests inside scripts/buildroot, which mounts it")
                                .arg(m_wineRoot)));
        m_setup = qEnvironmentVariable("LOOPSCOPE_NSIS_SETUP");
        m_stage = qEnvironmentVariable("LOOPSCOPE_NSIS_STAGE");
        QVERIFY2(QFileInfo(m_setup).isFile(), "no installer: run installer.nsis.build first (CTest fixture)");
        m_payload = filesUnder(m_stage);
        QVERIFY2(m_payload.size() > 10, qPrintable(QStringLiteral("staged payload too small: %1 files").arg(m_payload.size())));

        m_work = qEnvironmentVariable("LOOPSCOPE_WINE_WORK");
        QVERIFY(!m_work.isEmpty());
        QDir(m_work).removeRecursively();
        QVERIFY(QDir().mkpath(m_work + QStringLiteral("/home")));
        m_prefix = m_work + QStringLiteral("/prefix");

        // A fresh 64-bit prefix, as a newly imaged classroom machine.
        const StepResult boot = inWine(QStringLiteral("wineboot --init && wineserver -w"), 600000);
        qInfo("wineboot --init: %lld ms", boot.ms);
        QVERIFY2(boot.finished, qPrintable(QStringLiteral("wineboot did not finish in 10 minutes:\n") + boot.output));
        QVERIFY2(boot.exitCode == 0, qPrintable(QStringLiteral("wineboot failed (%1):\n%2").arg(boot.exitCode).arg(boot.output)));
        QVERIFY2(QFileInfo::exists(m_prefix + QStringLiteral("/drive_c/windows/system32/kernel32.dll")),
                 "wineboot made no prefix");
        loadHives(m_machineBefore, m_userBefore);
        m_filesBefore = filesUnder(m_prefix + QStringLiteral("/drive_c"));
    }

    void silentInstall()
    {
        // As IT would: silent, classroom options, a folder of their own (/D= last, unquoted).
        const StepResult r = inWine(QStringLiteral(R"(wine "$SETUP" /S '/LESSONS=\\server\share\lessons' /SAFEMODE=1 /DESKTOP=1 '/D=C:\Tools\Loopscope'
                                                      rc=$?; wineserver -w; exit $rc)"), 600000);
        qInfo("silent install: %lld ms", r.ms);
        QVERIFY2(r.finished, qPrintable(QStringLiteral("the installer did not finish in 10 minutes:\n") + r.output));
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("the installer exited with %1:\n%2").arg(r.exitCode).arg(r.output)));
        loadHives(m_machine, m_user);
        m_filesInstalled = filesUnder(m_prefix + QStringLiteral("/drive_c"));
        m_installed = true;
    }

    void everyPayloadFileLanded()
    {
        requireInstalled();
        const QString dir = m_prefix + QLatin1Char('/') + InstallPath;
        QStringList missing, different;
        for (const QString &f : m_payload) {
            QFile installed(dir + QLatin1Char('/') + f), staged(m_stage + QLatin1Char('/') + f);
            if (!installed.open(QIODevice::ReadOnly)) {
                missing.append(f);
                continue;
            }
            QVERIFY(staged.open(QIODevice::ReadOnly));
            if (installed.readAll() != staged.readAll())
                different.append(f);
        }
        QVERIFY2(missing.isEmpty(), listing(QStringLiteral("payload files not installed in %1").arg(InstallDir), missing));
        QVERIFY2(different.isEmpty(), listing(QStringLiteral("installed files that differ from the payload"), different));
        QVERIFY2(QFileInfo(dir + QStringLiteral("/Uninstall.exe")).isFile(), "no Uninstall.exe in the install folder");
        // Nothing but the payload and the uninstaller in the chosen folder.
        const QStringList extra = minus(filesUnder(dir), m_payload + QStringList{QStringLiteral("Uninstall.exe")});
        QVERIFY2(extra.isEmpty(), listing(QStringLiteral("unexpected files in the install folder"), extra));
    }

    void machineKeysWritten()
    {
        requireInstalled();
        QVERIFY2(m_machine.hasKey(AppKey), "no HKLM\\Software\\Loopscope");
        QCOMPARE(m_machine.values(AppKey).value(QStringLiteral("InstallDir")), InstallDir);
        const QMap<QString, QString> un = m_machine.values(UninstallKey);
        QVERIFY2(!un.isEmpty(), "no uninstall entry under HKLM (Apps & features would not list Loopscope)");
        QCOMPARE(un.value(QStringLiteral("DisplayName")), QStringLiteral("Loopscope"));
        QCOMPARE(un.value(QStringLiteral("QuietUninstallString")), QStringLiteral("\"%1\\Uninstall.exe\" /S").arg(InstallDir));
        QCOMPARE(un.value(QStringLiteral("InstallLocation")), InstallDir);
        // SetRegView 64: the 64-bit view, not the 32-bit installer's redirected Wow6432Node.
        for (const QString &k : m_machine.keys())
            QVERIFY2(!(k.contains(QLatin1String("Wow6432Node"), Qt::CaseInsensitive)
                       && k.contains(QLatin1String("Loopscope"), Qt::CaseInsensitive)),
                     qPrintable(QStringLiteral("key written to the 32-bit view: ") + k));
    }

    void classroomOptionsStored()
    {
        requireInstalled();
        const QMap<QString, QString> app = m_machine.values(AppKey);
        QCOMPARE(app.value(QStringLiteral("LessonsDir")), Lessons);
        QCOMPARE(app.value(QStringLiteral("SafeMode")), QStringLiteral("dword:00000001"));
    }

    void noPerUserKeys()
    {
        requireInstalled();
        const QStringList added = minus(m_user.contentLines(), m_userBefore.contentLines());
        QVERIFY2(added.isEmpty(), listing(QStringLiteral("the installer wrote to HKCU (user.reg)"), added));
    }

    void allUsersShortcuts()
    {
        requireInstalled();
        QVERIFY2(QFileInfo(m_prefix + QLatin1Char('/') + StartMenuLink).isFile(),
                 "no Start-menu shortcut in the all-users (ProgramData) Start menu");
        QVERIFY2(QFileInfo(m_prefix + QLatin1Char('/') + DesktopLink).isFile(),
                 "/DESKTOP=1 made no shortcut on the public desktop");
        // The shortcut points at the installed program (a .lnk holds its target in ANSI, UTF-16 or both).
        QFile link(m_prefix + QLatin1Char('/') + StartMenuLink);
        QVERIFY(link.open(QIODevice::ReadOnly));
        const QByteArray bytes = link.readAll();
        // The window's executable (loopscope-ide), not the command line's: one GUI process.
        const QString target = InstallDir + QStringLiteral("\\bin\\loopscope-ide");
        const QByteArray utf16(reinterpret_cast<const char *>(target.utf16()), target.size() * 2);
        QVERIFY2(bytes.contains(target.toLatin1()) || bytes.contains(utf16),
                 "the Start-menu shortcut does not point at bin\\loopscope-ide in the install folder");
        // Nothing in the installing user's own profile.
        const QStringList added = minus(m_filesInstalled, m_filesBefore);
        QStringList perUser;
        for (const QString &f : added)
            if (f.startsWith(QLatin1String("users/")) && !f.startsWith(QLatin1String("users/Public/"))
                && !f.contains(QLatin1String("/AppData/Local/Temp/")))
                perUser.append(f);
        QVERIFY2(perUser.isEmpty(), listing(QStringLiteral("files written into the user's profile"), perUser));
    }

    void jsOpenWithEntry()
    {
        requireInstalled();
        QCOMPARE(m_machine.values(OpenWithKey).value(QStringLiteral("FriendlyAppName")), QStringLiteral("Loopscope"));
        QCOMPARE(m_machine.values(OpenWithKey + QStringLiteral("\\shell\\open\\command")).value(QString()),
                 QStringLiteral("\"%1\\bin\\loopscope-ide\" \"%2\"").arg(InstallDir, QStringLiteral("%1")));
        QVERIFY2(m_machine.values(OpenWithKey + QStringLiteral("\\SupportedTypes")).contains(QStringLiteral(".js")),
                 "loopscope-ide.exe does not declare .js as a supported type");
        QVERIFY2(m_machine.hasKey(JsOpenWithKey), "no .js OpenWithList entry for loopscope-ide.exe");
    }

    void silentUninstall()
    {
        requireInstalled();
        // Uninstall.exe copies itself to %TEMP% and exits; `wineserver -w` waits for the copy.
        const StepResult r = inWine(QStringLiteral(R"(wine 'C:\Tools\Loopscope\Uninstall.exe' /S
                                                      rc=$?; wineserver -w; exit $rc)"), 600000);
        qInfo("silent uninstall: %lld ms", r.ms);
        QVERIFY2(r.finished, qPrintable(QStringLiteral("the uninstaller did not finish in 10 minutes:\n") + r.output));
        QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("the uninstaller exited with %1:\n%2").arg(r.exitCode).arg(r.output)));
    }

    void everythingAddedIsGone()
    {
        requireInstalled();
        WineRegistry machine, user;
        loadHives(machine, user);
        const QStringList filesNow = filesUnder(m_prefix + QStringLiteral("/drive_c"));
        // Every file the install added (payload, uninstaller, shortcuts) is gone, and its folders.
        QStringList left;
        for (const QString &f : minus(m_filesInstalled, m_filesBefore))
            if (filesNow.contains(f))
                left.append(f);
        QVERIFY2(left.isEmpty(), listing(QStringLiteral("files the uninstaller left behind"), left));
        QVERIFY2(!QFileInfo::exists(m_prefix + QLatin1Char('/') + InstallPath), "the install folder is still there");
        QVERIFY2(!QFileInfo::exists(QFileInfo(m_prefix + QLatin1Char('/') + StartMenuLink).absolutePath()),
                 "the Start-menu folder Loopscope is still there");
        // Every key the install added is gone.
        const QStringList keysLeft = keysMinus(machine.keys(), m_machineBefore.keys());
        QStringList ours;
        for (const QString &k : keysMinus(m_machine.keys(), m_machineBefore.keys()))
            if (machine.hasKey(k))
                ours.append(k);
        QVERIFY2(ours.isEmpty(), listing(QStringLiteral("HKLM keys the uninstaller left behind"), ours));
        for (const QString &k : machine.keys())
            QVERIFY2(!k.contains(QLatin1String("loopscope"), Qt::CaseInsensitive),
                     qPrintable(QStringLiteral("a Loopscope key is still in HKLM: ") + k));
        if (!keysLeft.isEmpty())
            qInfo("%s", listing(QStringLiteral("HKLM keys Wine itself added meanwhile"), keysLeft).constData());
        const QStringList userAdded = minus(user.contentLines(), m_userBefore.contentLines());
        QVERIFY2(userAdded.isEmpty(), listing(QStringLiteral("the uninstaller wrote to HKCU (user.reg)"), userAdded));
    }

    void cleanup()
    {
        m_failed = m_failed || QTest::currentTestFailed();
    }

    void cleanupTestCase()
    {
        // The prefix is large: kept only when something failed, to look at.
        if (!m_failed && !m_work.isEmpty() && qEnvironmentVariableIsEmpty("LOOPSCOPE_KEEP_WINE_PREFIX"))
            QDir(m_work).removeRecursively();
    }
};

QTEST_GUILESS_MAIN(TestWineInstall)
#include "tst_wineinstall.moc"
