#include "threadpoolmodel.h"

#include "traceindex.h"

#include <QCoreApplication>

#include <algorithm>

namespace Loopscope::ThreadPool {

void ThreadPoolModel::setIndex(const Runtime::TraceIndex *index)
{
    m_index = index;
    m_labels.clear();
    m_activityStart = m_activityEnd = 0;
    if (index) {
        std::uint64_t first = UINT64_MAX, last = 0;
        const auto &tasks = index->poolTasks();
        m_labels.reserve(tasks.size());
        QString work, type;
        for (const auto &t : tasks) {
            // A task's label can change once its completion callback is known (live runs).
            QString resourceType;
            if (t.completeCallback >= 0 && std::size_t(t.completeCallback) < index->callbacks().size())
                if (const auto *r = index->resource(index->callbacks()[std::size_t(t.completeCallback)].asyncId))
                    resourceType = QString::fromStdString(index->string(r->type));
            m_labels.push_back(kindLabel(QString::fromStdString(index->string(t.what)), resourceType));
            if (t.submitNs)
                first = std::min(first, t.submitNs);
            last = std::max({last, t.submitNs, t.startNs, t.finishNs, t.completeNs});
        }
        if (first == UINT64_MAX) {
            first = index->startNs();
            last = index->endNs();
        }
        m_activityStart = first;
        m_activityEnd = std::max(last, first + 1);
    }
    setTime(m_time);
}

int ThreadPoolModel::taskCount() const
{
    return m_index ? int(m_index->poolTasks().size()) : 0;
}

ThreadPoolModel::TaskState ThreadPoolModel::stateAt(int task, std::uint64_t ns) const
{
    const auto &t = m_index->poolTasks()[std::size_t(task)];
    // A time of 0 has not happened yet (a live run's task still on its way).
    auto reached = [ns](std::uint64_t at) { return at != 0 && at <= ns; };
    if (!reached(t.submitNs))
        return TaskState::NotYet;
    if (!reached(t.startNs))
        return TaskState::Queued;
    if (!reached(t.finishNs))
        return TaskState::Running;
    if (!reached(t.completeNs))
        return TaskState::Finished;
    return TaskState::Completed;
}

void ThreadPoolModel::setTime(std::uint64_t ns)
{
    m_time = ns;
    m_queued.clear();
    m_finished.clear();
    m_completed = 0;
    m_poolSize = m_index ? std::max(0, m_index->poolSize()) : 0;
    int lanes = m_poolSize;
    const int count = taskCount();
    for (int i = 0; i < count; ++i)
        lanes = std::max(lanes, m_index->poolTasks()[std::size_t(i)].lane + 1);
    m_laneTasks.assign(std::size_t(lanes), -1);
    for (int i = 0; i < count; ++i) {
        switch (stateAt(i, ns)) {
        case TaskState::NotYet: break;
        case TaskState::Queued: m_queued.push_back(i); break;
        case TaskState::Running:
            if (const int lane = m_index->poolTasks()[std::size_t(i)].lane; lane >= 0)
                m_laneTasks[std::size_t(lane)] = i;
            break;
        case TaskState::Finished: m_finished.push_back(i); break;
        case TaskState::Completed: ++m_completed; break;
        }
    }
    if (m_index) {
        const auto &tasks = m_index->poolTasks();
        std::stable_sort(m_queued.begin(), m_queued.end(),
                         [&tasks](int a, int b) { return tasks[std::size_t(a)].submitNs < tasks[std::size_t(b)].submitNs; });
    }
}

int ThreadPoolModel::busyLanes() const
{
    return int(std::count_if(m_laneTasks.begin(), m_laneTasks.end(), [](int t) { return t >= 0; }));
}

QString ThreadPoolModel::kindLabel(const QString &what, const QString &resourceType)
{
    if (what == QLatin1String("dns")) {
        if (resourceType == QLatin1String("GETNAMEINFOREQWRAP"))
            return QStringLiteral("dns.lookupService");
        return QStringLiteral("dns.lookup");
    }
    if (what != QLatin1String("work") || resourceType.isEmpty())
        return what;
    // Node's crypto and zlib jobs name their async resources FOOREQUEST / ZLIB.
    static const struct { const char *type, *label; } known[] = {
        {"PBKDF2REQUEST", "pbkdf2"}, {"SCRYPTREQUEST", "scrypt"}, {"RANDOMBYTESREQUEST", "randomBytes"},
        {"RANDOMPRIMEREQUEST", "generatePrime"}, {"CHECKPRIMEREQUEST", "checkPrime"},
        {"KEYPAIRGENREQUEST", "generateKeyPair"}, {"KEYGENREQUEST", "generateKey"}, {"HKDFREQUEST", "hkdf"},
        {"SIGNREQUEST", "sign"}, {"VERIFYREQUEST", "verify"}, {"HASHREQUEST", "hash"},
        {"CIPHERREQUEST", "cipher"}, {"DERIVEBITSREQUEST", "deriveBits"}, {"ZLIB", "zlib"},
    };
    for (const auto &k : known)
        if (resourceType == QLatin1String(k.type))
            return QLatin1String(k.label);
    QString label = resourceType.toLower();
    if (label.endsWith(QLatin1String("request")))
        label.chop(7);
    return label;
}

const QString &ThreadPoolModel::taskLabel(int task) const
{
    static const QString none;
    return task >= 0 && std::size_t(task) < m_labels.size() ? m_labels[std::size_t(task)] : none;
}

QString ThreadPoolModel::summary() const
{
    auto tr = [](const char *s) { return QCoreApplication::translate("Loopscope::ThreadPool", s); };
    return tr("%1 workers · %2 busy · %3 queued · %4 waiting for the loop · %5 done")
        .arg(m_poolSize > 0 ? m_poolSize : laneCount())
        .arg(busyLanes())
        .arg(m_queued.size())
        .arg(m_finished.size())
        .arg(m_completed);
}

} // namespace Loopscope::ThreadPool
