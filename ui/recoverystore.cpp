#include "recoverystore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Loopscope::Ui {

RecoveryStore::RecoveryStore(QString path) : m_path(std::move(path)) {}

bool RecoveryStore::save(const Snapshot &snapshot)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QJsonObject o{{QStringLiteral("file"), snapshot.filePath}, {QStringLiteral("text"), snapshot.text}};
    file.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    return file.commit();
}

std::optional<RecoveryStore::Snapshot> RecoveryStore::load() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    return Snapshot{o.value(QStringLiteral("file")).toString(), o.value(QStringLiteral("text")).toString()};
}

void RecoveryStore::clear()
{
    QFile::remove(m_path);
}

} // namespace Loopscope::Ui
