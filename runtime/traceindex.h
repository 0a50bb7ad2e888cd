#pragma once
// TraceIndex — an incremental, query-friendly view of one Trace that every pane reads.
//
// A Trace is a bag of per-thread record streams; panes need "what ran when": callbacks with
// their nesting and queue, resources by asyncId with where they were made, the loop's phases,
// thread-pool tasks on worker lanes, console writes tied to the callback that wrote them.
// update() consumes only what was published since its last call, so a pane can follow a live
// run cheaply (each record is read once); everything indexed is in time order and stays put, so
// indices into callbacks() are stable. The tables are ChunkedVectors: growing never copies them,
// so an update costs what the trace gained even at ten million callbacks.
//
// Records of the loop writer are consumed in append order (they are the loop's own sequence);
// worker records only touch pool tasks, which are keyed by work id, so a worker record read
// before the loop record it follows in time (published later) still lands on the right task.
//
// Threads: not thread-safe; one thread (typically the GUI's) owns an index. The Trace it reads
// may grow concurrently on other threads.

#include "chunkedvector.h"
#include "trace.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace Loopscope::Runtime {

struct IndexedCallback {
    std::uint64_t startNs = 0;
    std::uint64_t endNs = 0;     // 0: still running
    std::uint64_t asyncId = 0;
    int parent = -1;             // the enclosing callback's index, or -1
    int depth = 0;               // 0 for a callback the loop (or main) called directly
    std::uint32_t iteration = 0; // 0 before the loop's first iteration
    CallbackQueue queue = CallbackQueue::None;
    LoopPhase phase = LoopPhase::None;  // the loop phase it ran in (None for main and what
                                        // runs right after it)
};

struct IndexedResource {
    // Wide fields first, flags last: 88 bytes instead of 104 (ten million resources load).
    std::uint64_t asyncId = 0;
    std::uint64_t triggerAsyncId = 0;
    std::uint64_t initNs = 0;
    std::uint64_t destroyNs = 0;     // 0: not destroyed (yet)
    std::uint64_t resolveNs = 0;     // promises: when it resolved, 0 = not (yet)
    std::int64_t timerDelayMs = -1;  // -1: not a timer
    std::uint32_t type = 0;          // string id: "Timeout", "PROMISE", ...
    std::uint32_t file = 0;          // string id of the creating script, 0 = unknown
    std::uint32_t line = 0;          // 1-based, 0 = unknown
    std::uint32_t column = 0;
    std::uint32_t name = 0;          // string id of the callback's function name, 0 = unknown
    int firstCallback = -1;          // index into callbacks(), -1 = has not run
    int lastCallback = -1;
    std::uint32_t callbackCount = 0;
    bool timerRepeat = false;
    bool internal = false;           // made by the runtime's output path, not the script
};

struct IndexedPhase {
    std::uint32_t iteration = 0;
    LoopPhase phase = LoopPhase::None;
    std::uint64_t startNs = 0;
    std::uint64_t endNs = 0;      // 0: still in it
    std::uint64_t blockedNs = 0;  // poll: time blocked in the kernel
    bool endsIteration = false;   // the iteration's end closed it (its last phase; the run's
                                  // last iteration ends when the loop does)
};

struct IndexedPoolTask {
    std::uint64_t workId = 0;
    std::uint32_t what = 0;       // string id: "fs.open", "dns", "cpu", "work"
    std::uint64_t submitNs = 0, startNs = 0, finishNs = 0, completeNs = 0;  // 0: not (yet)
    int lane = -1;                // 0-based worker lane, -1 = not started
    int completeCallback = -1;    // the callback the completion ran, if it ran one
};

// A handle's close was requested with a callback: it waits for a close phase until it runs.
struct IndexedCloseRequest {
    std::uint64_t timeNs = 0;
    std::uint64_t asyncId = 0;    // the handle's
    std::uint32_t name = 0;       // string id of the close callback's function name, 0 = none
    int callback = -1;            // the close callback once it has started, else -1
};

// A Timeout armed again by refresh(): due one delay after timeNs (TimerRearm records).
struct IndexedTimerRearm {
    std::uint64_t timeNs = 0;
    std::uint64_t asyncId = 0;    // the timer's
    std::size_t callbacksBefore = 0;  // callbacks() started before it (to merge in record order)
    int callback = -1;            // the innermost callback running when it was re-armed
};

struct IndexedConsoleWrite {
    std::uint64_t timeNs = 0;
    int stream = 1;               // 1 stdout, 2 stderr
    std::uint32_t length = 0;
    std::string head;             // up to 20 first bytes
    int callback = -1;            // the innermost callback running when it was written
};

class TraceIndex final {
public:
    explicit TraceIndex(std::shared_ptr<const Trace> trace);

    // Consumes the records published since the last call, or only the first `maxRecords` of
    // them (a GUI thread following a fast run takes it in slices: see behind()); true if there
    // were any.
    bool update(std::size_t maxRecords = std::size_t(-1));
    // The last update() stopped at its limit: more may be published already.
    bool behind() const { return m_behind; }
    std::uint64_t recordsRead() const { return m_recordsRead; }  // consumed so far, all writers

    const std::shared_ptr<const Trace> &trace() const { return m_trace; }

    // Callbacks in start order.
    const ChunkedVector<IndexedCallback> &callbacks() const { return m_callbacks; }
    // Resources in init order; resource(asyncId) finds one (nullptr if never seen).
    const ChunkedVector<IndexedResource> &resources() const { return m_resources; }
    const IndexedResource *resource(std::uint64_t asyncId) const;
    int resourceIndex(std::uint64_t asyncId) const;  // -1 if unknown
    const ChunkedVector<IndexedPhase> &phases() const { return m_phases; }
    const ChunkedVector<IndexedPoolTask> &poolTasks() const { return m_poolTasks; }
    const ChunkedVector<IndexedConsoleWrite> &consoleWrites() const { return m_consoleWrites; }
    // Close requests in request order (CloseRequest records; older traces have none).
    const ChunkedVector<IndexedCloseRequest> &closeRequests() const { return m_closeRequests; }
    // Timer re-arms in record order (TimerRearm records; older traces have none).
    const ChunkedVector<IndexedTimerRearm> &timerRearms() const { return m_timerRearms; }

    std::uint32_t iterations() const { return m_iteration; }
    // Worker lanes seen; at least libuv's default of 4 once any pool work was submitted
    // (libuv starts the whole pool on first use, but a lane shows only once it ran something).
    int poolSize() const;
    std::string string(std::uint32_t id) const;
    std::uint32_t findString(std::string_view s) const { return m_trace->find(s); }

    std::uint64_t startNs() const { return m_startNs; }  // first record's time (0: empty)
    std::uint64_t endNs() const { return m_endNs; }      // last record's time

    // The innermost callback running at `ns`, or -1. O(log n + depth).
    int callbackAt(std::uint64_t ns) const;
    // The phase entry the loop was in at `ns` (the last one entered at or before it), or -1.
    int phaseAt(std::uint64_t ns) const;
    // Index of the first callback starting after `ns` (callbacks().size() if none).
    int firstCallbackAfter(std::uint64_t ns) const;
    // Step mode: how long the run stood paused (StepPause to the next loop record) before `ns`.
    // Paused time is not loop time (the loop's clock is virtual then): counters leave it out.
    std::uint64_t pausedNsBefore(std::uint64_t ns) const;
    // The asyncId of the callback a step-mode run stood paused before at `ns`, else 0; and the
    // queue it was to run from.
    std::uint64_t pausedBeforeAt(std::uint64_t ns, CallbackQueue *queue = nullptr) const;

private:
    void consume(const TraceRecord &r, bool fromLoop);
    IndexedResource &resourceFor(std::uint64_t asyncId);
    int *denseSlot(std::uint64_t asyncId, bool grow);
    IndexedPoolTask &poolTaskFor(std::uint64_t workId);
    int laneOf(std::uint16_t writer);

    std::shared_ptr<const Trace> m_trace;
    std::vector<std::size_t> m_positions;  // per writer: records consumed
    std::vector<int> m_lanes;              // per writer: pool lane (-1 = not a worker yet)
    int m_laneCount = 0;
    std::uint16_t m_loopWriter = 0;

    ChunkedVector<IndexedCallback> m_callbacks;
    ChunkedVector<IndexedResource> m_resources;
    // asyncId → index into m_resources. Node's asyncIds are a dense counter, so most live in a
    // flat vector (4 bytes per id, no node allocation per resource: what makes a 10 M-event trace
    // load); ids far beyond the dense range (an imported trace's) go to the map.
    ChunkedVector<int> m_denseResourceIndex;
    std::unordered_map<std::uint64_t, int> m_resourceIndex;
    ChunkedVector<IndexedPhase> m_phases;
    ChunkedVector<IndexedPoolTask> m_poolTasks;
    std::unordered_map<std::uint64_t, int> m_poolIndex;
    ChunkedVector<IndexedConsoleWrite> m_consoleWrites;
    ChunkedVector<IndexedCloseRequest> m_closeRequests;
    ChunkedVector<IndexedTimerRearm> m_timerRearms;
    struct Pause {
        std::uint64_t startNs, endNs, pausedBefore, asyncId;  // endNs 0: still paused
        CallbackQueue queue;
    };
    std::vector<Pause> m_pauses;
    std::unordered_map<std::uint64_t, int> m_waitingCloses;  // asyncId → its request, not run yet

    std::vector<int> m_stack;       // open callbacks, innermost last
    std::uint32_t m_iteration = 0;
    LoopPhase m_phase = LoopPhase::None;
    TraceKind m_previousKind = TraceKind::None;
    std::uint64_t m_lastInit = 0;   // asyncId of the last AsyncInit (its continuations follow)
    int m_awaitingCompletion = -1;  // pool task whose completion callback is about to start
    std::uint64_t m_startNs = 0, m_endNs = 0;
    std::uint64_t m_recordsRead = 0;
    bool m_behind = false;
};

} // namespace Loopscope::Runtime
