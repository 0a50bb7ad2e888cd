#pragma once
// Small file helpers shared by the Qt tests: each test writes its own scripts and settings into a
// temporary folder.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace Loopscope::Test {

// Writes `bytes` to `dir/name` and returns the file's path. A test that cannot write its own
// input has nothing to test, so this stops the test program with the reason.
inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

} // namespace Loopscope::Test
