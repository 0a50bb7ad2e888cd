#include "traceexport.h"

#include "jsonstring.h"
#include "trace.h"

#include <zlib.h>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace Loopscope::Runtime {

namespace {

// Console heads are cut at 20 bytes, possibly inside a UTF-8 sequence: keep whole characters.
std::string_view wholeUtf8(std::string_view s)
{
    size_t end = s.size();
    size_t i = end;
    while (i > 0 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80)
        --i;
    if (i > 0) {
        const auto lead = static_cast<unsigned char>(s[i - 1]);
        const size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (end - (i - 1) < need)
            end = i - 1;
    }
    return s.substr(0, end);
}

// The JSON text, built event by event. With a sink, it is handed over in pieces of about
// kFlushBytes between events, so a 10 M-callback trace (several GB of JSON) never sits in memory
// whole and a gzip stream is fed in pieces zlib's unsigned lengths can take.
using JsonSink = std::function<bool(std::string_view)>;
constexpr std::size_t kFlushBytes = std::size_t(1) << 20;

class JsonEvents {
public:
    JsonEvents(std::uint64_t origin, JsonSink sink) : m_origin(origin), m_sink(std::move(sink)) {}
    std::string out;

    // Hands what is built so far to the sink (without one: keeps it). False once a write failed.
    bool flush()
    {
        if (m_sink && !out.empty()) {
            m_ok = m_ok && m_sink(out);
            out.clear();
        }
        return m_ok;
    }

    void begin(char ph, std::string_view name, std::string_view cat, std::uint64_t timeNs, int tid)
    {
        if (m_sink && out.size() >= kFlushBytes)
            flush();
        out += m_first ? "\n" : ",\n";
        m_first = false;
        out += "{\"ph\":\"";
        out += ph;
        out += "\",\"name\":";
        appendJsonString(out, name);
        if (!cat.empty()) {
            out += ",\"cat\":";
            appendJsonString(out, cat);
        }
        out += ",\"pid\":1,\"tid\":" + std::to_string(tid) + ",\"ts\":" + micros(timeNs);
    }
    std::string micros(std::uint64_t timeNs) const
    {
        const std::uint64_t ns = timeNs >= m_origin ? timeNs - m_origin : 0;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(ns / 1000),
                      static_cast<unsigned long long>(ns % 1000));
        return buf;
    }
    void end() { out += '}'; }

private:
    std::uint64_t m_origin;
    JsonSink m_sink;
    bool m_first = true;
    bool m_ok = true;
};

struct Resource {
    std::uint32_t type = 0;
    std::uint64_t trigger = 0;
    std::uint32_t file = 0;
    std::uint64_t position = 0;
    std::uint64_t timer = ~std::uint64_t(0);
    std::uint32_t name = 0;  // the callback's function name
    bool internal = false;
    bool siteInherited = false;  // TraceSourceInherited
    bool flowStarted = false;
    bool flowFinished = false;
    bool ran = false;
};

// The whole export: the JSON goes to `sink` in pieces or, without one, into `whole`. False if
// the sink failed.
bool exportChromeJson(const Trace &trace, const JsonSink &sink, std::string *whole)
{
    // The records are visited where they are, merged by time (a 10 M-callback trace is ~1.3 GB
    // of records: no copy of it); only a trace whose writers are not each in time order (written
    // by hand with explicit times) is copied and sorted.
    std::vector<TraceRecord> sorted;
    std::uint64_t origin = ~std::uint64_t(0);
    for (std::size_t w = 0; w < trace.writerCount(); ++w)
        trace.forEach(std::uint16_t(w), [&](const TraceRecord &r) { origin = std::min(origin, r.timeNs); });
    if (origin == ~std::uint64_t(0))
        origin = 0;
    JsonEvents ev(origin, sink);
    ev.out = "{\"traceEvents\":[";

    ev.begin('M', "process_name", "", origin, 0);
    ev.out += ",\"args\":{\"name\":\"loopscope run\"}";
    ev.end();
    const std::size_t writers = trace.writerCount();
    for (std::size_t w = 0; w < writers; ++w) {
        ev.begin('M', "thread_name", "", origin, int(w) + 1);
        ev.out += ",\"args\":{\"name\":";
        appendJsonString(ev.out, trace.writerName(std::uint16_t(w)));
        ev.out += "}";
        ev.end();
    }

    std::unordered_map<std::uint32_t, std::string> strings;
    auto str = [&](std::uint32_t id) -> const std::string & {
        auto it = strings.find(id);
        if (it == strings.end())
            it = strings.emplace(id, trace.string(id)).first;
        return it->second;
    };
    const std::uint32_t tickType = trace.find("TickObject");
    const std::uint32_t immediateType = trace.find("Immediate");
    const std::uint32_t timeoutType = trace.find("Timeout");

    std::unordered_map<std::uint64_t, Resource> resources;
    std::int64_t ticks = 0, immediates = 0, timers = 0;
    auto counter = [&](const char *name, std::int64_t value, std::uint64_t t) {
        ev.begin('C', name, "queues", t, 1);
        ev.out += ",\"args\":{\"length\":" + std::to_string(value) + "}";
        ev.end();
    };

    // Iterations and phases become X slices once their end is known.
    std::uint64_t iterationStart = 0, iterationNumber = 0;
    bool inIteration = false;
    std::uint64_t phaseStart = 0;
    LoopPhase phase = LoopPhase::None;
    std::uint64_t pollBlocked = 0;
    bool havePollBlocked = false;
    auto closePhase = [&](std::uint64_t t) {
        if (phase == LoopPhase::None)
            return;
        ev.begin('X', loopPhaseName(phase), "phase", phaseStart, 1);
        ev.out += ",\"dur\":" + ev.micros(origin + (t - phaseStart));
        if (phase == LoopPhase::Poll && havePollBlocked)
            ev.out += ",\"args\":{\"blockedMs\":" + std::to_string(double(pollBlocked) / 1e6) + "}";
        ev.end();
        phase = LoopPhase::None;
        havePollBlocked = false;
    };

    struct PoolWork { std::uint64_t submit = 0, start = 0; std::uint32_t what = 0; };
    std::unordered_map<std::uint64_t, PoolWork> pool;
    // A run that ends inside a callback (process.exit, a stop) leaves it open: closed at the end.
    std::map<int, int> openCallbacks;
    const TraceRecord *previous = nullptr;
    std::uint64_t recordCount = 0, lastTime = 0;
    auto consume = [&](const TraceRecord &r) {
        ++recordCount;
        lastTime = r.timeNs;
        const int tid = r.thread + 1;
        switch (r.kind) {
        case TraceKind::IterationStart:
            iterationStart = r.timeNs;
            iterationNumber = r.b;
            inIteration = true;
            break;
        case TraceKind::IterationEnd:
            closePhase(r.timeNs);
            if (inIteration) {
                ev.begin('X', "iteration " + std::to_string(iterationNumber), "loop", iterationStart, tid);
                ev.out += ",\"dur\":" + ev.micros(origin + (r.timeNs - iterationStart));
                ev.end();
                inIteration = false;
            }
            break;
        case TraceKind::PhaseEnter:
            closePhase(r.timeNs);
            phase = LoopPhase(r.detail);
            phaseStart = r.timeNs;
            break;
        case TraceKind::PollEnd:
            pollBlocked = r.b;
            havePollBlocked = true;
            break;
        case TraceKind::AsyncInit: {
            Resource &res = resources[r.b];
            res.type = r.a;
            res.trigger = r.c;
            res.internal = r.detail & TraceInitInternal;
            if (r.a == 0)
                break;
            if (r.a == tickType)
                counter("nextTick queue", ++ticks, r.timeNs);
            else if (r.a == immediateType)
                counter("immediate queue", ++immediates, r.timeNs);
            else if (r.a == timeoutType)
                counter("timers", ++timers, r.timeNs);
            break;
        }
        case TraceKind::AsyncSource:
            if (previous && previous->kind == TraceKind::AsyncInit && previous->thread == r.thread) {
                Resource &res = resources[previous->b];
                res.file = r.a;
                res.position = r.b;
                res.timer = r.c;
                res.siteInherited = r.detail & TraceSourceInherited;
                if (!res.internal) {
                    // The flow starts where the resource was made; it binds to the enclosing slice.
                    ev.begin('s', str(res.type), "async", previous->timeNs, tid);
                    ev.out += ",\"id\":" + std::to_string(previous->b);
                    ev.end();
                    res.flowStarted = true;
                }
            }
            break;
        case TraceKind::CallbackBefore: {
            auto it = resources.find(r.b);
            Resource *res = it == resources.end() ? nullptr : &it->second;
            const std::string name = res ? str(res->type) : std::string("callback");
            ++openCallbacks[tid];
            ev.begin('B', name, "callback", r.timeNs, tid);
            ev.out += ",\"args\":{\"queue\":\"";
            ev.out += callbackQueueName(CallbackQueue(r.detail));
            ev.out += "\",\"asyncId\":" + std::to_string(r.b);
            if (res) {
                ev.out += ",\"triggerAsyncId\":" + std::to_string(res->trigger);
                if (res->file) {
                    ev.out += ",\"source\":";
                    appendJsonString(ev.out, str(res->file) + ":" + std::to_string(res->position >> 32) + ":"
                                              + std::to_string(res->position & 0xffffffffu));
                }
                if (res->siteInherited)
                    ev.out += ",\"siteInherited\":true";
                if (res->name) {
                    ev.out += ",\"function\":";
                    appendJsonString(ev.out, str(res->name));
                }
                if (res->timer != ~std::uint64_t(0))
                    ev.out += ",\"delayMs\":" + std::to_string(res->timer >> 1)
                              + ",\"repeat\":" + ((res->timer & 1) ? "true" : "false");
            }
            ev.out += "}";
            ev.end();
            if (res && res->flowStarted && !res->flowFinished) {
                ev.begin('f', name, "async", r.timeNs, tid);
                ev.out += ",\"id\":" + std::to_string(r.b) + ",\"bp\":\"e\"";
                ev.end();
                res->flowFinished = true;
            }
            if (res && !res->ran) {
                res->ran = true;
                if (res->type == tickType)
                    counter("nextTick queue", --ticks, r.timeNs);
                else if (res->type == immediateType)
                    counter("immediate queue", --immediates, r.timeNs);
            }
            break;
        }
        case TraceKind::CallbackAfter:
            if (openCallbacks[tid] > 0) {
                --openCallbacks[tid];
                ev.begin('E', "", "", r.timeNs, tid);
                ev.end();
            }
            break;
        case TraceKind::AsyncDestroy: {
            auto it = resources.find(r.b);
            if (it != resources.end()) {
                if (!it->second.ran && it->second.type == immediateType)
                    counter("immediate queue", --immediates, r.timeNs);  // cleared before it ran
                if (it->second.type == timeoutType)
                    counter("timers", --timers, r.timeNs);
                resources.erase(it);
            }
            break;
        }
        case TraceKind::AsyncName: {
            auto it = resources.find(r.b);
            if (it != resources.end())
                it->second.name = r.a;
            break;
        }
        case TraceKind::ConsoleBytes:
            if (previous && previous->kind == TraceKind::ConsoleWrite && previous->thread == r.thread) {
                char head[20];
                std::memcpy(head, &r.a, 4);
                std::memcpy(head + 4, &r.b, 8);
                std::memcpy(head + 12, &r.c, 8);
                const std::string_view text = wholeUtf8(std::string_view(head, std::min<std::size_t>(previous->a, 20)));
                ev.begin('i', previous->detail == 2 ? "stderr" : "stdout", "console", previous->timeNs, tid);
                ev.out += ",\"s\":\"t\",\"args\":{\"length\":" + std::to_string(previous->a) + ",\"text\":";
                appendJsonString(ev.out, text);
                ev.out += "}";
                ev.end();
            }
            break;
        case TraceKind::PoolSubmit:
            pool[r.b].submit = r.timeNs;
            pool[r.b].what = r.a;
            ev.begin('i', "submit " + str(r.a), "threadpool", r.timeNs, tid);
            ev.out += ",\"s\":\"t\",\"args\":{\"work\":" + std::to_string(r.b) + "}";
            ev.end();
            break;
        case TraceKind::PoolStart:
            pool[r.b].start = r.timeNs;
            break;
        case TraceKind::PoolFinish: {
            // One X slice on the worker's track, from start to finish, with its wait in the queue.
            const PoolWork &p = pool[r.b];
            ev.begin('X', str(p.what), "threadpool", p.start, tid);
            ev.out += ",\"dur\":" + ev.micros(origin + (r.timeNs - p.start)) + ",\"args\":{\"work\":"
                      + std::to_string(r.b);
            if (p.submit && p.start >= p.submit)
                ev.out += ",\"queuedMs\":" + std::to_string(double(p.start - p.submit) / 1e6);
            ev.out += "}";
            ev.end();
            break;
        }
        case TraceKind::PoolComplete:
            ev.begin('i', "complete " + str(pool[r.b].what), "threadpool", r.timeNs, tid);
            ev.out += ",\"s\":\"t\",\"args\":{\"work\":" + std::to_string(r.b) + "}";
            ev.end();
            pool.erase(r.b);
            break;
        case TraceKind::CloseRequest:
            // An instant where close(callback) was called: the callback waits for a close phase.
            ev.begin('i', "close request", "close", r.timeNs, tid);
            ev.out += ",\"s\":\"t\",\"args\":{\"asyncId\":" + std::to_string(r.b);
            if (r.a) {
                ev.out += ",\"function\":";
                appendJsonString(ev.out, str(r.a));
            }
            ev.out += "}";
            ev.end();
            break;
        case TraceKind::TimerRearm:
            // timeout.refresh(): the timer is due again one delay from here.
            ev.begin('i', "refresh", "timer", r.timeNs, tid);
            ev.out += ",\"s\":\"t\",\"args\":{\"asyncId\":" + std::to_string(r.b) + "}";
            ev.end();
            break;
        case TraceKind::PromiseResolve:
        case TraceKind::ConsoleWrite:
        case TraceKind::StepPause:
        case TraceKind::None:
            break;
        }
        previous = &r;
    };
    if (!trace.forEachInTimeOrder(consume)) {
        // A writer out of time order (a hand-written trace): merge a sorted copy instead.
        sorted = trace.records();
        for (const TraceRecord &r : sorted)
            consume(r);
    }
    if (recordCount > 0) {
        for (auto &[tid, open] : openCallbacks) {
            for (; open > 0; --open) {
                ev.begin('E', "", "", lastTime, tid);
                ev.end();
            }
        }
        closePhase(lastTime);
        // Drops are never silent: each writer that lost records says how many, at the end.
        for (std::size_t w = 0; w < writers; ++w) {
            if (const std::uint64_t lost = trace.writerDropped(std::uint16_t(w))) {
                ev.begin('i', "records dropped", "recorder", lastTime, int(w) + 1);
                ev.out += ",\"s\":\"t\",\"args\":{\"count\":" + std::to_string(lost) + "}";
                ev.end();
            }
        }
        if (inIteration) {
            ev.begin('X', "iteration " + std::to_string(iterationNumber), "loop", iterationStart, 1);
            ev.out += ",\"dur\":" + ev.micros(origin + (lastTime - iterationStart));
            ev.end();
        }
    }
    ev.out += "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"recorder\":\"loopscope\",\"records\":"
              + std::to_string(recordCount) + ",\"dropped\":" + std::to_string(trace.dropped()) + "}}\n";
    if (whole)
        *whole = std::move(ev.out);
    return ev.flush();
}

} // namespace

std::string traceToChromeJson(const Trace &trace)
{
    std::string json;
    exportChromeJson(trace, {}, &json);
    return json;
}

bool writeChromeTrace(const Trace &trace, const std::string &path, std::string *error)
{
    const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    if (gz) {
        gzFile f = gzopen(path.c_str(), "wb");
        if (!f) {
            if (error) *error = "cannot write " + path;
            return false;
        }
        const bool written = exportChromeJson(trace, [f](std::string_view piece) {
            return gzwrite(f, piece.data(), unsigned(piece.size())) == int(piece.size());
        }, nullptr);
        const int rc = gzclose(f);
        if (!written || rc != Z_OK) {
            if (error) *error = "cannot write " + path;
            return false;
        }
        return true;
    }
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) {
        if (error) *error = "cannot write " + path + ": " + std::strerror(errno);
        return false;
    }
    const bool written = exportChromeJson(trace, [f](std::string_view piece) {
        return std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
    }, nullptr);
    if (std::fclose(f) != 0 || !written) {
        if (error) *error = "cannot write " + path;
        return false;
    }
    return true;
}

TraceSummary summarizeTrace(const Trace &trace)
{
    TraceSummary s;
    std::unordered_map<std::uint64_t, std::uint64_t> submitted;  // work id → submit time
    std::vector<std::pair<std::uint64_t, std::uint64_t>> started;  // work id, start time
    const std::size_t writers = trace.writerCount();
    for (std::size_t w = 0; w < writers; ++w) {
        trace.forEach(std::uint16_t(w), [&](const TraceRecord &r) {
            ++s.records;
            if (r.kind != TraceKind::AsyncSource && r.kind != TraceKind::ConsoleBytes && r.kind != TraceKind::AsyncName)
                ++s.events;
            switch (r.kind) {
            case TraceKind::IterationStart: ++s.iterations; break;
            case TraceKind::CallbackBefore:
                ++s.callbacks;
                ++s.callbacksByQueue[r.detail & 15];
                break;
            case TraceKind::AsyncInit: ++s.asyncResources; break;
            case TraceKind::PollEnd: s.pollBlockedNs += r.b; break;
            case TraceKind::PoolSubmit:
                ++s.poolTasks;
                submitted[r.b] = r.timeNs;
                break;
            case TraceKind::PoolStart: started.emplace_back(r.b, r.timeNs); break;
            case TraceKind::ConsoleWrite: ++s.consoleWrites; break;
            default: break;
            }
        });
    }
    for (auto [id, t] : started) {
        auto it = submitted.find(id);
        if (it != submitted.end() && t > it->second)
            s.maxPoolQueueWaitNs = std::max(s.maxPoolQueueWaitNs, t - it->second);
    }
    s.bytes = s.records * sizeof(TraceRecord);
    s.dropped = trace.dropped();
    return s;
}

std::string formatTraceSummary(const TraceSummary &s)
{
    std::string out;
    char line[160];
    auto row = [&](const char *label, const std::string &value) {
        std::snprintf(line, sizeof line, "  %-28s %12s\n", label, value.c_str());
        out += line;
    };
    out += "--- Loopscope trace summary ---\n";
    row("loop iterations", std::to_string(s.iterations));
    std::snprintf(line, sizeof line, "%.3f", double(s.pollBlockedNs) / 1e6);
    row("poll blocked (ms)", line);
    row("async resources created", std::to_string(s.asyncResources));
    row("callbacks", std::to_string(s.callbacks));
    for (int q = 1; q <= int(CallbackQueue::Main); ++q) {
        if (!s.callbacksByQueue[q])
            continue;
        const std::string label = std::string("  from ") + callbackQueueName(CallbackQueue(q));
        row(label.c_str(), std::to_string(s.callbacksByQueue[q]));
    }
    // The thread pool is not instrumented yet: say so rather than print a zero that looks measured.
    row("thread-pool tasks", s.poolTasks ? std::to_string(s.poolTasks) : "not traced");
    std::snprintf(line, sizeof line, "%.3f", double(s.maxPoolQueueWaitNs) / 1e6);
    row("max pool queue wait (ms)", s.poolTasks ? std::string(line) : "not traced");
    row("console writes", std::to_string(s.consoleWrites));
    row("events recorded", std::to_string(s.events));
    row("records (32 bytes each)", std::to_string(s.records));
    std::snprintf(line, sizeof line, "%.1f", s.events ? double(s.bytes) / double(s.events) : 0.0);
    row("bytes per event", line);
    row("events dropped", std::to_string(s.dropped));
    return out;
}

} // namespace Loopscope::Runtime
