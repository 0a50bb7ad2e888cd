#include "traceimport.h"

#include "trace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>
#include <vector>

namespace Loopscope::Runtime {

namespace {

struct Pending {
    TraceRecord record;
    std::uint32_t order;  // file order, to keep equal times stable
};

constexpr std::uint64_t kImportedOriginNs = 1'000'000'000;

bool fail(std::string *error, std::string message)
{
    if (error)
        *error = std::move(message);
    return false;
}

std::string at(int index) { return "event " + std::to_string(index) + ": "; }

// A JSON number, times `scale`, as a count a record can hold: finite, not negative, at most 2^53
// (beyond that a double is not an integer any more). Converting anything else would be
// undefined behaviour (found by the fuzzer: a negative triggerAsyncId).
bool toCount(const QJsonValue &value, double scale, std::uint64_t *out)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble() * scale;
    if (!(d >= 0.0) || d > 9007199254740992.0)
        return false;
    *out = std::uint64_t(std::llround(d));
    return true;
}

bool phaseByName(const QString &name, LoopPhase *out)
{
    for (int p = int(LoopPhase::Timers); p <= int(LoopPhase::Close); ++p) {
        if (name == QLatin1String(loopPhaseName(LoopPhase(p)))) {
            *out = LoopPhase(p);
            return true;
        }
    }
    return false;
}

bool queueByName(const QString &name, CallbackQueue *out)
{
    for (int q = int(CallbackQueue::None); q <= int(CallbackQueue::Main); ++q) {
        if (name == QLatin1String(callbackQueueName(CallbackQueue(q)))) {
            *out = CallbackQueue(q);
            return true;
        }
    }
    return false;
}

} // namespace

bool traceFromChromeJson(const std::string &json, Trace &into, std::string *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, "not JSON: " + parseError.errorString().toStdString() + " at byte "
                               + std::to_string(parseError.offset));
    if (!doc.isObject() || !doc.object().value("traceEvents").isArray())
        return fail(error, "not a trace: expected an object with a \"traceEvents\" array");
    const QJsonArray events = doc.object().value("traceEvents").toArray();

    std::map<int, std::string> threadNames;           // tid → name
    std::map<int, std::vector<Pending>> perThread;    // tid → records
    std::map<int, std::vector<CallbackQueue>> open;   // tid → queues of open B slices
    std::unordered_map<std::uint64_t, TraceRecord> flowInits;
    std::unordered_map<std::uint64_t, std::pair<int, std::size_t>> known;  // asyncId → its init (tid, index)
    std::unordered_map<std::uint64_t, std::uint32_t> poolWhat;
    std::vector<std::pair<std::string, std::uint32_t *>> toIntern;  // resolved at the end
    std::vector<std::string> strings;                // interned after validation
    std::unordered_map<std::string, std::uint32_t> stringIndex;
    auto local = [&](const std::string &s) {
        auto [it, inserted] = stringIndex.emplace(s, std::uint32_t(strings.size() + 1));
        if (inserted)
            strings.push_back(s);
        return it->second;  // a provisional id: 1-based index into `strings`
    };
    std::uint32_t order = 0;
    auto add = [&](int tid, const TraceRecord &r) { perThread[tid].push_back({r, order++}); };

    for (int i = 0; i < events.size(); ++i) {
        if (!events[i].isObject())
            return fail(error, at(i) + "not an object");
        const QJsonObject e = events[i].toObject();
        const QString ph = e.value("ph").toString();
        if (ph.size() != 1)
            return fail(error, at(i) + "\"ph\" is missing or not one letter");
        if (!e.value("tid").isDouble())
            return fail(error, at(i) + "\"tid\" is missing or not a number");
        std::uint64_t t;
        if (!toCount(e.value("ts"), 1000.0, &t))
            return fail(error, at(i) + "\"ts\" is missing or not a number");
        // A file's clock starts at 0, which the index reads as "not (yet)" (a resource made at
        // the first instant would have no creation): imported times start one second later.
        t += kImportedOriginNs;
        const int tid = e.value("tid").toInt();
        const QString name = e.value("name").toString();
        const QString cat = e.value("cat").toString();
        const QJsonObject args = e.value("args").toObject();
        auto duration = [&](std::uint64_t *out) {
            if (!toCount(e.value("dur"), 1000.0, out))
                return fail(error, at(i) + "\"dur\" is missing or negative");
            return true;
        };
        auto number = [&](const char *key, std::uint64_t *out) {
            if (!toCount(args.value(key), 1.0, out))
                return fail(error, at(i) + "args." + key + " is missing or not a number");
            return true;
        };
        // An optional count: 0 when absent, an error when present but not a count.
        auto optional = [&](const char *key, double scale, std::uint64_t *out) {
            *out = 0;
            if (!args.contains(key))
                return true;
            if (!toCount(args.value(key), scale, out))
                return fail(error, at(i) + "args." + key + " is not a non-negative number");
            return true;
        };
        const char kind = char(ph[0].toLatin1());
        switch (kind) {
        case 'M':
            if (name == "thread_name")
                threadNames[tid] = args.value("name").toString().toStdString();
            break;
        case 'X': {
            std::uint64_t dur;
            if (!duration(&dur))
                return false;
            if (cat == "loop") {
                bool ok = name.startsWith("iteration ");
                const std::uint64_t n = ok ? name.mid(10).toULongLong(&ok) : 0;
                if (!ok)
                    return fail(error, at(i) + "a loop slice must be named \"iteration N\"");
                add(tid, TraceRecord{t, TraceKind::IterationStart, 0, 0, 0, n, 0});
                add(tid, TraceRecord{t + dur, TraceKind::IterationEnd, 0, 0, 0, n, 0});
            } else if (cat == "phase") {
                LoopPhase phase;
                if (!phaseByName(name, &phase))
                    return fail(error, at(i) + "unknown loop phase \"" + name.toStdString() + "\"");
                add(tid, TraceRecord{t, TraceKind::PhaseEnter, std::uint8_t(phase), 0, 0, 0, 0});
                std::uint64_t blocked;
                if (!optional("blockedMs", 1e6, &blocked))
                    return false;
                if (phase == LoopPhase::Poll && args.contains("blockedMs"))
                    add(tid, TraceRecord{t + dur, TraceKind::PollEnd, 0, 0, 0, blocked, 0});
            } else if (cat == "threadpool") {
                std::uint64_t work;
                if (!number("work", &work))
                    return false;
                add(tid, TraceRecord{t, TraceKind::PoolStart, 0, 0, 0, work, 0});
                add(tid, TraceRecord{t + dur, TraceKind::PoolFinish, 0, 0, 0, work, 0});
            } else {
                return fail(error, at(i) + "unknown slice category \"" + cat.toStdString() + "\"");
            }
            break;
        }
        case 's': {
            std::uint64_t id;
            if (!toCount(e.value("id"), 1.0, &id))
                return fail(error, at(i) + "a flow start needs a numeric \"id\"");
            TraceRecord r{t, TraceKind::AsyncInit, 0, 0, local(name.toStdString()), id, 0};
            flowInits[id] = r;
            known[id] = {tid, perThread[tid].size()};
            add(tid, r);
            add(tid, TraceRecord{t, TraceKind::AsyncSource, 0, 0, 0, 0, ~std::uint64_t(0)});  // filled at B
            add(tid, TraceRecord{t, TraceKind::AsyncName, 0, 0, 0, id, 0});  // filled at B, or left out
            break;
        }
        case 'f': {
            std::uint64_t id;
            if (!toCount(e.value("id"), 1.0, &id) || !flowInits.count(id))
                return fail(error, at(i) + "flow end without an earlier flow start of the same id");
            break;
        }
        case 'B': {
            CallbackQueue queue{};  // set by queueByName; initialised for GCC's flow analysis
            if (!queueByName(args.value("queue").toString(), &queue))
                return fail(error, at(i) + "args.queue is missing or not a queue name");
            std::uint64_t asyncId, trigger, delay;
            if (!number("asyncId", &asyncId) || !optional("triggerAsyncId", 1.0, &trigger)
                || !optional("delayMs", 1.0, &delay))
                return false;
            if (!known.count(asyncId)) {
                // A resource with no flow: the runtime's own. Its creation time is not in the file.
                known[asyncId] = {tid, perThread[tid].size()};
                add(tid, TraceRecord{t, TraceKind::AsyncInit, TraceInitInternal, 0, local(name.toStdString()), asyncId,
                                     trigger});
                add(tid, TraceRecord{t, TraceKind::AsyncSource, 0, 0, 0, 0, ~std::uint64_t(0)});
                add(tid, TraceRecord{t, TraceKind::AsyncName, 0, 0, 0, asyncId, 0});
            }
            // Details of the resource ride on its callbacks: put them back on its init records.
            {
                const auto [initTid, index] = known[asyncId];
                {
                    std::vector<Pending> &list = perThread[initTid];
                    list[index].record.c = trigger;
                    TraceRecord &source = list[index + 1].record;
                    const QString where = args.value("source").toString();
                    const int colon2 = where.lastIndexOf(':');
                    const int colon1 = colon2 > 0 ? where.lastIndexOf(':', colon2 - 1) : -1;
                    if (colon1 > 0) {
                        source.a = local(where.left(colon1).toStdString());
                        source.b = (where.mid(colon1 + 1, colon2 - colon1 - 1).toULongLong() << 32)
                                   | where.mid(colon2 + 1).toUInt();
                    }
                    const QString function = args.value("function").toString();
                    if (!function.isEmpty())
                        list[index + 2].record.a = local(function.toStdString());
                    if (args.contains("delayMs"))
                        source.c = (delay << 1) | (args.value("repeat").toBool() ? 1 : 0);
                }
            }
            open[tid].push_back(queue);
            add(tid, TraceRecord{t, TraceKind::CallbackBefore, std::uint8_t(queue), 0, 0, asyncId, 0});
            break;
        }
        case 'E': {
            if (open[tid].empty())
                return fail(error, at(i) + "\"E\" without an open \"B\" on thread " + std::to_string(tid));
            const CallbackQueue queue = open[tid].back();
            open[tid].pop_back();
            // The asyncId is the matching B's: found when the records are replayed below.
            add(tid, TraceRecord{t, TraceKind::CallbackAfter, std::uint8_t(queue), 0, 0, 0, 0});
            break;
        }
        case 'i':
            if (cat == "console") {
                std::uint64_t length;
                if (!number("length", &length))
                    return false;
                const std::string text = args.value("text").toString().toStdString();
                char head[20] = {};
                std::memcpy(head, text.data(), std::min(text.size(), sizeof head));
                TraceRecord bytes{t, TraceKind::ConsoleBytes, 0, 0, 0, 0, 0};
                std::memcpy(&bytes.a, head, 4);
                std::memcpy(&bytes.b, head + 4, 8);
                std::memcpy(&bytes.c, head + 12, 8);
                add(tid, TraceRecord{t, TraceKind::ConsoleWrite, std::uint8_t(name == "stderr" ? 2 : 1), 0,
                                     std::uint32_t(length), 0, 0});
                add(tid, bytes);
            } else if (cat == "threadpool") {
                std::uint64_t work;
                if (!number("work", &work))
                    return false;
                if (name.startsWith("submit ")) {
                    poolWhat[work] = local(name.mid(7).toStdString());
                    add(tid, TraceRecord{t, TraceKind::PoolSubmit, 0, 0, poolWhat[work], work, 0});
                } else if (name.startsWith("complete ")) {
                    add(tid, TraceRecord{t, TraceKind::PoolComplete, 0, 0, 0, work, 0});
                } else {
                    return fail(error, at(i) + "unknown thread-pool event \"" + name.toStdString() + "\"");
                }
            } else if (cat == "timer" && name == "refresh") {
                std::uint64_t asyncId;
                if (!number("asyncId", &asyncId))
                    return false;
                add(tid, TraceRecord{t, TraceKind::TimerRearm, 0, 0, 0, asyncId, 0});
            }
            break;
        case 'C':
            break;  // counters are derived from the records
        default:
            return fail(error, at(i) + "unsupported \"ph\" \"" + ph.toStdString() + "\"");
        }
    }
    for (auto &[tid, queues] : open)
        if (!queues.empty())
            return fail(error, "thread " + std::to_string(tid) + " has a \"B\" without its \"E\"");
    for (auto &[tid, records] : perThread)
        if (!threadNames.count(tid))
            return fail(error, "thread " + std::to_string(tid) + " has events but no thread_name");

    // Valid: now intern and append, one writer per thread, in time order.
    std::vector<std::uint32_t> ids(strings.size() + 1, 0);
    for (std::size_t s = 0; s < strings.size(); ++s)
        ids[s + 1] = into.intern(strings[s]);
    for (auto &[tid, name] : threadNames) {
        TraceWriter *w = into.addWriter(name);
        if (!w)
            return fail(error, "too many threads");
        auto &records = perThread[tid];
        std::stable_sort(records.begin(), records.end(), [](const Pending &x, const Pending &y) {
            return x.record.timeNs < y.record.timeNs;
        });
        std::vector<std::uint64_t> openIds;
        for (Pending &p : records) {
            TraceRecord &r = p.record;
            switch (r.kind) {
            case TraceKind::AsyncInit:
            case TraceKind::PoolSubmit: r.a = ids[r.a]; break;
            case TraceKind::AsyncSource: r.a = ids[r.a]; break;
            case TraceKind::AsyncName:
                if (r.a == 0)
                    continue;  // the file named no function
                r.a = ids[r.a];
                break;
            case TraceKind::CallbackBefore: openIds.push_back(r.b); break;
            case TraceKind::CallbackAfter:
                if (!openIds.empty()) {
                    r.b = openIds.back();
                    openIds.pop_back();
                }
                break;
            default: break;
            }
            w->appendAt(r.timeNs, r.kind, r.detail, r.a, r.b, r.c);
        }
    }
    return true;
}

bool traceFromFileBytes(const std::string &bytes, Trace &into, std::string *error, std::size_t maxJsonBytes)
{
    if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1f || static_cast<unsigned char>(bytes[1]) != 0x8b)
        return traceFromChromeJson(bytes, into, error);
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK)  // 32: accept a gzip header
        return fail(error, "cannot inflate: out of memory");
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    z.avail_in = uInt(std::min<std::size_t>(bytes.size(), std::numeric_limits<uInt>::max()));
    std::string json;
    char buffer[65536];
    int status;
    do {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        status = inflate(&z, Z_NO_FLUSH);  // Z_BUF_ERROR here: the input ended before the stream
        const std::size_t produced = sizeof buffer - z.avail_out;
        if (json.size() + produced > maxJsonBytes) {
            inflateEnd(&z);
            return fail(error, "not a trace: it inflates to more than " + std::to_string(maxJsonBytes) + " bytes");
        }
        json.append(buffer, produced);
    } while (status == Z_OK);
    const std::string why = status == Z_BUF_ERROR ? "truncated" : z.msg ? z.msg : "corrupt";
    inflateEnd(&z);
    if (status != Z_STREAM_END)
        return fail(error, "not valid gzip: " + why);
    return traceFromChromeJson(json, into, error);
}

bool readChromeTrace(const std::string &path, Trace &into, std::string *error)
{
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return fail(error, "cannot read " + path);
    std::string bytes;
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
        bytes.append(buffer, n);
    const bool broken = std::ferror(f);
    std::fclose(f);
    if (broken)
        return fail(error, "cannot read " + path);
    if (!traceFromFileBytes(bytes, into, error)) {
        if (error)
            *error = path + ": " + *error;
        return false;
    }
    return true;
}

} // namespace Loopscope::Runtime
