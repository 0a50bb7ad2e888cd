#pragma once
// Trace — the append-only record of what one run's event loop did: the contract between the
// runtime (which writes it) and everything that shows it (which reads it, even while it grows).
//
// A trace is a set of writers, one per recording thread (the loop thread, each pool worker).
// Each writer appends fixed-size 32-byte records to its own chain of chunks and publishes each
// record with a release store of the chunk's count: no lock on the append path, and any thread
// may read everything published so far. Strings (resource types, file names, thread names) are
// interned once and referred to by id. When the trace's byte budget is spent, appends are
// dropped and counted — never silently: dropped() says how many, per writer and in total.
//
// Threads: addWriter(), intern(), string(), readers and statistics may be called from any
// thread. A TraceWriter's append functions must only be called by the one thread that owns it.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Loopscope::Runtime {

// What a record says. Values are stable: they are what a saved trace means.
enum class TraceKind : std::uint8_t {
    None = 0,
    IterationStart = 1,   // b: iteration number (1-based)
    IterationEnd = 2,     // b: iteration number
    PhaseEnter = 3,       // detail: LoopPhase
    PollEnd = 4,          // b: ns the poll phase spent blocked in the kernel
    AsyncInit = 5,        // a: type (string id), b: asyncId, c: triggerAsyncId; flags in detail
    AsyncSource = 6,      // continuation of AsyncInit: a: file (string id, 0 = none),
                          //   b: line << 32 | column, c: timer delay ms << 1 | repeat (or ~0)
    CallbackBefore = 7,   // detail: CallbackQueue, b: asyncId
    CallbackAfter = 8,    // detail: CallbackQueue, b: asyncId
    AsyncDestroy = 9,     // b: asyncId
    PromiseResolve = 10,  // b: asyncId
    PoolSubmit = 11,      // b: work id, a: what (string id)
    PoolStart = 12,       // b: work id (recorded on the worker's own writer)
    PoolFinish = 13,      // b: work id (worker's writer)
    PoolComplete = 14,    // b: work id (loop thread: the completion callback starts)
    ConsoleWrite = 15,    // detail: 1 stdout / 2 stderr, a: length in bytes
    ConsoleBytes = 16,    // continuation of ConsoleWrite: up to 20 first bytes in a, b, c
    // 17 is reserved (an in-band drop record); drops are counted per writer instead.
    AsyncName = 18,       // continuation of AsyncInit/AsyncSource, only when known: a: the
                          //   callback's function name (string id), b: asyncId. From the resource
                          //   at init: Timeout._onTimeout, Immediate._onImmediate,
                          //   TickObject.callback (anonymous functions have none).
    StepPause = 19,       // step mode paused before a callback: detail: CallbackQueue, a: type
                          //   (string id), b: asyncId, c: step number. Its CallbackBefore follows
                          //   once the run goes on; the time between is the pause, not loop time.
    CloseRequest = 20,    // a handle's close was requested with a callback (uv_close): that callback
                          //   runs in a later close phase. a: the callback's function name (string
                          //   id, 0: it has none), b: the handle's asyncId. Its CallbackBefore
                          //   (queue Close) follows when the close phase runs it.
    TimerRearm = 21,      // a Timeout was re-armed by timeout.refresh(): it is due one delay after
                          //   this (a refresh of a timer that already ran makes it run again). b:
                          //   its asyncId. A timer's creation is its first arming (AsyncInit).
};

// libuv's loop phases (docs/src/design.rst), in the order one iteration runs them as Node
// describes it (timers first).
enum class LoopPhase : std::uint8_t {
    None = 0, Timers, Pending, IdlePrepare, Poll, Check, Close,
};

// Where a callback was dequeued from: a libuv phase, or one of Node's two JS queues, or the
// main module's own synchronous run.
enum class CallbackQueue : std::uint8_t {
    None = 0, Timers, Pending, IdlePrepare, Poll, Check, Close, NextTick, Microtask, Main,
};

// AsyncInit flags (record.detail).
enum TraceInitFlag : std::uint8_t {
    TraceInitInternal = 1,  // created by the runtime's own output path, not by the script
};

// AsyncSource flags (record.detail).
enum TraceSourceFlag : std::uint8_t {
    // A derived promise (then, await) in a free run: the site is the promise's it came from, not
    // its own creating frame (TraceRecorder::onPromiseHook).
    TraceSourceInherited = 1,
};

const char *loopPhaseName(LoopPhase phase);        // "timers", "pending", "idle/prepare", ...
const char *callbackQueueName(CallbackQueue queue); // phase names, "nextTick", "microtask", "main"
const char *traceKindName(TraceKind kind);

struct TraceRecord {
    std::uint64_t timeNs = 0;   // Trace::now(): CLOCK_MONOTONIC ns, one clock for all threads
    TraceKind kind = TraceKind::None;
    std::uint8_t detail = 0;    // phase, queue, stream or flags, by kind
    std::uint16_t thread = 0;   // the writer's index in its trace
    std::uint32_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t c = 0;
};
static_assert(sizeof(TraceRecord) == 32, "records are 32 bytes: keep the average under 48");

class Trace;

// One thread's append end. Obtain with Trace::addWriter(); it lives as long as its trace.
class TraceWriter final {
public:
    // Appends one record stamped now. Returns false (and counts a drop) when the budget is spent.
    bool append(TraceKind kind, std::uint8_t detail = 0, std::uint32_t a = 0, std::uint64_t b = 0,
                std::uint64_t c = 0);
    // Appends a record with an explicit time (imports, tests).
    bool appendAt(std::uint64_t timeNs, TraceKind kind, std::uint8_t detail, std::uint32_t a,
                  std::uint64_t b, std::uint64_t c);
    // Appends a ConsoleWrite and its ConsoleBytes continuation.
    void appendConsoleWrite(int stream, std::string_view bytes);

    std::uint16_t index() const { return m_index; }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }

private:
    friend class Trace;
    struct Chunk;
    TraceWriter(Trace *trace, std::uint16_t index) : m_trace(trace), m_index(index) {}
    bool reserveSlot();

    Trace *const m_trace;
    const std::uint16_t m_index;
    Chunk *m_tail = nullptr;                 // writer thread only
    std::atomic<Chunk *> m_head{nullptr};    // published once
    std::atomic<std::uint64_t> m_dropped{0};
};

class Trace final {
public:
    static constexpr std::size_t kChunkRecords = 2048;  // 64 KiB per chunk

    // budgetBytes: records beyond it are dropped (and counted).
    explicit Trace(std::size_t budgetBytes = std::size_t(256) << 20);
    ~Trace();
    Trace(const Trace &) = delete;
    Trace &operator=(const Trace &) = delete;

    static std::uint64_t now();  // the trace clock

    // Unique in this process, never reused (unlike the address of a trace that has gone).
    std::uint64_t serial() const { return m_serial; }

    // A new writer for the calling thread, named for display ("loop", "worker 3"). Never null
    // unless the trace already has 65535 writers.
    TraceWriter *addWriter(std::string_view threadName);

    // Interns `s`; equal strings get equal ids. Id 0 is the empty string.
    std::uint32_t intern(std::string_view s);
    std::string string(std::uint32_t id) const;  // "" for an unknown id
    std::uint32_t find(std::string_view s) const; // the id of an interned string, else 0

    // Readers: everything published so far. forEach visits each writer's records in append order;
    // records() merges all writers by time (stable: equal times keep writer order).
    std::size_t writerCount() const;
    std::string writerName(std::uint16_t index) const;
    void forEach(std::uint16_t writer, const std::function<void(const TraceRecord &)> &visit) const;
    // Visits `writer`'s published records from its `first` one on, at most `limit` of them;
    // returns the position to continue from next time. For incremental readers of a live trace.
    std::size_t forEachFrom(std::uint16_t writer, std::size_t first,
                            const std::function<void(const TraceRecord &)> &visit,
                            std::size_t limit = std::size_t(-1)) const;
    std::vector<TraceRecord> records() const;
    // Visits the same records in the same order as records(), without copying them: a merge of
    // the writers by time (stable: equal times keep writer order, then append order). The
    // references stay valid as long as the trace. Needs each writer's own records in time order,
    // as Trace::now() stamps them on one thread; if one writer's are not (appendAt with earlier
    // times, as a test may write), it visits nothing and returns false: sort a copy instead.
    bool forEachInTimeOrder(const std::function<void(const TraceRecord &)> &visit) const;

    std::uint64_t recordCount() const;  // published records, all writers
    std::uint64_t dropped() const;      // dropped records, all writers
    std::uint64_t writerDropped(std::uint16_t index) const;
    std::size_t bytesUsed() const;      // bytes of published records

private:
    friend class TraceWriter;
    bool takeChunkBudget();

    const std::uint64_t m_serial;
    const std::size_t m_budgetChunks;
    std::atomic<std::size_t> m_chunksTaken{0};
    mutable std::mutex m_mutex;  // writers list and string table; never taken by append
    std::vector<std::unique_ptr<TraceWriter>> m_writers;
    std::vector<std::string> m_writerNames;
    std::vector<std::string> m_strings;
    std::unordered_map<std::string, std::uint32_t> m_stringIds;
};

} // namespace Loopscope::Runtime
