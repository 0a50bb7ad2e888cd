#pragma once
// ThreadPoolModel — libuv's thread pool at one moment of a trace: which task each worker runs,
// which tasks wait in the queue (submitted, not started), which finished on a worker and wait
// for their completion callback on the loop, and how many are done. A pure function of
// (TraceIndex, time), kept apart from painting so it is tested without pixels. No widgets.

#include <QString>

#include <cstdint>
#include <vector>

namespace Loopscope::Runtime { class TraceIndex; }

namespace Loopscope::ThreadPool {

class ThreadPoolModel final {
public:
    enum class TaskState { NotYet, Queued, Running, Finished, Completed };

    // The index must outlive the model's use of it (null: no trace). Call again after it grew:
    // labels and the activity window are worked out here, once, not per frame.
    void setIndex(const Runtime::TraceIndex *index);
    const Runtime::TraceIndex *index() const { return m_index; }
    void setTime(std::uint64_t ns);
    std::uint64_t time() const { return m_time; }

    // Workers: the pool's size as the trace knows it, or more if more lanes were seen.
    int laneCount() const { return int(m_laneTasks.size()); }
    int poolSize() const { return m_poolSize; }
    // Per lane: the task (index into the index's poolTasks) running at time(), or -1 (idle).
    const std::vector<int> &laneTasks() const { return m_laneTasks; }
    int busyLanes() const;
    // Submitted but not started at time(), in submission (first in, first out) order.
    const std::vector<int> &queuedTasks() const { return m_queued; }
    // Finished on a worker, completion callback not yet run on the loop.
    const std::vector<int> &finishedTasks() const { return m_finished; }
    int completedTasks() const { return m_completed; }
    int taskCount() const;

    TaskState stateAt(int task, std::uint64_t ns) const;
    // What a task does: "fs.open", "dns.lookup", "pbkdf2", "zlib", ... A uv_queue_work task
    // ("work") is named after the resource whose callback completes it, when known.
    const QString &taskLabel(int task) const;
    // The time range with pool activity (first submission to last completion), or the trace's.
    std::uint64_t activityStartNs() const { return m_activityStart; }
    std::uint64_t activityEndNs() const { return m_activityEnd; }
    // "4 workers · 4 busy · 2 queued · 0 waiting for the loop · 0 done"
    QString summary() const;

    // The kind name for a submission's `what` and its completing resource type (may be empty).
    static QString kindLabel(const QString &what, const QString &resourceType);

private:
    const Runtime::TraceIndex *m_index = nullptr;
    std::uint64_t m_time = 0;
    int m_poolSize = 0;
    std::vector<int> m_laneTasks;
    std::vector<int> m_queued;
    std::vector<int> m_finished;
    int m_completed = 0;
    std::vector<QString> m_labels;  // per task
    std::uint64_t m_activityStart = 0, m_activityEnd = 0;
};

} // namespace Loopscope::ThreadPool
