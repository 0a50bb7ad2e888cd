#pragma once
// runstream — the wire format between the IDE and a run in a child `loopscope` process (used
// when a run needs a thread-pool size other than the IDE's; see docs/architecture.md).
//
// Child → parent (the child's stdout): a magic line, then frames of [type u8][length u32 LE]
// [payload]. Output frames carry a stream id and the bytes exactly as the script wrote them, so
// stdout/stderr interleaving is kept. Trace frames carry writer names, interned strings and raw
// 32-byte records with the child's timestamps (CLOCK_MONOTONIC is one clock for every process on
// the machine, so they line up with the parent's). The last frame is the run's result.
//
// Parent → child (the child's stdin): the same frame layout carrying stdin bytes, end of stdin,
// and "stop". The child treats the end of its stdin pipe as a stop: it never outlives the IDE.
//
// Threads: an encoder's functions only build bytes; TracePump is used by one thread at a time;
// RunStreamDecoder is used by one thread (the one that owns the trace's imported writers).

#include "runtypes.h"
#include "trace.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Loopscope::Runtime {

namespace RunStream {

inline constexpr std::string_view kMagic = "LOOPSCOPE-RUNSTREAM 1\n";

enum class Frame : std::uint8_t {
    // child → parent
    Output = 1,          // u8 stream, bytes
    StdinRequested = 2,  // empty
    WriterName = 3,      // u16 writer index, name
    String = 4,          // u32 id, bytes
    Records = 5,         // n × TraceRecord (32 bytes each, native layout: same machine)
    TraceDropped = 6,    // u64 records the child's trace dropped
    Result = 7,          // u8 RunEnd, i32 exit code, f64 duration ms, error text
    // parent → child
    StdinData = 16,      // bytes
    StdinClose = 17,     // empty
    Stop = 18,           // empty
};

std::string frame(Frame type, std::string_view payload = {});
std::string outputFrame(OutputStream stream, std::string_view bytes);
std::string resultFrame(const RunResult &result);

// Splits a byte stream into frames. feed() bytes as they arrive; next() yields whole frames.
class FrameReader {
public:
    void feed(const char *data, std::size_t size) { m_buffer.append(data, size); }
    // One whole frame, or false when more bytes are needed.
    bool next(Frame *type, std::string *payload);
    std::size_t pending() const { return m_buffer.size() - m_offset; }

private:
    std::string m_buffer;
    std::size_t m_offset = 0;
};

} // namespace RunStream

// The child's side of the trace: turns what a Trace has published since the last call into
// frames (writer names and strings before the records that refer to them).
class TracePump final {
public:
    explicit TracePump(const Trace *trace) : m_trace(trace) {}
    std::string take();

private:
    const Trace *m_trace;
    std::vector<std::size_t> m_cursors;  // per writer: records already sent
    std::uint32_t m_strings = 1;         // string ids already sent (0, the empty string, is implied)
    std::uint64_t m_dropped = 0;
};

// The parent's side: decodes the child's stdout into observer calls and trace appends.
class RunStreamDecoder final {
public:
    // `trace` may be null (an untraced run: trace frames are then ignored).
    RunStreamDecoder(RunObserver *observer, Trace *trace) : m_observer(observer), m_trace(trace) {}

    // Decodes what arrived. Returns false once the stream is malformed (error() says how).
    bool feed(const char *data, std::size_t size);

    const std::optional<RunResult> &result() const { return m_result; }
    const std::string &error() const { return m_error; }
    std::uint64_t childDropped() const { return m_childDropped; }

private:
    bool handle(RunStream::Frame type, const std::string &payload);

    RunObserver *m_observer;
    Trace *m_trace;
    RunStream::FrameReader m_reader;
    bool m_magicSeen = false;
    std::string m_magic;
    std::vector<TraceWriter *> m_writers;   // by the child's writer index
    std::vector<std::uint32_t> m_stringIds; // the child's string id → ours
    std::optional<RunResult> m_result;
    std::string m_error;
    std::uint64_t m_childDropped = 0;
};

} // namespace Loopscope::Runtime
