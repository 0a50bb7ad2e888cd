#include "trace.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <queue>
#include <tuple>

namespace Loopscope::Runtime {

const char *loopPhaseName(LoopPhase phase)
{
    switch (phase) {
    case LoopPhase::None: return "none";
    case LoopPhase::Timers: return "timers";
    case LoopPhase::Pending: return "pending";
    case LoopPhase::IdlePrepare: return "idle/prepare";
    case LoopPhase::Poll: return "poll";
    case LoopPhase::Check: return "check";
    case LoopPhase::Close: return "close";
    }
    return "?";
}

const char *callbackQueueName(CallbackQueue queue)
{
    switch (queue) {
    case CallbackQueue::None: return "none";
    case CallbackQueue::Timers: return "timers";
    case CallbackQueue::Pending: return "pending";
    case CallbackQueue::IdlePrepare: return "idle/prepare";
    case CallbackQueue::Poll: return "poll";
    case CallbackQueue::Check: return "check";
    case CallbackQueue::Close: return "close";
    case CallbackQueue::NextTick: return "nextTick";
    case CallbackQueue::Microtask: return "microtask";
    case CallbackQueue::Main: return "main";
    }
    return "?";
}

const char *traceKindName(TraceKind kind)
{
    switch (kind) {
    case TraceKind::None: return "none";
    case TraceKind::IterationStart: return "iterationStart";
    case TraceKind::IterationEnd: return "iterationEnd";
    case TraceKind::PhaseEnter: return "phaseEnter";
    case TraceKind::PollEnd: return "pollEnd";
    case TraceKind::AsyncInit: return "asyncInit";
    case TraceKind::AsyncSource: return "asyncSource";
    case TraceKind::CallbackBefore: return "before";
    case TraceKind::CallbackAfter: return "after";
    case TraceKind::AsyncDestroy: return "destroy";
    case TraceKind::PromiseResolve: return "promiseResolve";
    case TraceKind::PoolSubmit: return "poolSubmit";
    case TraceKind::PoolStart: return "poolStart";
    case TraceKind::PoolFinish: return "poolFinish";
    case TraceKind::PoolComplete: return "poolComplete";
    case TraceKind::ConsoleWrite: return "consoleWrite";
    case TraceKind::ConsoleBytes: return "consoleBytes";
    case TraceKind::AsyncName: return "asyncName";
    case TraceKind::StepPause: return "stepPause";
    case TraceKind::CloseRequest: return "closeRequest";
    case TraceKind::TimerRearm: return "timerRearm";
    }
    return "?";
}

struct TraceWriter::Chunk {
    // The records are left unwritten until appended (each is written before count publishes it):
    // zeroing 64 KiB a chunk cost as much as a third of appending.
    Chunk() {}
    union {
        TraceRecord records[Trace::kChunkRecords];
    };
    std::atomic<std::uint32_t> count{0};   // records[0, count) are published
    std::atomic<Chunk *> next{nullptr};
};

static std::atomic<std::uint64_t> g_traceSerial{0};

Trace::Trace(std::size_t budgetBytes)
    : m_serial(++g_traceSerial)
    , m_budgetChunks(std::max<std::size_t>(1, budgetBytes / (kChunkRecords * sizeof(TraceRecord))))
{
    m_strings.emplace_back();
    m_stringIds.emplace(std::string(), 0);
}

Trace::~Trace()
{
    for (auto &w : m_writers) {
        TraceWriter::Chunk *c = w->m_head.load(std::memory_order_acquire);
        while (c) {
            TraceWriter::Chunk *next = c->next.load(std::memory_order_acquire);
            delete c;
            c = next;
        }
    }
}

std::uint64_t Trace::now()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000u + std::uint64_t(ts.tv_nsec);
}

TraceWriter *Trace::addWriter(std::string_view threadName)
{
    std::lock_guard lock(m_mutex);
    if (m_writers.size() >= 0xffff)
        return nullptr;
    m_writers.push_back(std::unique_ptr<TraceWriter>(new TraceWriter(this, std::uint16_t(m_writers.size()))));
    m_writerNames.emplace_back(threadName);
    return m_writers.back().get();
}

std::uint32_t Trace::intern(std::string_view s)
{
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_stringIds.emplace(std::string(s), std::uint32_t(m_strings.size()));
    if (inserted)
        m_strings.emplace_back(s);
    return it->second;
}

std::string Trace::string(std::uint32_t id) const
{
    std::lock_guard lock(m_mutex);
    return id < m_strings.size() ? m_strings[id] : std::string();
}

std::uint32_t Trace::find(std::string_view s) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_stringIds.find(std::string(s));
    return it == m_stringIds.end() ? 0 : it->second;
}

bool Trace::takeChunkBudget()
{
    std::size_t taken = m_chunksTaken.load(std::memory_order_relaxed);
    while (taken < m_budgetChunks) {
        if (m_chunksTaken.compare_exchange_weak(taken, taken + 1, std::memory_order_relaxed))
            return true;
    }
    return false;
}

bool TraceWriter::reserveSlot()
{
    if (m_tail && m_tail->count.load(std::memory_order_relaxed) < Trace::kChunkRecords)
        return true;
    if (!m_trace->takeChunkBudget())
        return false;
    auto *chunk = new Chunk;
    if (m_tail)
        m_tail->next.store(chunk, std::memory_order_release);
    else
        m_head.store(chunk, std::memory_order_release);
    m_tail = chunk;
    return true;
}

bool TraceWriter::appendAt(std::uint64_t timeNs, TraceKind kind, std::uint8_t detail, std::uint32_t a,
                           std::uint64_t b, std::uint64_t c)
{
    if (!reserveSlot()) {
        // The budget is the trace's, shared by its writers, and never comes back: from here on
        // this writer only counts (dropped(); the summary and the JSON report it).
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    const std::uint32_t n = m_tail->count.load(std::memory_order_relaxed);
    m_tail->records[n] = TraceRecord{timeNs, kind, detail, m_index, a, b, c};
    m_tail->count.store(n + 1, std::memory_order_release);
    return true;
}

bool TraceWriter::append(TraceKind kind, std::uint8_t detail, std::uint32_t a, std::uint64_t b, std::uint64_t c)
{
    return appendAt(Trace::now(), kind, detail, a, b, c);
}

void TraceWriter::appendConsoleWrite(int stream, std::string_view bytes)
{
    const std::uint64_t t = Trace::now();
    if (!appendAt(t, TraceKind::ConsoleWrite, std::uint8_t(stream), std::uint32_t(std::min<std::size_t>(bytes.size(), 0xffffffffu)), 0, 0))
        return;
    char head[20] = {};
    std::memcpy(head, bytes.data(), std::min(bytes.size(), sizeof head));
    std::uint32_t a;
    std::uint64_t b, c;
    std::memcpy(&a, head, 4);
    std::memcpy(&b, head + 4, 8);
    std::memcpy(&c, head + 12, 8);
    appendAt(t, TraceKind::ConsoleBytes, 0, a, b, c);
}

std::size_t Trace::writerCount() const
{
    std::lock_guard lock(m_mutex);
    return m_writers.size();
}

std::string Trace::writerName(std::uint16_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_writerNames.size() ? m_writerNames[index] : std::string();
}

void Trace::forEach(std::uint16_t writer, const std::function<void(const TraceRecord &)> &visit) const
{
    const TraceWriter *w;
    {
        std::lock_guard lock(m_mutex);
        if (writer >= m_writers.size())
            return;
        w = m_writers[writer].get();
    }
    for (const TraceWriter::Chunk *c = w->m_head.load(std::memory_order_acquire); c;
         c = c->next.load(std::memory_order_acquire)) {
        const std::uint32_t n = c->count.load(std::memory_order_acquire);
        for (std::uint32_t i = 0; i < n; ++i)
            visit(c->records[i]);
        if (n < Trace::kChunkRecords)
            break;  // the writer's current chunk: a next one may appear, but not before this fills
    }
}

std::size_t Trace::forEachFrom(std::uint16_t writer, std::size_t first,
                               const std::function<void(const TraceRecord &)> &visit, std::size_t limit) const
{
    const TraceWriter *w;
    {
        std::lock_guard lock(m_mutex);
        if (writer >= m_writers.size())
            return first;
        w = m_writers[writer].get();
    }
    std::size_t position = 0;  // index of the chunk's first record
    for (const TraceWriter::Chunk *c = w->m_head.load(std::memory_order_acquire); c;
         c = c->next.load(std::memory_order_acquire)) {
        const std::uint32_t n = c->count.load(std::memory_order_acquire);
        for (std::size_t i = first > position ? first - position : 0; i < n; ++i) {
            if (limit-- == 0)
                return position + i;
            visit(c->records[i]);
        }
        position += n;
        if (n < Trace::kChunkRecords)
            break;  // the writer's current chunk
    }
    return std::max(position, first);
}

std::vector<TraceRecord> Trace::records() const
{
    std::vector<TraceRecord> all;
    const std::size_t n = writerCount();
    for (std::size_t w = 0; w < n; ++w)
        forEach(std::uint16_t(w), [&](const TraceRecord &r) { all.push_back(r); });
    std::stable_sort(all.begin(), all.end(),
                     [](const TraceRecord &x, const TraceRecord &y) { return x.timeNs < y.timeNs; });
    return all;
}

bool Trace::forEachInTimeOrder(const std::function<void(const TraceRecord &)> &visit) const
{
    // One cursor per writer, on its published records as they are now (a writer that goes on
    // appending is followed up to the counts read here, chunk by chunk).
    struct Cursor {
        const TraceWriter::Chunk *chunk;
        std::uint32_t index;
        std::uint32_t count;
    };
    std::vector<Cursor> cursors;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &w : m_writers) {
            const TraceWriter::Chunk *c = w->m_head.load(std::memory_order_acquire);
            cursors.push_back({c, 0, c ? c->count.load(std::memory_order_acquire) : 0});
        }
    }
    auto advance = [](Cursor &cursor) {
        if (++cursor.index < cursor.count)
            return true;
        if (cursor.count < kChunkRecords)
            return false;  // the writer's current chunk
        cursor.chunk = cursor.chunk->next.load(std::memory_order_acquire);
        cursor.index = 0;
        cursor.count = cursor.chunk ? cursor.chunk->count.load(std::memory_order_acquire) : 0;
        return cursor.count > 0;
    };
    for (Cursor start : cursors) {
        if (start.count == 0)
            continue;
        std::uint64_t last = 0;
        do {
            const std::uint64_t t = start.chunk->records[start.index].timeNs;
            if (t < last)
                return false;
            last = t;
        } while (advance(start));
    }
    // Smallest (time, writer) first: the order a stable sort of writer 0's records, then writer
    // 1's, ... gives.
    using Head = std::pair<std::uint64_t, std::size_t>;
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    for (std::size_t w = 0; w < cursors.size(); ++w)
        if (cursors[w].count > 0)
            heads.emplace(cursors[w].chunk->records[0].timeNs, w);
    while (!heads.empty()) {
        const std::size_t w = heads.top().second;
        heads.pop();
        Cursor &cursor = cursors[w];
        // The writer's run of records until another writer's head is earlier.
        const std::uint64_t limit = heads.empty() ? ~std::uint64_t(0) : heads.top().first;
        const std::size_t limitWriter = heads.empty() ? 0 : heads.top().second;
        bool more = true;
        while (more) {
            visit(cursor.chunk->records[cursor.index]);
            more = advance(cursor);
            if (!more)
                break;
            const std::uint64_t t = cursor.chunk->records[cursor.index].timeNs;
            if (t > limit || (t == limit && w > limitWriter)) {
                heads.emplace(t, w);
                break;
            }
        }
    }
    return true;
}

std::uint64_t Trace::recordCount() const
{
    std::uint64_t total = 0;
    const std::size_t n = writerCount();
    for (std::size_t w = 0; w < n; ++w) {
        const TraceWriter *tw;
        {
            std::lock_guard lock(m_mutex);
            tw = m_writers[w].get();
        }
        for (const TraceWriter::Chunk *c = tw->m_head.load(std::memory_order_acquire); c;
             c = c->next.load(std::memory_order_acquire))
            total += c->count.load(std::memory_order_acquire);
    }
    return total;
}

std::uint64_t Trace::writerDropped(std::uint16_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_writers.size() ? m_writers[index]->dropped() : 0;
}

std::uint64_t Trace::dropped() const
{
    std::lock_guard lock(m_mutex);
    std::uint64_t total = 0;
    for (const auto &w : m_writers)
        total += w->dropped();
    return total;
}

std::size_t Trace::bytesUsed() const
{
    return std::size_t(recordCount()) * sizeof(TraceRecord);
}

} // namespace Loopscope::Runtime
