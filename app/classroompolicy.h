#pragma once
// classroompolicy — the options a school's administrator sets for every user of a machine:
// an extra lessons folder (LessonsDir) and safe mode (SafeMode). Read from system-wide settings,
// which users cannot change: HKLM\Software\Loopscope on Windows (written by the installer's
// /LESSONS= and /SAFEMODE= options), /etc/xdg/Loopscope/Loopscope.conf on Linux, keys at the top
// level (see docs/windows.md and docs/ide.md).
//
// $LOOPSCOPE_POLICY_FILE names an extra INI file (tests, trying a policy out). It can only add
// restrictions: safe mode is on if either source turns it on, and the system's folders win.
//
// Safe mode (process-wide, fixed at start-up: Node's permission model takes its flags once per
// process) lets scripts read any file but write only inside the work folder and the temp
// folder; it forbids child processes, native addons and the inspector; worker threads stay
// allowed. Network access is not restricted (Node 24's permission model has no network scope).
// Plain Qt Core; call from the main thread before the first run.

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace Loopscope::App {

struct ClassroomPolicy {
    QString lessonsDir;   // LessonsDir: a teachers' lessons folder for every user; empty: none
    bool safeMode = false;
    QString workDir;      // WorkDir: where safe-mode scripts may write; default documentsWorkDir()
    QStringList sources;  // the settings files or registry keys it was read from, for messages

    // The administrator's policy (system scope), tightened by $LOOPSCOPE_POLICY_FILE if set.
    static ClassroomPolicy load();
    // One settings source: an INI file (tests) or the native system-scope settings when empty.
    static ClassroomPolicy read(const QString &iniFile = {});
    // `a` tightened by `b`: safe mode if either has it; `a`'s folders unless it has none.
    static ClassroomPolicy merged(const ClassroomPolicy &a, const ClassroomPolicy &b);

    static QString documentsWorkDir();  // <Documents>/Loopscope
    static QString systemSettingsLocation();

    // The lessons folders of the course: the shipped one, then the administrator's LessonsDir.
    QStringList lessonsDirectories(const QString &shippedDir) const;

    // The folders safe mode lets scripts write into: the work folder and the temp folder.
    QStringList writableFolders() const;
    // Node options that enforce safe mode for `writable` folders (absolute, existing).
    static std::vector<std::string> safeModeNodeOptions(const QStringList &writable);
    // Applies safe mode to this process's runtime (NodeProcess) if it is on: creates the work
    // folder and sets Node's options. Must run before the first run. Returns false with `error`
    // if safe mode is on but cannot be enforced (the caller must not run scripts then).
    bool applyToRuntime(QString *error) const;

    // For people: what safe mode allows, one sentence each.
    QString safeModeDescription() const;
};

} // namespace Loopscope::App
