#include "classroompolicy.h"

#include "nodeprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <memory>

namespace Loopscope::App {

namespace {

constexpr char kLessonsDir[] = "LessonsDir";
constexpr char kSafeMode[] = "SafeMode";
constexpr char kWorkDir[] = "WorkDir";

bool truthy(const QVariant &value)
{
    // REG_DWORD 1 arrives as an int; an INI file gives "1", "true" or "yes".
    const QString s = value.toString().trimmed().toLower();
    return s == QLatin1String("1") || s == QLatin1String("true") || s == QLatin1String("yes") || s == QLatin1String("on");
}

std::unique_ptr<QSettings> systemSettings()
{
#ifdef Q_OS_WIN
    // The installer writes its values straight under HKLM\Software\Loopscope (no application key).
    return std::make_unique<QSettings>(QStringLiteral("HKEY_LOCAL_MACHINE\\Software\\Loopscope"), QSettings::NativeFormat);
#else
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::SystemScope,
                                       QStringLiteral("Loopscope"), QStringLiteral("Loopscope"));
#endif
}

} // namespace

QString ClassroomPolicy::systemSettingsLocation()
{
    return systemSettings()->fileName();
}

QString ClassroomPolicy::documentsWorkDir()
{
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty())
        documents = QDir::homePath();
    return QDir(documents).filePath(QStringLiteral("Loopscope"));
}

ClassroomPolicy ClassroomPolicy::read(const QString &iniFile)
{
    std::unique_ptr<QSettings> settings = iniFile.isEmpty() ? systemSettings()
                                                            : std::make_unique<QSettings>(iniFile, QSettings::IniFormat);
    ClassroomPolicy policy;
    policy.lessonsDir = settings->value(QLatin1String(kLessonsDir)).toString().trimmed();
    policy.safeMode = truthy(settings->value(QLatin1String(kSafeMode)));
    policy.workDir = settings->value(QLatin1String(kWorkDir)).toString().trimmed();
    if (!settings->allKeys().isEmpty())
        policy.sources << settings->fileName();
    return policy;
}

ClassroomPolicy ClassroomPolicy::merged(const ClassroomPolicy &a, const ClassroomPolicy &b)
{
    ClassroomPolicy m = a;
    m.safeMode = a.safeMode || b.safeMode;
    if (m.lessonsDir.isEmpty())
        m.lessonsDir = b.lessonsDir;
    if (m.workDir.isEmpty())
        m.workDir = b.workDir;
    m.sources << b.sources;
    return m;
}

ClassroomPolicy ClassroomPolicy::load()
{
    ClassroomPolicy policy = read();
    const QString extra = qEnvironmentVariable("LOOPSCOPE_POLICY_FILE");
    if (!extra.isEmpty())
        policy = merged(policy, read(extra));
    return policy;
}

QStringList ClassroomPolicy::lessonsDirectories(const QString &shippedDir) const
{
    QStringList dirs{shippedDir};
    if (!lessonsDir.isEmpty() && QDir::cleanPath(lessonsDir) != QDir::cleanPath(shippedDir))
        dirs << lessonsDir;
    return dirs;
}

QStringList ClassroomPolicy::writableFolders() const
{
    return {QDir::cleanPath(QDir(workDir.isEmpty() ? documentsWorkDir() : workDir).absolutePath()),
            QDir::cleanPath(QDir::tempPath())};
}

std::vector<std::string> ClassroomPolicy::safeModeNodeOptions(const QStringList &writable)
{
    std::vector<std::string> options{
        "--permission",
        "--allow-fs-read=*",
        // worker_threads stay: a lesson offloads work to a worker. No --allow-child-process, so
        // child_process is denied; addons and the inspector are off under the permission model.
        "--allow-worker",
        // The permission model's security warnings (about the wide read grant) would open every
        // run's stderr; the student's console is not the place (the status bar says "Safe mode").
        "--disable-warning=SecurityWarning",
    };
    // A trailing separator grants the folder and everything below it. Node 20 aborted the
    // process on a path given twice (an assertion in its permission tree), so each folder goes
    // in once, and one inside another is already covered.
    QStringList folders;
    for (const QString &folder : writable) {
        const QString canonical = QFileInfo(folder).canonicalFilePath();
        if (!canonical.isEmpty())
            folders << canonical + QLatin1Char('/');
    }
    folders.removeDuplicates();
    for (const QString &folder : folders) {
        const bool covered = std::any_of(folders.begin(), folders.end(), [&](const QString &other) {
            return other != folder && folder.startsWith(other);
        });
        if (!covered)
            options.push_back("--allow-fs-write=" + QDir::toNativeSeparators(folder).toStdString());
    }
    return options;
}

bool ClassroomPolicy::applyToRuntime(QString *error) const
{
    if (!safeMode)
        return true;
    const QStringList writable = writableFolders();
    if (!QDir().mkpath(writable.first())) {
        if (error)
            *error = QStringLiteral("safe mode: cannot create the work folder %1").arg(writable.first());
        return false;
    }
    if (!Runtime::NodeProcess::setProcessOptions(safeModeNodeOptions(writable))) {
        if (error)
            *error = QStringLiteral("safe mode: the runtime was already started without it");
        return false;
    }
    return true;
}

QString ClassroomPolicy::safeModeDescription() const
{
    const QStringList writable = writableFolders();
    return QStringLiteral("Safe mode (set by your administrator): scripts may read files anywhere but write only "
                          "in %1 and %2; they cannot start other programs (child_process) or load native "
                          "addons. Worker threads and the network are allowed.")
        .arg(QDir::toNativeSeparators(writable.value(0)), QDir::toNativeSeparators(writable.value(1)));
}

} // namespace Loopscope::App
