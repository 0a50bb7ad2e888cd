#pragma once
// The expected (queue, resource type) of each of the script's own callbacks, in order, for every
// ordering conformance script — written from Node's rules (docs: "The Node.js Event Loop";
// lib/internal/timers.js, lib/internal/process/task_queues.js, lib/net.js), not taken from a
// recorder. Shared by tst_traceorder (the embedded recorder) and tst_recordpreload (the
// plain-node preload).
//
// "The script's callbacks" are those of resources created with a frame of the script on the
// stack (the first non-internal frame) and not by the runtime's own output stream. Resources
// that node's internals create from their own callbacks (readFile's fstat/read/close, a
// server's accepted socket) have no such frame and are left out on purpose.
#include "trace.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>

namespace ConformanceOrder {

struct Script {
    QString file;
    QStringList expected;  // "queue Type"
};

inline QList<Script> scripts()
{
    return {
        // Main module, then nextTick, then the microtask queue (promise, queueMicrotask), then the
        // first iteration's check phase.
        {"01-main-module.js",
         {"nextTick TickObject", "microtask PROMISE", "microtask Microtask", "check Immediate"}},
        // readFile's open completes in poll (its later steps are node's own requests); inside the
        // user's callback: the tick right after it, the immediate in the same iteration's check,
        // the timer in the next iteration's timers phase.
        {"02-io-callback.js",
         {"poll FSREQCALLBACK", "nextTick TickObject", "check Immediate", "timers Timeout"}},
        // The tick queue drains (with ticks queued meanwhile) before any promise; the microtask
        // queue drains (with promises queued meanwhile) before the tick queued from a promise.
        {"03-nested-ticks.js",
         {"nextTick TickObject", "nextTick TickObject", "nextTick TickObject", "microtask PROMISE",
          "microtask PROMISE", "microtask PROMISE", "nextTick TickObject"}},
        // Each await resumes as one microtask (a native promise costs one turn): a resumes,
        // then 1, a resumes after b, then 2, then 3.
        {"04-async-await.js",
         {"microtask PROMISE", "microtask PROMISE", "microtask PROMISE", "microtask PROMISE",
          "microtask PROMISE"}},
        {"05-timers-order.js", {"timers Timeout", "timers Timeout", "timers Timeout", "timers Timeout"}},
        // Between two immediates of one check phase node drains ticks, then microtasks; an
        // immediate queued from an immediate runs in the next iteration's check phase.
        {"06-immediate-chain.js",
         {"check Immediate", "nextTick TickObject", "microtask PROMISE", "check Immediate",
          "check Immediate"}},
        // listen("127.0.0.1"): dns.lookup answers an IP literal with a tick. connect to an IP: a
        // tick starts the connect. In the connect callback (poll): destroy() queues its close
        // tick, then the user's tick; the immediate runs in check; the client's TCP handle close
        // callback runs in the close phase. (The server's handle is made inside node's tick, and
        // its 'close' follows from the accepted socket's end, so neither is the script's.)
        {"07-close-phase.js",
         {"nextTick TickObject", "nextTick TickObject", "nextTick TickObject", "nextTick TickObject",
          "check Immediate", "close TCPWRAP"}},
        // An uncaught throw in a timer still ends its callback; the loop goes on to the next
        // timer. The unhandled rejection is reported by the tick processing, not by a callback.
        {"08-errors.js", {"timers Timeout", "timers Timeout"}},
        {"09-emitter-sync.js", {}},
        // The timer set in 'beforeExit' revives the loop and runs in a timers phase.
        {"10-exit-code.js", {"timers Timeout"}},
    };
}

// The script's own callbacks in a trace (see above: resources created with a frame of `file` on
// the stack, not by the runtime's output stream), as "queue Type", in the order they ran.
inline QStringList scriptCallbacks(const Loopscope::Runtime::Trace &trace, const QString &file)
{
    using namespace Loopscope::Runtime;
    const std::uint32_t fileId = trace.find(file.toStdString());
    struct Resource { std::uint32_t type = 0; bool internal = false; std::uint32_t file = 0; };
    std::map<std::uint64_t, Resource> resources;
    std::uint64_t lastInit = 0;
    QStringList seq;
    trace.forEach(0, [&](const TraceRecord &r) {
        if (r.kind == TraceKind::AsyncInit) {
            resources[r.b] = {r.a, bool(r.detail & TraceInitInternal), 0};
            lastInit = r.b;
        } else if (r.kind == TraceKind::AsyncSource) {
            resources[lastInit].file = r.a;
        } else if (r.kind == TraceKind::CallbackBefore) {
            auto it = resources.find(r.b);
            if (it != resources.end() && !it->second.internal && fileId != 0 && it->second.file == fileId)
                seq << QString("%1 %2").arg(callbackQueueName(CallbackQueue(r.detail)),
                                            QString::fromStdString(trace.string(it->second.type)));
        }
    });
    return seq;
}

} // namespace ConformanceOrder
