#include "runstream.h"

#include <cstring>

namespace Loopscope::Runtime {

namespace RunStream {

namespace {

template<typename T>
void put(std::string &out, T value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // little-endian: parent and child are one machine
    out.append(bytes, sizeof(T));
}

template<typename T>
T get(std::string_view in, std::size_t offset)
{
    T value{};
    std::memcpy(&value, in.data() + offset, sizeof(T));
    return value;
}

constexpr std::size_t kHeader = 5;
constexpr std::uint32_t kMaxFrame = 64u << 20;

} // namespace

std::string frame(Frame type, std::string_view payload)
{
    std::string out;
    out.reserve(kHeader + payload.size());
    out.push_back(char(type));
    put(out, std::uint32_t(payload.size()));
    out.append(payload);
    return out;
}

std::string outputFrame(OutputStream stream, std::string_view bytes)
{
    std::string payload;
    payload.reserve(1 + bytes.size());
    payload.push_back(char(stream));
    payload.append(bytes);
    return frame(Frame::Output, payload);
}

std::string resultFrame(const RunResult &result)
{
    std::string payload;
    payload.push_back(char(result.end));
    put(payload, std::int32_t(result.exitCode));
    put(payload, result.durationMs);
    payload.append(result.error);
    return frame(Frame::Result, payload);
}

bool FrameReader::next(Frame *type, std::string *payload)
{
    if (pending() < kHeader)
        return false;
    const std::string_view view(m_buffer.data() + m_offset, pending());
    const auto size = get<std::uint32_t>(view, 1);
    if (size > kMaxFrame) {
        // Not our stream: report it as one oversized frame the caller rejects.
        *type = Frame(0);
        payload->clear();
        m_buffer.clear();
        m_offset = 0;
        return true;
    }
    if (view.size() < kHeader + size)
        return false;
    *type = Frame(std::uint8_t(view[0]));
    payload->assign(view.data() + kHeader, size);
    m_offset += kHeader + size;
    if (m_offset > (1u << 16) && m_offset * 2 > m_buffer.size()) {
        m_buffer.erase(0, m_offset);
        m_offset = 0;
    }
    return true;
}

} // namespace RunStream

using RunStream::Frame;

std::string TracePump::take()
{
    std::string out;
    const std::size_t writers = m_trace->writerCount();
    // Records first (into a side buffer), then the strings interned so far: every string a
    // record refers to was interned before that record was published, so it is sent before it.
    std::string records;
    for (std::size_t w = 0; w < writers; ++w) {
        if (w >= m_cursors.size()) {
            std::string payload;
            RunStream::put(payload, std::uint16_t(w));
            payload.append(m_trace->writerName(std::uint16_t(w)));
            out += RunStream::frame(Frame::WriterName, payload);
            m_cursors.push_back(0);
        }
        m_cursors[w] = m_trace->forEachFrom(std::uint16_t(w), m_cursors[w], [&](const TraceRecord &r) {
            records.append(reinterpret_cast<const char *>(&r), sizeof r);
        });
    }
    for (;;) {
        const std::string s = m_trace->string(m_strings);
        if (s.empty())
            break;  // only id 0 is the empty string: this id is not interned yet
        std::string payload;
        RunStream::put(payload, m_strings);
        payload.append(s);
        out += RunStream::frame(Frame::String, payload);
        ++m_strings;
    }
    constexpr std::size_t kRecordsPerFrame = 8192;
    for (std::size_t at = 0; at < records.size(); at += kRecordsPerFrame * sizeof(TraceRecord))
        out += RunStream::frame(Frame::Records, std::string_view(records).substr(at, kRecordsPerFrame * sizeof(TraceRecord)));
    if (const std::uint64_t dropped = m_trace->dropped(); dropped != m_dropped) {
        m_dropped = dropped;
        std::string payload;
        RunStream::put(payload, dropped);
        out += RunStream::frame(Frame::TraceDropped, payload);
    }
    return out;
}

bool RunStreamDecoder::feed(const char *data, std::size_t size)
{
    if (!m_error.empty())
        return false;
    if (!m_magicSeen) {
        const std::size_t want = RunStream::kMagic.size() - m_magic.size();
        const std::size_t n = std::min(want, size);
        m_magic.append(data, n);
        data += n;
        size -= n;
        if (!RunStream::kMagic.starts_with(m_magic)) {
            m_error = "the child process did not speak the run stream protocol";
            return false;
        }
        if (m_magic.size() < RunStream::kMagic.size())
            return true;
        m_magicSeen = true;
    }
    m_reader.feed(data, size);
    Frame type;
    std::string payload;
    while (m_reader.next(&type, &payload)) {
        if (!handle(type, payload)) {
            if (m_error.empty())
                m_error = "malformed frame of type " + std::to_string(int(type)) + " from the child process";
            return false;
        }
    }
    return true;
}

bool RunStreamDecoder::handle(Frame type, const std::string &payload)
{
    using RunStream::get;
    switch (type) {
    case Frame::Output: {
        if (payload.empty())
            return false;
        const auto stream = OutputStream(std::uint8_t(payload[0]));
        if (stream != OutputStream::Stdout && stream != OutputStream::Stderr)
            return false;
        m_observer->outputWritten(stream, std::string_view(payload).substr(1));
        return true;
    }
    case Frame::StdinRequested:
        m_observer->stdinRequested();
        return true;
    case Frame::WriterName: {
        if (payload.size() < 2)
            return false;
        const auto index = get<std::uint16_t>(payload, 0);
        if (index != m_writers.size())
            return false;  // writers are announced once each, in index order
        m_writers.push_back(m_trace ? m_trace->addWriter(std::string_view(payload).substr(2)) : nullptr);
        return true;
    }
    case Frame::String: {
        if (payload.size() < 4)
            return false;
        const auto id = get<std::uint32_t>(payload, 0);
        if (m_stringIds.empty())
            m_stringIds.push_back(0);
        if (id != m_stringIds.size())
            return false;
        m_stringIds.push_back(m_trace ? m_trace->intern(std::string_view(payload).substr(4)) : 0);
        return true;
    }
    case Frame::Records: {
        if (payload.size() % sizeof(TraceRecord))
            return false;
        if (!m_trace)
            return true;
        for (std::size_t at = 0; at < payload.size(); at += sizeof(TraceRecord)) {
            TraceRecord r;
            std::memcpy(&r, payload.data() + at, sizeof r);
            if (r.thread >= m_writers.size() || !m_writers[r.thread])
                return false;
            // The kinds whose `a` names an interned string: ids are the child's, map them to ours
            // (identical in practice, since the parent's trace interns them in the same order).
            if (r.kind == TraceKind::AsyncInit || r.kind == TraceKind::AsyncSource || r.kind == TraceKind::PoolSubmit) {
                if (r.a >= m_stringIds.size() && r.a != 0)
                    return false;
                r.a = r.a ? m_stringIds[r.a] : 0;
            }
            m_writers[r.thread]->appendAt(r.timeNs, r.kind, r.detail, r.a, r.b, r.c);
        }
        return true;
    }
    case Frame::TraceDropped:
        if (payload.size() != 8)
            return false;
        m_childDropped = get<std::uint64_t>(payload, 0);
        return true;
    case Frame::Result: {
        if (payload.size() < 13)
            return false;
        RunResult result;
        result.end = RunEnd(std::uint8_t(payload[0]));
        result.exitCode = get<std::int32_t>(payload, 1);
        result.durationMs = get<double>(payload, 5);
        result.error = payload.substr(13);
        m_result = result;
        return true;
    }
    case Frame::StdinData:
    case Frame::StdinClose:
    case Frame::Stop:
        break;
    }
    return false;
}

} // namespace Loopscope::Runtime
