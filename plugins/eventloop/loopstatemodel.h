#pragma once
// LoopStateModel — the event loop's state at one moment of a trace, reconstructed from its
// TraceIndex: what the Event loop pane draws. The state is a function of (index, cursor) only,
// so the pane can follow a live run, a scrubber or a saved trace alike.
//
// When an item is in a queue follows Node's rules, from the records the trace has:
//   nextTick queue   a TickObject from its init (process.nextTick queues at once) until its
//                    callback starts (or it is destroyed unrun);
//   microtasks       a promise reaction (a PROMISE resource that runs a callback) from when its
//                    trigger promise resolved, or its own init if that was later (then() on an
//                    already resolved promise queues at once), until its callback starts;
//   timers           a Timeout from init until it runs (a repeating one: until cleared); due
//                    once init (or its last run) + delay has passed;
//   check            an Immediate from init until it runs or is cleared;
//   poll (I/O)       other resources of the script: a request (…REQ…, connect, write, shutdown)
//                    until its callback, a handle (a socket, a server) until destroyed;
//   close            a handle's close callback, from its close request (CloseRequest: when
//                    close(callback) was called) until it starts in a close phase; a trace
//                    without close requests (older versions) places a close-phase callback from
//                    the start of its iteration's poll phase instead (an approximation).
// Counters: the iteration, time blocked in poll so far (each poll blocks at its start), and
// event-loop utilisation = 1 - blocked / time since the loop's first phase (less step mode's
// pauses: a paused loop is neither busy nor blocked).
//
// Threads: GUI thread (or any one thread). QtCore only: testable without pixels.

#include "traceindex.h"

#include <QList>
#include <QObject>
#include <QString>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace Loopscope::EventLoop {

struct LoopCard {
    std::uint64_t asyncId = 0;
    int resource = -1;           // index into the index's resources()
    int callback = -1;           // call-stack cards: the running callback's index
    QString name;                // the callback's function name, or "anonymous"
    QString type;                // async_hooks' resource type ("Timeout", "PROMISE", ...)
    QString file;                // the script line that scheduled it (empty: node's internals)
    int line = 0;
    int column = 0;
    qint64 delayMs = -1;         // timers
    bool repeat = false;
    bool due = false;            // timers: due at the cursor
    QString createdBy;           // call-stack cards: what scheduled this callback

    QString title() const;       // "onTimer · Timeout"
    QString detail() const;      // "line 3 · 10 ms" ...
    QString accessibleText() const;
};

struct CardList {
    QList<LoopCard> cards;   // in run order (the next to run first); at most kMaxCards
    int total = 0;           // how many there are in all
};

struct LoopState {
    bool hasTrace = false;
    std::uint64_t cursorNs = 0;
    bool inMainScript = false;   // before the loop's first phase
    Runtime::LoopPhase phase = Runtime::LoopPhase::None;
    std::uint32_t iteration = 0;
    Runtime::CallbackQueue runningQueue = Runtime::CallbackQueue::None;
    int runningCallback = -1;
    CardList callStack;          // innermost (running) callback first
    bool paused = false;         // step mode stood paused here, before `next` runs from
    LoopCard next;               // `nextQueue`
    Runtime::CallbackQueue nextQueue = Runtime::CallbackQueue::None;
    CardList nextTicks;
    CardList microtasks;
    CardList timers;
    CardList immediates;
    CardList io;
    CardList closing;
    std::uint64_t pollBlockedNs = 0;
    std::uint64_t loopElapsedNs = 0;
    double utilisation = 0;      // 0..1
    int callbacksRun = 0;        // the script's callbacks started up to the cursor (not the
                                 // runtime's own output callbacks)
};

class LoopStateModel final : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxCards = 30;

    explicit LoopStateModel(QObject *parent = nullptr);
    ~LoopStateModel() override;

    // The index to read (not owned; null: no trace). Resets the model.
    void setIndex(const Runtime::TraceIndex *index);
    const Runtime::TraceIndex *index() const { return m_index; }
    // The index consumed more records: extend the model's own tables and recompute (or not, when
    // a setCursorNs() follows at once, as in live mode: one recomputation per frame).
    void indexGrew(bool recompute = true);

    void setCursorNs(std::uint64_t ns);
    std::uint64_t cursorNs() const { return m_cursorNs; }
    const LoopState &state() const { return m_state; }

    // The state at `ns`, without moving the cursor.
    LoopState stateAt(std::uint64_t ns) const;

Q_SIGNALS:
    void stateChanged();

private:
    enum class Category : std::uint8_t { None, Tick, QueuedMicrotask, Promise, Timer, Immediate, IoRequest, IoHandle };
    struct Entry {
        int resource;
        int trigger;  // the trigger's resource index, -1 if unknown
        Category category;
    };

    void extend();
    void recompute();
    Category categoryOf(const Runtime::IndexedResource &r);
    const QString &text(std::uint32_t id) const;
    LoopCard card(int resource) const;
    void addCard(CardList &list, int resource) const;

    const Runtime::TraceIndex *m_index = nullptr;
    std::uint64_t m_cursorNs = 0;
    LoopState m_state;

    std::vector<Entry> m_entries;                 // the script's resources, in init order
    std::size_t m_resourcesSeen = 0;
    std::vector<int> m_closeCallbacks;            // callbacks run from the close phase
    std::size_t m_callbacksSeen = 0;
    std::vector<int> m_scriptCallbacks;           // [i]: the script's callbacks among 0..i
    std::size_t m_closeRequestsSeen = 0;
    std::vector<int> m_pendingRequests;           // close requests whose callback has not started
    std::unordered_map<int, std::uint32_t> m_requestedCloses;  // close callback → its request's name
    std::vector<std::uint64_t> m_blockedBefore;   // [i]: poll time blocked before phase i
    std::unordered_map<std::uint32_t, Category> m_typeCategories;
    mutable std::unordered_map<std::uint32_t, QString> m_strings;
};

} // namespace Loopscope::EventLoop
