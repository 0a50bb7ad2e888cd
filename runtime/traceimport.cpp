#include "traceimport.h"

#include "jsonstreamreader.h"
#include "trace.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>

namespace Loopscope::Runtime {

namespace {

constexpr std::uint64_t kImportedOriginNs = 1'000'000'000;

bool fail(std::string *error, std::string message)
{
    if (error)
        *error = std::move(message);
    return false;
}

std::string at(std::uint64_t index) { return "event " + std::to_string(index) + ": "; }

// ---- Byte sources: a string, a file, and a gzip stream inflated from either, a chunk at a time.

class MemorySource final : public JsonByteSource {
public:
    MemorySource(const char *data, std::size_t size) : m_data(data), m_left(size) {}
    std::size_t read(char *buffer, std::size_t capacity, std::string *) override
    {
        const std::size_t n = std::min(capacity, m_left);
        std::memcpy(buffer, m_data, n);
        m_data += n;
        m_left -= n;
        return n;
    }

private:
    const char *m_data;
    std::size_t m_left;
};

class FileSource final : public JsonByteSource {
public:
    FileSource(std::FILE *file, std::string path) : m_file(file), m_path(std::move(path)) {}
    std::size_t read(char *buffer, std::size_t capacity, std::string *error) override
    {
        const std::size_t n = std::fread(buffer, 1, capacity, m_file);
        if (n == 0 && std::ferror(m_file))
            *error = "cannot read " + m_path;
        return n;
    }

private:
    std::FILE *m_file;
    std::string m_path;
};

// Inflates `input` (gzip or zlib, by its header) as the reader asks for bytes. More than
// `limit` inflated bytes is an error, not an allocation: what a gzip bomb costs is bounded.
class GzipSource final : public JsonByteSource {
public:
    GzipSource(JsonByteSource &input, std::uint64_t limit) : m_input(input), m_limit(limit)
    {
        m_ok = inflateInit2(&m_z, 15 + 32) == Z_OK;  // 32: accept a gzip header
    }
    ~GzipSource() override
    {
        if (m_ok)
            inflateEnd(&m_z);
    }
    std::size_t read(char *buffer, std::size_t capacity, std::string *error) override
    {
        if (!m_ok) {
            *error = "cannot inflate: out of memory";
            return 0;
        }
        if (m_ended)
            return 0;
        m_z.next_out = reinterpret_cast<Bytef *>(buffer);
        m_z.avail_out = uInt(std::min<std::size_t>(capacity, std::numeric_limits<uInt>::max()));
        while (m_z.avail_out > 0) {
            if (m_z.avail_in == 0 && !m_inputEnded) {
                std::string inputError;
                const std::size_t n = m_input.read(m_in, sizeof m_in, &inputError);
                if (!inputError.empty()) {
                    *error = inputError;
                    return 0;
                }
                m_inputEnded = n == 0;
                m_z.next_in = reinterpret_cast<Bytef *>(m_in);
                m_z.avail_in = uInt(n);
            }
            const int status = inflate(&m_z, Z_NO_FLUSH);
            if (status == Z_STREAM_END) {
                m_ended = true;
                break;
            }
            if (status == Z_BUF_ERROR && m_inputEnded) {
                *error = "not valid gzip: truncated";  // the input ended before the stream
                return 0;
            }
            if (status != Z_OK && status != Z_BUF_ERROR) {
                *error = std::string("not valid gzip: ") + (m_z.msg ? m_z.msg : "corrupt");
                return 0;
            }
        }
        const std::size_t produced = std::size_t(reinterpret_cast<char *>(m_z.next_out) - buffer);
        m_total += produced;
        if (m_total > m_limit) {
            *error = "not a trace: it inflates to more than " + std::to_string(m_limit) + " bytes";
            return 0;
        }
        return produced;
    }

private:
    JsonByteSource &m_input;
    const std::uint64_t m_limit;
    z_stream m_z{};
    bool m_ok = false;
    bool m_ended = false;
    bool m_inputEnded = false;
    std::uint64_t m_total = 0;
    char m_in[1 << 16];
};

// ---- The trace-event fields the importer reads. Adding one is a row here and a use below.

enum EventField { EvPh, EvName, EvCat, EvTid, EvTs, EvDur, EvId, EvArgs, kEventFields };
enum ArgField {
    ArgName, ArgQueue, ArgAsyncId, ArgTrigger, ArgDelay, ArgRepeat, ArgSource, ArgFunction,
    ArgBlocked, ArgWork, ArgLength, ArgText, ArgSiteInherited, kArgFields
};
struct FieldKey {
    std::string_view key;
    int field;
};
constexpr FieldKey kEventKeys[] = {
    {"ph", EvPh}, {"name", EvName}, {"cat", EvCat}, {"tid", EvTid}, {"ts", EvTs},
    {"dur", EvDur}, {"id", EvId}, {"args", EvArgs},
};
constexpr FieldKey kArgKeys[] = {
    {"name", ArgName}, {"queue", ArgQueue}, {"asyncId", ArgAsyncId}, {"triggerAsyncId", ArgTrigger},
    {"delayMs", ArgDelay}, {"repeat", ArgRepeat}, {"source", ArgSource}, {"function", ArgFunction},
    {"blockedMs", ArgBlocked}, {"work", ArgWork}, {"length", ArgLength}, {"text", ArgText},
    {"siteInherited", ArgSiteInherited},
};

template<std::size_t N>
int fieldOf(const FieldKey (&keys)[N], const std::string &key)
{
    for (const FieldKey &k : keys)
        if (k.key == key)
            return k.field;
    return -1;
}

// One field's value as the file had it. Strings keep their capacity from event to event.
struct FieldValue {
    using Type = JsonStreamReader::Type;
    Type type = Type::End;  // End: absent
    double number = 0;
    bool flag = false;
    std::string text;

    bool present() const { return type != Type::End; }
    bool isNumber() const { return type == Type::Number; }
    std::string_view string() const { return type == Type::String ? std::string_view(text) : std::string_view(); }
};

// Reads one value into `v`: scalars are kept, containers skipped (their type noted).
bool readField(JsonStreamReader &reader, FieldValue &v)
{
    v.type = reader.peek();
    switch (v.type) {
    case FieldValue::Type::String: return reader.readString(v.text);
    case FieldValue::Type::Number: return reader.readNumber(v.number);
    case FieldValue::Type::Bool: return reader.readBool(v.flag);
    case FieldValue::Type::Null: return reader.readNull();
    case FieldValue::Type::Object:
    case FieldValue::Type::Array: return reader.skipValue();
    case FieldValue::Type::End:
    case FieldValue::Type::Error: return reader.skipValue();  // fails with the reader's reason
    }
    return false;
}

// A JSON number, times `scale`, as a count a record can hold: finite, not negative, at most 2^53
// (beyond that a double is not an integer any more). Converting anything else would be
// undefined behaviour (found by the fuzzer: a negative triggerAsyncId).
bool toCount(const FieldValue &value, double scale, std::uint64_t *out)
{
    if (!value.isNumber())
        return false;
    const double d = value.number * scale;
    if (!(d >= 0.0) || d > 9007199254740992.0)
        return false;
    *out = std::uint64_t(std::llround(d));
    return true;
}

// QJsonValue::toInt: an integral number in int's range, else 0.
int toInt(const FieldValue &value)
{
    if (!value.isNumber())
        return 0;
    const double d = value.number;
    if (!(d >= double(std::numeric_limits<int>::min()) && d <= double(std::numeric_limits<int>::max()))
        || d != std::floor(d))
        return 0;
    return int(d);
}

// Decimal digits, optionally signed '+' and blank-padded, as QString::toULongLong takes them.
bool parseUnsigned(std::string_view s, std::uint64_t *out)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    if (s.empty())
        return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        if (v > (std::numeric_limits<std::uint64_t>::max() - std::uint64_t(c - '0')) / 10)
            return false;
        v = v * 10 + std::uint64_t(c - '0');
    }
    *out = v;
    return true;
}

// How many UTF-16 units a (valid) UTF-8 string is, and its first code point: "one letter" is
// one unit, as it was when the importer compared QStrings.
std::size_t utf16Length(std::string_view s, unsigned *first)
{
    std::size_t units = 0;
    *first = 0;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (units == 0) {
            unsigned cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
            for (int k = 1; k < len && i + std::size_t(k) < s.size(); ++k)
                cp = cp << 6 | (static_cast<unsigned char>(s[i + std::size_t(k)]) & 0x3F);
            *first = cp;
        }
        units += len == 4 ? 2 : 1;
        i += std::size_t(len);
    }
    return units;
}

bool phaseByName(std::string_view name, LoopPhase *out)
{
    for (int p = int(LoopPhase::Timers); p <= int(LoopPhase::Close); ++p) {
        if (name == loopPhaseName(LoopPhase(p))) {
            *out = LoopPhase(p);
            return true;
        }
    }
    return false;
}

bool queueByName(std::string_view name, CallbackQueue *out)
{
    for (int q = int(CallbackQueue::None); q <= int(CallbackQueue::Main); ++q) {
        if (name == callbackQueueName(CallbackQueue(q))) {
            *out = CallbackQueue(q);
            return true;
        }
    }
    return false;
}

// ---- What is staged until the whole file is known to be valid.

// One thread's records in file order, in fixed-size chunks: no copy of everything when it
// grows, and each chunk is freed as soon as the final merge has appended it.
struct ThreadStage {
    static constexpr std::size_t kChunk = 16384;  // records (512 KiB)
    int tid = 0;
    bool named = false;
    std::string name;
    std::vector<std::vector<TraceRecord>> chunks;
    std::uint64_t count = 0;
    std::vector<CallbackQueue> open;  // queues of the open B slices

    TraceRecord &at(std::uint64_t i) { return chunks[i / kChunk][i % kChunk]; }
    void add(const TraceRecord &r)
    {
        if (chunks.empty() || chunks.back().size() == kChunk) {
            chunks.emplace_back();
            if (chunks.size() > 1)
                chunks.back().reserve(kChunk);  // a long thread: skip the doublings
        }
        chunks.back().push_back(r);
        ++count;
    }
};

// asyncId → where its init records are staged (thread slot, record index) and whether a flow
// start ("s") named it. Node's ids are a dense counter: a flat table for those, bounded by the
// number of events read so far; a hash map for ids far outside it.
class ResourceTable {
public:
    static constexpr std::uint64_t kFlow = std::uint64_t(1) << 63;
    static constexpr std::uint64_t kPresent = std::uint64_t(1) << 62;

    static std::uint64_t pack(std::uint32_t slot, std::uint64_t index, bool flow)
    {
        return kPresent | (flow ? kFlow : 0) | std::uint64_t(slot) << 40 | (index & ((std::uint64_t(1) << 40) - 1));
    }
    static std::uint32_t slotOf(std::uint64_t v) { return std::uint32_t((v >> 40) & 0x3FFFFF); }
    static std::uint64_t indexOf(std::uint64_t v) { return v & ((std::uint64_t(1) << 40) - 1); }

    std::uint64_t find(std::uint64_t id) const
    {
        if (id < m_dense.size())
            return m_dense[id];
        const auto it = m_sparse.find(id);
        return it == m_sparse.end() ? 0 : it->second;
    }
    void set(std::uint64_t id, std::uint64_t value, std::uint64_t eventsRead)
    {
        if (id >= m_dense.size() && id < 4 * eventsRead + 65536)
            m_dense.resize(std::max<std::uint64_t>(id + 1, m_dense.size() + m_dense.size() / 2), 0);
        if (id < m_dense.size())
            m_dense[id] = value;
        else
            m_sparse[id] = value;
    }

private:
    std::vector<std::uint64_t> m_dense;
    std::unordered_map<std::uint64_t, std::uint64_t> m_sparse;
};

class ChromeTraceParser {
public:
    bool parse(JsonStreamReader &reader, std::string *error);
    bool appendTo(Trace &into, std::string *error);

private:
    bool readEvent(JsonStreamReader &reader);
    bool readArgs(JsonStreamReader &reader);
    bool event(std::uint64_t i, std::string *error);
    std::uint32_t slot(int tid);  // the thread's index in m_threads, added if new
    ThreadStage &thread(int tid) { return m_threads[slot(tid)]; }
    std::uint32_t local(std::string_view s);

    FieldValue m_event[kEventFields];
    FieldValue m_args[kArgFields];
    std::string m_key;

    std::vector<ThreadStage> m_threads;
    std::unordered_map<int, std::uint32_t> m_slots;  // tid → index in m_threads
    ResourceTable m_resources;
    std::vector<std::string> m_strings;  // interned after validation
    std::unordered_map<std::string, std::uint32_t> m_stringIndex;
    std::uint64_t m_eventsRead = 0;
    int m_lastTid = 0;
    std::uint32_t m_lastSlot = ~0u;
};

std::uint32_t ChromeTraceParser::slot(int tid)
{
    if (m_lastSlot != ~0u && tid == m_lastTid)
        return m_lastSlot;
    auto [it, inserted] = m_slots.emplace(tid, std::uint32_t(m_threads.size()));
    if (inserted) {
        m_threads.emplace_back();
        m_threads.back().tid = tid;
    }
    m_lastTid = tid;
    m_lastSlot = it->second;
    return it->second;
}

std::uint32_t ChromeTraceParser::local(std::string_view s)
{
    auto it = m_stringIndex.find(std::string(s));
    if (it != m_stringIndex.end())
        return it->second;
    m_strings.emplace_back(s);
    const auto id = std::uint32_t(m_strings.size());  // a provisional id: 1-based index into m_strings
    m_stringIndex.emplace(m_strings.back(), id);
    return id;
}

bool ChromeTraceParser::readArgs(JsonStreamReader &reader)
{
    for (FieldValue &v : m_args)
        v.type = FieldValue::Type::End;
    if (reader.peek() != JsonStreamReader::Type::Object)
        return reader.skipValue();  // not an object: no args, as QJsonValue::toObject() had it
    reader.beginObject();
    while (reader.nextKey(m_key)) {
        const int f = fieldOf(kArgKeys, m_key);
        if (!(f >= 0 ? readField(reader, m_args[f]) : reader.skipValue()))
            return false;
    }
    return !reader.failed();
}

bool ChromeTraceParser::readEvent(JsonStreamReader &reader)
{
    for (FieldValue &v : m_event)
        v.type = FieldValue::Type::End;
    for (FieldValue &v : m_args)
        v.type = FieldValue::Type::End;
    reader.beginObject();
    while (reader.nextKey(m_key)) {
        const int f = fieldOf(kEventKeys, m_key);
        bool ok;
        if (f == EvArgs) {
            m_event[EvArgs].type = reader.peek();
            ok = readArgs(reader);
        } else {
            ok = f >= 0 ? readField(reader, m_event[f]) : reader.skipValue();
        }
        if (!ok)
            return false;
    }
    return !reader.failed();
}

bool ChromeTraceParser::parse(JsonStreamReader &reader, std::string *error)
{
    const char *notATrace = "not a trace: expected an object with a \"traceEvents\" array";
    if (reader.peek() != JsonStreamReader::Type::Object) {
        if (reader.skipValue() && reader.atEnd())
            return fail(error, notATrace);
        return fail(error, reader.error());
    }
    reader.beginObject();
    bool sawEvents = false;
    while (reader.nextKey(m_key)) {
        if (m_key != "traceEvents") {
            if (!reader.skipValue())
                break;
            continue;
        }
        if (sawEvents)
            return fail(error, "not a trace: more than one \"traceEvents\"");
        if (reader.peek() != JsonStreamReader::Type::Array) {
            if (!reader.skipValue())
                break;
            continue;  // judged at the end, once the file is known to be JSON
        }
        sawEvents = true;
        reader.beginArray();
        for (std::uint64_t i = 0; reader.nextElement(); ++i) {
            const JsonStreamReader::Type type = reader.peek();
            if (type != JsonStreamReader::Type::Object) {
                if (type == JsonStreamReader::Type::Error || type == JsonStreamReader::Type::End)
                    break;
                return fail(error, at(i) + "not an object");
            }
            if (!readEvent(reader))
                break;
            m_eventsRead = i + 1;
            if (!event(i, error))
                return false;
        }
        if (reader.failed())
            break;
    }
    if (reader.failed() || !reader.atEnd())
        return fail(error, reader.failed() && reader.error().empty() ? "not JSON" : reader.error());
    if (!sawEvents)
        return fail(error, notATrace);

    std::vector<const ThreadStage *> byTid;
    for (const ThreadStage &t : m_threads)
        byTid.push_back(&t);
    std::sort(byTid.begin(), byTid.end(), [](const ThreadStage *a, const ThreadStage *b) { return a->tid < b->tid; });
    for (const ThreadStage *t : byTid)
        if (!t->open.empty())
            return fail(error, "thread " + std::to_string(t->tid) + " has a \"B\" without its \"E\"");
    for (const ThreadStage *t : byTid)
        if (t->count && !t->named)
            return fail(error, "thread " + std::to_string(t->tid) + " has events but no thread_name");
    return true;
}

bool ChromeTraceParser::event(std::uint64_t i, std::string *error)
{
    const FieldValue *e = m_event;
    const FieldValue *args = m_event[EvArgs].type == FieldValue::Type::Object ? m_args : nullptr;
    static const FieldValue kAbsent;
    auto arg = [&](int f) -> const FieldValue & { return args ? args[f] : kAbsent; };

    unsigned letter;
    if (utf16Length(e[EvPh].string(), &letter) != 1)
        return fail(error, at(i) + "\"ph\" is missing or not one letter");
    if (!e[EvTid].isNumber())
        return fail(error, at(i) + "\"tid\" is missing or not a number");
    std::uint64_t t;
    if (!toCount(e[EvTs], 1000.0, &t))
        return fail(error, at(i) + "\"ts\" is missing or not a number");
    // A file's clock starts at 0, which the index reads as "not (yet)" (a resource made at the
    // first instant would have no creation): imported times start one second later.
    t += kImportedOriginNs;
    const int tid = toInt(e[EvTid]);
    // A trace holds at most 65535 writers; the resource table packs the thread in 22 bits.
    if (m_threads.size() >= 65536 && !m_slots.count(tid))
        return fail(error, "too many threads");
    const std::string_view name = e[EvName].string();
    const std::string_view cat = e[EvCat].string();
    auto duration = [&](std::uint64_t *out) {
        if (!toCount(e[EvDur], 1000.0, out))
            return fail(error, at(i) + "\"dur\" is missing or negative");
        return true;
    };
    auto number = [&](int f, const char *key, std::uint64_t *out) {
        if (!toCount(arg(f), 1.0, out))
            return fail(error, at(i) + "args." + key + " is missing or not a number");
        return true;
    };
    // An optional count: 0 when absent, an error when present but not a count.
    auto optional = [&](int f, const char *key, double scale, std::uint64_t *out) {
        *out = 0;
        if (!arg(f).present())
            return true;
        if (!toCount(arg(f), scale, out))
            return fail(error, at(i) + "args." + key + " is not a non-negative number");
        return true;
    };
    const char kind = letter < 256 ? char(letter) : 0;
    switch (kind) {
    case 'M':
        if (name == "thread_name") {
            ThreadStage &thread = this->thread(tid);
            thread.named = true;
            thread.name = arg(ArgName).string();
        }
        break;
    case 'X': {
        std::uint64_t dur;
        if (!duration(&dur))
            return false;
        ThreadStage &thread = this->thread(tid);
        if (cat == "loop") {
            std::uint64_t n = 0;
            if (name.substr(0, 10) != "iteration " || !parseUnsigned(name.substr(10), &n))
                return fail(error, at(i) + "a loop slice must be named \"iteration N\"");
            thread.add(TraceRecord{t, TraceKind::IterationStart, 0, 0, 0, n, 0});
            thread.add(TraceRecord{t + dur, TraceKind::IterationEnd, 0, 0, 0, n, 0});
        } else if (cat == "phase") {
            LoopPhase phase;
            if (!phaseByName(name, &phase))
                return fail(error, at(i) + "unknown loop phase \"" + std::string(name) + "\"");
            thread.add(TraceRecord{t, TraceKind::PhaseEnter, std::uint8_t(phase), 0, 0, 0, 0});
            std::uint64_t blocked;
            if (!optional(ArgBlocked, "blockedMs", 1e6, &blocked))
                return false;
            if (phase == LoopPhase::Poll && arg(ArgBlocked).present())
                thread.add(TraceRecord{t + dur, TraceKind::PollEnd, 0, 0, 0, blocked, 0});
        } else if (cat == "threadpool") {
            std::uint64_t work;
            if (!number(ArgWork, "work", &work))
                return false;
            thread.add(TraceRecord{t, TraceKind::PoolStart, 0, 0, 0, work, 0});
            thread.add(TraceRecord{t + dur, TraceKind::PoolFinish, 0, 0, 0, work, 0});
        } else {
            return fail(error, at(i) + "unknown slice category \"" + std::string(cat) + "\"");
        }
        break;
    }
    case 's': {
        std::uint64_t id;
        if (!toCount(e[EvId], 1.0, &id))
            return fail(error, at(i) + "a flow start needs a numeric \"id\"");
        const std::uint32_t type = local(name);
        const std::uint32_t slot = this->slot(tid);
        ThreadStage &thread = m_threads[slot];
        m_resources.set(id, ResourceTable::pack(slot, thread.count, true), m_eventsRead);
        thread.add(TraceRecord{t, TraceKind::AsyncInit, 0, 0, type, id, 0});
        thread.add(TraceRecord{t, TraceKind::AsyncSource, 0, 0, 0, 0, ~std::uint64_t(0)});  // filled at B
        thread.add(TraceRecord{t, TraceKind::AsyncName, 0, 0, 0, id, 0});  // filled at B, or left out
        break;
    }
    case 'f': {
        std::uint64_t id;
        if (!toCount(e[EvId], 1.0, &id) || !(m_resources.find(id) & ResourceTable::kFlow))
            return fail(error, at(i) + "flow end without an earlier flow start of the same id");
        break;
    }
    case 'B': {
        CallbackQueue queue{};  // set by queueByName; initialised for GCC's flow analysis
        if (!queueByName(arg(ArgQueue).string(), &queue))
            return fail(error, at(i) + "args.queue is missing or not a queue name");
        std::uint64_t asyncId, trigger, delay;
        if (!number(ArgAsyncId, "asyncId", &asyncId) || !optional(ArgTrigger, "triggerAsyncId", 1.0, &trigger)
            || !optional(ArgDelay, "delayMs", 1.0, &delay))
            return false;
        std::uint64_t known = m_resources.find(asyncId);
        if (!known) {
            // A resource with no flow: the runtime's own. Its creation time is not in the file.
            const std::uint32_t type = local(name);
            const std::uint32_t slot = this->slot(tid);
            ThreadStage &thread = m_threads[slot];
            known = ResourceTable::pack(slot, thread.count, false);
            m_resources.set(asyncId, known, m_eventsRead);
            thread.add(TraceRecord{t, TraceKind::AsyncInit, TraceInitInternal, 0, type, asyncId, trigger});
            thread.add(TraceRecord{t, TraceKind::AsyncSource, 0, 0, 0, 0, ~std::uint64_t(0)});
            thread.add(TraceRecord{t, TraceKind::AsyncName, 0, 0, 0, asyncId, 0});
        }
        // Details of the resource ride on its callbacks: put them back on its init records.
        {
            ThreadStage &initThread = m_threads[ResourceTable::slotOf(known)];
            const std::uint64_t index = ResourceTable::indexOf(known);
            initThread.at(index).c = trigger;
            TraceRecord &source = initThread.at(index + 1);
            const std::string_view where = arg(ArgSource).string();
            const std::size_t colon2 = where.rfind(':');
            const std::size_t colon1 = colon2 != std::string_view::npos && colon2 > 0 ? where.rfind(':', colon2 - 1)
                                                                                      : std::string_view::npos;
            if (colon1 != std::string_view::npos && colon1 > 0) {
                std::uint64_t line = 0, column = 0;
                if (!parseUnsigned(where.substr(colon1 + 1, colon2 - colon1 - 1), &line))
                    line = 0;
                if (!parseUnsigned(where.substr(colon2 + 1), &column) || column > 0xFFFFFFFFu)
                    column = 0;
                source.a = local(where.substr(0, colon1));
                source.b = (line << 32) | column;
            }
            const std::string_view function = arg(ArgFunction).string();
            if (!function.empty())
                initThread.at(index + 2).a = local(function);
            if (arg(ArgDelay).present())
                source.c = (delay << 1) | (arg(ArgRepeat).type == FieldValue::Type::Bool && arg(ArgRepeat).flag ? 1 : 0);
            if (arg(ArgSiteInherited).type == FieldValue::Type::Bool && arg(ArgSiteInherited).flag)
                source.detail = TraceSourceInherited;
        }
        ThreadStage &thread = this->thread(tid);
        thread.open.push_back(queue);
        thread.add(TraceRecord{t, TraceKind::CallbackBefore, std::uint8_t(queue), 0, 0, asyncId, 0});
        break;
    }
    case 'E': {
        ThreadStage &thread = this->thread(tid);
        if (thread.open.empty())
            return fail(error, at(i) + "\"E\" without an open \"B\" on thread " + std::to_string(tid));
        const CallbackQueue queue = thread.open.back();
        thread.open.pop_back();
        // The asyncId is the matching B's: found when the records are replayed in time order.
        thread.add(TraceRecord{t, TraceKind::CallbackAfter, std::uint8_t(queue), 0, 0, 0, 0});
        break;
    }
    case 'i':
        if (cat == "console") {
            std::uint64_t length;
            if (!number(ArgLength, "length", &length))
                return false;
            const std::string_view text = arg(ArgText).string();
            char head[20] = {};
            if (!text.empty())  // an absent text is a null view: no memcpy from null (found by the fuzzer)
                std::memcpy(head, text.data(), std::min(text.size(), sizeof head));
            TraceRecord bytes{t, TraceKind::ConsoleBytes, 0, 0, 0, 0, 0};
            std::memcpy(&bytes.a, head, 4);
            std::memcpy(&bytes.b, head + 4, 8);
            std::memcpy(&bytes.c, head + 12, 8);
            ThreadStage &thread = this->thread(tid);
            thread.add(TraceRecord{t, TraceKind::ConsoleWrite, std::uint8_t(name == "stderr" ? 2 : 1), 0,
                                   std::uint32_t(length), 0, 0});
            thread.add(bytes);
        } else if (cat == "threadpool") {
            std::uint64_t work;
            if (!number(ArgWork, "work", &work))
                return false;
            if (name.substr(0, 7) == "submit ") {
                const std::uint32_t what = local(name.substr(7));
                this->thread(tid).add(TraceRecord{t, TraceKind::PoolSubmit, 0, 0, what, work, 0});
            } else if (name.substr(0, 9) == "complete ") {
                this->thread(tid).add(TraceRecord{t, TraceKind::PoolComplete, 0, 0, 0, work, 0});
            } else {
                return fail(error, at(i) + "unknown thread-pool event \"" + std::string(name) + "\"");
            }
        } else if (cat == "timer" && name == "refresh") {
            std::uint64_t asyncId;
            if (!number(ArgAsyncId, "asyncId", &asyncId))
                return false;
            this->thread(tid).add(TraceRecord{t, TraceKind::TimerRearm, 0, 0, 0, asyncId, 0});
        } else if (cat == "close") {
            std::uint64_t asyncId;
            if (!number(ArgAsyncId, "asyncId", &asyncId))
                return false;
            const std::string_view function = arg(ArgFunction).string();
            this->thread(tid).add(TraceRecord{t, TraceKind::CloseRequest, 0, 0,
                                              function.empty() ? 0 : local(function), asyncId, 0});
        }
        break;
    case 'C':
        break;  // counters are derived from the records
    default:
        return fail(error, at(i) + "unsupported \"ph\" \"" + std::string(e[EvPh].string()) + "\"");
    }
    return true;
}

// Valid: intern, then append each named thread's records in time order (stable: equal times
// keep file order). Each chunk is sorted on its own, then the chunks are merged; a chunk is
// freed once merged, so the staging shrinks while the trace grows.
bool ChromeTraceParser::appendTo(Trace &into, std::string *error)
{
    std::size_t named = 0;
    for (const ThreadStage &t : m_threads)
        named += t.named ? 1 : 0;
    if (into.writerCount() + named > 65535)
        return fail(error, "too many threads");
    std::vector<std::uint32_t> ids(m_strings.size() + 1, 0);
    for (std::size_t s = 0; s < m_strings.size(); ++s)
        ids[s + 1] = into.intern(m_strings[s]);
    m_stringIndex.clear();
    m_strings.clear();

    std::vector<ThreadStage *> byTid;
    for (ThreadStage &t : m_threads)
        if (t.named)
            byTid.push_back(&t);
    std::sort(byTid.begin(), byTid.end(), [](const ThreadStage *a, const ThreadStage *b) { return a->tid < b->tid; });
    const auto earlier = [](const TraceRecord &x, const TraceRecord &y) { return x.timeNs < y.timeNs; };
    for (ThreadStage *thread : byTid) {
        TraceWriter *w = into.addWriter(thread->name);
        if (!w)
            return fail(error, "too many threads");
        auto &chunks = thread->chunks;
        for (auto &chunk : chunks)
            std::stable_sort(chunk.begin(), chunk.end(), earlier);
        std::vector<std::uint64_t> openIds;
        auto replay = [&](TraceRecord r) {
            switch (r.kind) {
            case TraceKind::AsyncInit:
            case TraceKind::PoolSubmit:
            case TraceKind::AsyncSource:
            case TraceKind::CloseRequest: r.a = ids[r.a]; break;
            case TraceKind::AsyncName:
                if (r.a == 0)
                    return;  // the file named no function
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
        };
        // The heap holds (time, chunk) of each chunk's next record; ties go to the earlier chunk.
        using Head = std::pair<std::uint64_t, std::size_t>;
        std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
        std::vector<std::size_t> cursor(chunks.size(), 0);
        for (std::size_t c = 0; c < chunks.size(); ++c)
            if (!chunks[c].empty())
                heads.emplace(chunks[c][0].timeNs, c);
        while (!heads.empty()) {
            const std::size_t c = heads.top().second;
            heads.pop();
            // Take this chunk's run of records up to the next chunk's head.
            const std::uint64_t until = heads.empty() ? std::numeric_limits<std::uint64_t>::max() : heads.top().first;
            const std::size_t other = heads.empty() ? 0 : heads.top().second;
            auto &chunk = chunks[c];
            std::size_t &k = cursor[c];
            while (k < chunk.size() && (chunk[k].timeNs < until || (chunk[k].timeNs == until && c < other)))
                replay(chunk[k++]);
            if (k < chunk.size())
                heads.emplace(chunk[k].timeNs, c);
            else
                std::vector<TraceRecord>().swap(chunk);  // merged: give its memory back
        }
        chunks.clear();
    }
    return true;
}

// The reader's buffer: 1 MiB for files, less for small inputs (a fuzzer's, a test's), so a
// small import does not allocate what a large one needs.
std::size_t bufferFor(std::uint64_t inputBytes, bool gzip)
{
    const std::uint64_t expected = gzip ? inputBytes * 8 : inputBytes;
    return std::size_t(std::clamp<std::uint64_t>(expected + 1, 4096, std::uint64_t(1) << 20));
}

bool parseInto(JsonByteSource &source, Trace &into, std::string *error, std::size_t bufferBytes = std::size_t(1) << 20)
{
    JsonStreamReader reader(source, bufferBytes);
    ChromeTraceParser parser;
    if (!parser.parse(reader, error))
        return false;
    return parser.appendTo(into, error);
}

// A gzip stream may inflate to at most this many times its own size (deflate can reach ~1000;
// exported traces are 10–30), and never past the caller's cap. Below kGzipFloor, any ratio.
constexpr std::uint64_t kGzipRatio = 200;
constexpr std::uint64_t kGzipFloor = std::uint64_t(64) << 20;

std::uint64_t gzipLimit(std::uint64_t compressedBytes, std::size_t maxJsonBytes)
{
    return std::min<std::uint64_t>(maxJsonBytes, std::max(kGzipFloor, compressedBytes * kGzipRatio));
}

bool isGzip(const char *head, std::size_t size)
{
    return size >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
}

} // namespace

bool traceFromJsonStream(JsonByteSource &source, Trace &into, std::string *error)
{
    return parseInto(source, into, error);
}

bool traceFromChromeJson(const std::string &json, Trace &into, std::string *error)
{
    MemorySource source(json.data(), json.size());
    return parseInto(source, into, error, bufferFor(json.size(), false));
}

bool traceFromFileBytes(const std::string &bytes, Trace &into, std::string *error, std::size_t maxJsonBytes)
{
    MemorySource source(bytes.data(), bytes.size());
    const bool gz = isGzip(bytes.data(), bytes.size());
    if (!gz)
        return parseInto(source, into, error, bufferFor(bytes.size(), false));
    GzipSource gzip(source, gzipLimit(bytes.size(), maxJsonBytes));
    return parseInto(gzip, into, error, bufferFor(bytes.size(), true));
}

bool readChromeTrace(const std::string &path, Trace &into, std::string *error, std::size_t maxJsonBytes)
{
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return fail(error, "cannot read " + path);
    struct stat info {};
    const std::uint64_t size = fstat(fileno(f), &info) == 0 ? std::uint64_t(info.st_size) : 0;
    char head[2];
    const std::size_t headBytes = std::fread(head, 1, sizeof head, f);
    bool ok;
    if (std::ferror(f) || std::fseek(f, 0, SEEK_SET) != 0) {
        ok = fail(error, "cannot read " + path);
    } else {
        FileSource file(f, path);
        if (isGzip(head, headBytes)) {
            GzipSource gzip(file, gzipLimit(size, maxJsonBytes));
            ok = parseInto(gzip, into, error);
        } else {
            ok = parseInto(file, into, error);
        }
        if (!ok && error && error->rfind("cannot read ", 0) != 0)
            *error = path + ": " + *error;
    }
    std::fclose(f);
    return ok;
}

} // namespace Loopscope::Runtime
