#include "wineregistry.h"

#include <QFile>

#include <cctype>

namespace {

// Undoes Wine's escapes in a key path or a quoted string (\\ \" \n \r \t \0 \xHHHH).
QString unescape(QStringView s)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] != QLatin1Char('\\') || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const QChar c = s[++i];
        if (c == QLatin1Char('n'))
            out += QLatin1Char('\n');
        else if (c == QLatin1Char('r'))
            out += QLatin1Char('\r');
        else if (c == QLatin1Char('t'))
            out += QLatin1Char('\t');
        else if (c == QLatin1Char('0'))
            out += QChar(0);
        else if (c == QLatin1Char('x')) {
            qsizetype j = i + 1;
            while (j < s.size() && j < i + 5 && isxdigit(s[j].toLatin1()))
                ++j;
            out += QChar(s.mid(i + 1, j - i - 1).toUShort(nullptr, 16));
            i = j - 1;
        } else
            out += c;  // \\ and \" and anything else: the character itself
    }
    return out;
}

// The end of the quoted string that starts at `from` (the index of its closing quote), or -1.
qsizetype closingQuote(QStringView s, qsizetype from)
{
    for (qsizetype i = from + 1; i < s.size(); ++i) {
        if (s[i] == QLatin1Char('\\'))
            ++i;
        else if (s[i] == QLatin1Char('"'))
            return i;
    }
    return -1;
}

} // namespace

bool WineRegistry::load(const QString &path, QString *error)
{
    m_keys.clear();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    if (lines.isEmpty() || !lines.first().startsWith(QLatin1String("WINE REGISTRY Version"))) {
        if (error)
            *error = QStringLiteral("%1 is not a Wine registry file").arg(path);
        return false;
    }
    Key *current = nullptr;
    for (qsizetype n = 1; n < lines.size(); ++n) {
        QString line = lines[n];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.isEmpty() || line.startsWith(QLatin1Char(';')) || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('['))) {
            const qsizetype close = line.lastIndexOf(QLatin1Char(']'));
            const QString keyPath = unescape(QStringView(line).mid(1, close - 1));
            // Wine leaves out a key with subkeys and no values: its subkeys imply it.
            for (qsizetype sep = keyPath.indexOf(QLatin1Char('\\')); sep > 0; sep = keyPath.indexOf(QLatin1Char('\\'), sep + 1)) {
                Key &ancestor = m_keys[keyPath.left(sep).toLower()];
                if (ancestor.path.isEmpty())
                    ancestor.path = keyPath.left(sep);
            }
            Key &key = m_keys[keyPath.toLower()];
            key.path = keyPath;
            current = &key;
            continue;
        }
        if (!current)
            continue;
        // Hex values carry on over lines ending in a backslash.
        while (line.endsWith(QLatin1Char('\\')) && n + 1 < lines.size()) {
            line.chop(1);
            line += lines[++n].trimmed();
        }
        QString name;
        qsizetype eq = -1;
        if (line.startsWith(QLatin1Char('@'))) {
            eq = 1;
        } else if (line.startsWith(QLatin1Char('"'))) {
            const qsizetype end = closingQuote(line, 0);
            if (end < 0)
                continue;
            name = unescape(QStringView(line).mid(1, end - 1));
            eq = end + 1;
        }
        if (eq < 0 || eq >= line.size() || line[eq] != QLatin1Char('='))
            continue;
        QString value = line.mid(eq + 1);
        if (value.startsWith(QLatin1Char('"'))) {
            const qsizetype end = closingQuote(value, 0);
            value = unescape(QStringView(value).mid(1, end < 0 ? value.size() - 1 : end - 1));
        }
        current->values.insert(name, value);
    }
    return true;
}

QStringList WineRegistry::keys() const
{
    QStringList all;
    for (const Key &k : m_keys)
        all.append(k.path);
    all.sort(Qt::CaseInsensitive);
    return all;
}

bool WineRegistry::hasKey(const QString &key) const
{
    return m_keys.contains(key.toLower());
}

QMap<QString, QString> WineRegistry::values(const QString &key) const
{
    return m_keys.value(key.toLower()).values;
}

QStringList WineRegistry::contentLines() const
{
    QStringList lines;
    for (const QString &path : keys()) {
        const Key &k = m_keys[path.toLower()];
        lines.append(QLatin1Char('[') + k.path + QLatin1Char(']'));
        for (auto it = k.values.cbegin(); it != k.values.cend(); ++it)
            lines.append(k.path + QLatin1String(" : ") + (it.key().isEmpty() ? QStringLiteral("@") : it.key())
                         + QLatin1Char('=') + it.value());
    }
    return lines;
}
