// The generated Windows installer script obeys the classroom rules: per-machine install,
// HKLM-only registry keys, silent mode, and an uninstaller that removes all it added.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

struct Section {
    QString name;
    QStringList lines;
};

// Splits the script into its sections and functions, by their Section/Function headers.
QList<Section> parse(const QString &script)
{
    QList<Section> parts{{QStringLiteral("<global>"), {}}};
    static const QRegularExpression open(QStringLiteral("^(Section|Function)\\s+(?:/o\\s+)?\"?([^\"]*)\"?"));
    for (QString line : script.split(QLatin1Char('\n'))) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char(';')))
            continue;
        const auto m = open.match(line);
        if (m.hasMatch()) {
            parts.append({m.captured(2).trimmed(), {}});
            continue;
        }
        if (line == QLatin1String("SectionEnd") || line == QLatin1String("FunctionEnd")) {
            parts.append({QStringLiteral("<global>"), {}});
            continue;
        }
        parts.last().lines.append(line);
    }
    return parts;
}

QStringList linesOf(const QList<Section> &parts, const QString &name)
{
    QStringList all;
    for (const Section &s : parts)
        if (s.name == name)
            all += s.lines;
    return all;
}

// The first double-quoted argument after the command.
QString quoted(const QString &line, int index = 0)
{
    static const QRegularExpression q(QStringLiteral("\"([^\"]*)\""));
    auto it = q.globalMatch(line);
    for (int i = 0; it.hasNext(); ++i) {
        const auto m = it.next();
        if (i == index)
            return m.captured(1);
    }
    return {};
}

} // namespace

class TestNsisScript : public QObject {
    Q_OBJECT
private:
    QString m_script;
    QList<Section> m_parts;

private slots:
    void initTestCase()
    {
        QFile f(qEnvironmentVariable("LOOPSCOPE_NSIS_SCRIPT"));
        QVERIFY2(f.open(QIODevice::ReadOnly), "run installer.nsis.build first (CTest fixture)");
        m_script = QString::fromUtf8(f.readAll());
        m_parts = parse(m_script);
    }

    void installsPerMachine()
    {
        QVERIFY(m_script.contains(QLatin1String("RequestExecutionLevel admin")));
        QVERIFY(m_script.contains(QLatin1String("InstallDir \"$PROGRAMFILES64\\Loopscope\"")));
        for (const char *init : {".onInit", "un.onInit"})
            QVERIFY2(linesOf(m_parts, QLatin1String(init)).contains(QLatin1String("SetShellVarContext all")), init);
        QVERIFY(!m_script.contains(QLatin1String("SetShellVarContext current")));
    }

    void writesMachineKeysOnly()
    {
        QVERIFY(!m_script.contains(QLatin1String("HKCU")));
        QVERIFY(!m_script.contains(QLatin1String("HKEY_CURRENT_USER")));
        QVERIFY(!m_script.contains(QLatin1String("InstallDirRegKey")));
        static const QRegularExpression write(QStringLiteral("^WriteReg\\w+\\s+(\\w+)\\s"));
        int writes = 0;
        for (const Section &s : m_parts)
            for (const QString &line : s.lines) {
                const auto m = write.match(line);
                if (m.hasMatch()) {
                    ++writes;
                    QCOMPARE(m.captured(1), QStringLiteral("HKLM"));
                }
            }
        QVERIFY(writes >= 10);
    }

    void everyKeyWrittenIsDeletedOnUninstall()
    {
        // Resolve the script's !defines so keys compare as written.
        QHash<QString, QString> defines;
        static const QRegularExpression def(QStringLiteral("^!define\\s+(\\w+)\\s+\"([^\"]*)\""));
        for (const QString &line : linesOf(m_parts, QStringLiteral("<global>"))) {
            const auto m = def.match(line);
            if (m.hasMatch())
                defines.insert(m.captured(1), m.captured(2));
        }
        auto resolve = [&](QString key) {
            for (auto it = defines.cbegin(); it != defines.cend(); ++it)
                key.replace(QStringLiteral("${%1}").arg(it.key()), it.value());
            return key;
        };
        QStringList deleted;
        for (const QString &line : linesOf(m_parts, QStringLiteral("Uninstall")))
            if (line.startsWith(QLatin1String("DeleteRegKey HKLM")))
                deleted << resolve(quoted(line));
        for (const Section &s : m_parts) {
            if (s.name == QLatin1String("Uninstall"))
                continue;
            for (const QString &line : s.lines) {
                if (!line.startsWith(QLatin1String("WriteReg")))
                    continue;
                const QString key = resolve(quoted(line));
                const bool removed = std::any_of(deleted.cbegin(), deleted.cend(), [&](const QString &d) {
                    return key == d || key.startsWith(d + QLatin1Char('\\'));
                });
                QVERIFY2(removed, qPrintable(QStringLiteral("never deleted: ") + key));
            }
        }
    }

    void uninstallRemovesExactlyTheInstalledFiles()
    {
        QSet<QString> installed;
        QString outPath;
        for (const QString &line : linesOf(m_parts, QStringLiteral("Loopscope (required)"))) {
            if (line.startsWith(QLatin1String("SetOutPath")))
                outPath = quoted(line);
            else if (line.startsWith(QLatin1String("File ")))
                installed.insert(outPath + QLatin1Char('\\') + QFileInfo(quoted(line)).fileName());
            else if (line.startsWith(QLatin1String("WriteUninstaller")))
                installed.insert(quoted(line));
        }
        QSet<QString> removed;
        for (const QString &line : linesOf(m_parts, QStringLiteral("Uninstall")))
            if (line.startsWith(QLatin1String("Delete \"$INSTDIR")))
                removed.insert(quoted(line));
        QCOMPARE(removed, installed);

        // And the installed set is the whole staged tree.
        const QDir stage(qEnvironmentVariable("LOOPSCOPE_NSIS_STAGE"));
        QVERIFY(stage.exists());
        QSet<QString> staged{QStringLiteral("$INSTDIR\\Uninstall.exe")};
        for (QDirIterator it(stage.path(), QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
            staged.insert(QStringLiteral("$INSTDIR\\") + stage.relativeFilePath(it.next()).replace(QLatin1Char('/'), QLatin1Char('\\')));
        QCOMPARE(installed, staged);
        QVERIFY(installed.size() > 10);  // the binary, the lessons, the desktop entry, ...
    }

    void shortcutsAreRemovedToo()
    {
        const QStringList uninstall = linesOf(m_parts, QStringLiteral("Uninstall"));
        for (const Section &s : m_parts) {
            if (s.name == QLatin1String("Uninstall"))
                continue;
            for (const QString &line : s.lines)
                if (line.startsWith(QLatin1String("CreateShortcut")))
                    QVERIFY2(uninstall.contains(QStringLiteral("Delete \"%1\"").arg(quoted(line))), qPrintable(line));
        }
    }

    void runsSilentlyWithClassroomOptions()
    {
        // NSIS gives /S and /D= to every installer; nothing may wait for a click in /S.
        static const QRegularExpression box(QStringLiteral("^MessageBox(?!.*\\s/SD\\s)"));
        for (const Section &s : m_parts)
            for (const QString &line : s.lines)
                QVERIFY2(!box.match(line).hasMatch(), qPrintable(line));
        const QStringList init = linesOf(m_parts, QStringLiteral(".onInit"));
        for (const char *option : {"/LESSONS=", "/SAFEMODE=", "/DESKTOP="})
            QVERIFY2(init.filter(QLatin1String(option)).size() == 1, option);
        QVERIFY(m_script.contains(QLatin1String("QuietUninstallString")));
    }
};

QTEST_GUILESS_MAIN(TestNsisScript)
#include "tst_nsisscript.moc"
