#include "threadpooltrace.h"

#include "trace.h"

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace Loopscope::Runtime::ThreadPoolTrace {

namespace {

enum WorkKind { WorkCpu = 0, WorkFastIo = 1, WorkSlowIo = 2 };  // libuv's enum uv__work_kind

struct Loop {
    Trace *trace;
    TraceWriter *writer;
};

struct Work {
    Trace *trace;
    TraceWriter *loopWriter;
    std::uint64_t id;
    void (*work)(uv__work *);
    void (*done)(uv__work *, int);
    uv_work_cb workCb;
    uv_after_work_cb afterCb;
};

std::mutex g_mutex;  // the two tables; never held while user work runs
std::unordered_map<uv_loop_t *, Loop> g_loops;
std::unordered_map<const void *, Work> g_work;  // by uv__work* or uv_work_t*
std::atomic<std::uint64_t> g_nextId{1};
std::atomic<int> g_workers{0};
std::atomic<bool> g_intercepted{false};

bool tracedLoop(uv_loop_t *loop, Loop *out)
{
    std::lock_guard lock(g_mutex);
    auto it = g_loops.find(loop);
    if (it == g_loops.end())
        return false;
    *out = it->second;
    return true;
}

Work takeWork(const void *key, bool erase)
{
    std::lock_guard lock(g_mutex);
    auto it = g_work.find(key);
    Work w = it->second;
    if (erase)
        g_work.erase(it);
    return w;
}

// The calling worker thread's writer in `trace`, added on first use.
TraceWriter *workerWriter(Trace *trace)
{
    thread_local int ordinal = ++g_workers;
    // By serial, not address: a later trace may be allocated where a finished one was.
    thread_local std::vector<std::pair<std::uint64_t, TraceWriter *>> writers;
    for (auto &[serial, w] : writers)
        if (serial == trace->serial())
            return w;
    TraceWriter *w = trace->addWriter("worker " + std::to_string(ordinal));
    if (writers.size() >= 64)
        writers.erase(writers.begin());  // finished runs' traces: forget the oldest
    writers.emplace_back(trace->serial(), w);
    return w;
}

const char *fsName(uv_fs_type type)
{
    static const char *const names[] = {
        "custom", "open", "close", "read", "write", "sendfile", "stat", "lstat", "fstat", "ftruncate",
        "utime", "futime", "access", "chmod", "fchmod", "fsync", "fdatasync", "unlink", "rmdir", "mkdir",
        "mkdtemp", "rename", "scandir", "link", "symlink", "readlink", "chown", "fchown", "realpath",
        "copyfile", "lchown", "opendir", "readdir", "closedir", "statfs", "mkstemp", "lutime"};
    const int i = int(type);
    return i >= 0 && i < int(std::size(names)) ? names[i] : "unknown";
}

void runTraced(Work w, auto &&call)
{
    TraceWriter *out = w.trace ? workerWriter(w.trace) : nullptr;
    if (out)
        out->append(TraceKind::PoolStart, 0, 0, w.id);
    call();
    if (out)
        out->append(TraceKind::PoolFinish, 0, 0, w.id);
}

void tracedWork(uv__work *req)
{
    const Work w = takeWork(req, false);
    runTraced(w, [&] { w.work(req); });
}

void tracedDone(uv__work *req, int status)
{
    const Work w = takeWork(req, true);
    w.loopWriter->append(TraceKind::PoolComplete, 0, 0, w.id, std::uint64_t(std::int64_t(status)));
    w.done(req, status);
}

void tracedQueueWork(uv_work_t *req)
{
    const Work w = takeWork(req, false);
    runTraced(w, [&] { w.workCb(req); });
}

void tracedAfterWork(uv_work_t *req, int status)
{
    const Work w = takeWork(req, true);
    w.loopWriter->append(TraceKind::PoolComplete, 0, 0, w.id, std::uint64_t(std::int64_t(status)));
    if (w.afterCb)
        w.afterCb(req, status);
}

} // namespace

bool available()
{
    return g_intercepted.load();
}

void attach(uv_loop_t *loop, Trace *trace, TraceWriter *loopWriter)
{
    std::lock_guard lock(g_mutex);
    g_loops[loop] = {trace, loopWriter};
}

void detach(uv_loop_t *loop)
{
    std::lock_guard lock(g_mutex);
    g_loops.erase(loop);
}

} // namespace Loopscope::Runtime::ThreadPoolTrace

using namespace Loopscope::Runtime;
using namespace Loopscope::Runtime::ThreadPoolTrace;

extern "C" {

void __real_uv__work_submit(uv_loop_t *loop, uv__work *w, int kind, void (*work)(uv__work *),
                            void (*done)(uv__work *, int));
int loopscope_real_uv_queue_work(uv_loop_t *loop, uv_work_t *req, uv_work_cb work_cb, uv_after_work_cb after_work_cb);

// Every uv__work_submit outside threadpool.o comes here (the linker's --wrap).
void __wrap_uv__work_submit(uv_loop_t *loop, uv__work *w, int kind, void (*work)(uv__work *),
                            void (*done)(uv__work *, int))
{
    g_intercepted = true;
    Loop traced;
    if (!tracedLoop(loop, &traced)) {
        __real_uv__work_submit(loop, w, kind, work, done);
        return;
    }
    std::string what;
    if (kind == WorkFastIo)  // only uv_fs_* submits fast I/O
        what = std::string("fs.") + fsName(reinterpret_cast<uv_fs_t *>(reinterpret_cast<char *>(w) - offsetof(uv_fs_t, work_req))->fs_type);
    else if (kind == WorkSlowIo)
        what = "dns";
    else
        what = "cpu";
    const std::uint64_t id = g_nextId++;
    {
        std::lock_guard lock(g_mutex);
        g_work[w] = Work{traced.trace, traced.writer, id, work, done, nullptr, nullptr};
    }
    traced.writer->append(TraceKind::PoolSubmit, std::uint8_t(kind), traced.trace->intern(what), id);
    __real_uv__work_submit(loop, w, kind, &tracedWork, &tracedDone);
}

// Replaces libuv's uv_queue_work (renamed in our copy of the archive).
int uv_queue_work(uv_loop_t *loop, uv_work_t *req, uv_work_cb work_cb, uv_after_work_cb after_work_cb)
{
    g_intercepted = true;
    Loop traced;
    if (work_cb == nullptr || !tracedLoop(loop, &traced))
        return loopscope_real_uv_queue_work(loop, req, work_cb, after_work_cb);
    const std::uint64_t id = g_nextId++;
    {
        std::lock_guard lock(g_mutex);
        g_work[req] = Work{traced.trace, traced.writer, id, nullptr, nullptr, work_cb, after_work_cb};
    }
    traced.writer->append(TraceKind::PoolSubmit, WorkCpu, traced.trace->intern("work"), id);
    const int rc = loopscope_real_uv_queue_work(loop, req, &tracedQueueWork, &tracedAfterWork);
    if (rc != 0) {
        std::lock_guard lock(g_mutex);
        g_work.erase(req);
    }
    return rc;
}

} // extern "C"
