#pragma once
// wineregistry — reads a Wine prefix's registry hive files (system.reg = HKLM, user.reg = HKCU).
//
// Wine keeps each hive as text: a "[Key\\Path] timestamp" header, then its values, one per line
// ("name"=value, @=value for the default; long hex values continue on lines ending in '\').
// Key paths compare case-insensitively, as Windows does.

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

class WineRegistry {
public:
    // Parses `path`; false (with `error` set) if it cannot be read or is not a Wine hive.
    bool load(const QString &path, QString *error = nullptr);

    // Key paths as Windows spells them, single backslashes: "Software\Loopscope". Keys the file
    // leaves out because their subkeys imply them are included.
    QStringList keys() const;
    bool hasKey(const QString &key) const;
    // A key's values: name (empty for the default value) -> value as the file writes it,
    // with a string's quotes and escapes removed ("dword:00000001" stays as it is).
    QMap<QString, QString> values(const QString &key) const;
    // Each key with its values, one line per value, timestamps left out: for diffs.
    QStringList contentLines() const;

private:
    struct Key {
        QString path;
        QMap<QString, QString> values;
    };
    QHash<QString, Key> m_keys;  // by lower-cased path
};
