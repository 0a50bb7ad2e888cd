#pragma once
// RecoveryStore — unsaved editor text kept in a file so a crash or a killed session loses at
// most a few seconds of typing. The text is offered back on the next start, never run.
// GUI thread only; writes are atomic (QSaveFile).

#include <QString>

#include <optional>

namespace Loopscope::Ui {

class RecoveryStore final {
public:
    struct Snapshot {
        QString filePath;  // the document's file, empty for an untitled one
        QString text;
    };

    explicit RecoveryStore(QString path);
    QString path() const { return m_path; }

    bool save(const Snapshot &snapshot);
    std::optional<Snapshot> load() const;
    void clear();

private:
    QString m_path;
};

} // namespace Loopscope::Ui
