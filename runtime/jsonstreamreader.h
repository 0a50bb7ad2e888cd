#pragma once
// JsonStreamReader — a pull parser for JSON that arrives in chunks from a byte source, so a
// file of gigabytes (or its gzip stream) is parsed through one fixed buffer: nothing is kept
// but the value being read. The caller walks the structure it expects (beginObject, nextKey,
// readNumber, ...) and skips what it does not know (skipValue). Strict RFC 8259: strings are
// checked to be UTF-8, \u escapes (surrogate pairs too) come out as UTF-8, nesting is limited.
//
// Errors are sticky: after the first one every call returns false (or Type::Error) and error()
// says what and at which byte ("not JSON: ... at byte N"), or is the source's own message when
// the source failed (a corrupt gzip stream).
//
// Threads: one reader, one thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace Loopscope::Runtime {

// Where a JsonStreamReader's bytes come from.
class JsonByteSource {
public:
    virtual ~JsonByteSource() = default;
    // Up to `capacity` bytes into `buffer`: how many, 0 at the end. On failure: 0, with *error set.
    virtual std::size_t read(char *buffer, std::size_t capacity, std::string *error) = 0;
};

class JsonStreamReader final {
public:
    enum class Type { Error, End, Object, Array, String, Number, Bool, Null };
    static constexpr int kMaxDepth = 1024;

    explicit JsonStreamReader(JsonByteSource &source, std::size_t bufferBytes = std::size_t(1) << 20);

    Type peek();  // the next value's type, from its first byte (whitespace skipped)

    bool beginObject();              // consumes '{'
    bool nextKey(std::string &key);  // the next member's key and its ':'; false at the '}' (consumed)
    bool beginArray();               // consumes '['
    bool nextElement();              // true when another element follows; false at the ']' (consumed)

    bool readString(std::string &out);
    bool readNumber(double &out);  // beyond a double's range: ±infinity or 0
    bool readBool(bool &out);
    bool readNull();
    bool skipValue();  // any value, checked as strictly as if it were read

    bool atEnd();  // only whitespace is left (call after the top-level value)

    bool failed() const { return m_failed; }
    const std::string &error() const { return m_error; }
    std::uint64_t offset() const { return m_consumed + std::uint64_t(m_pos - m_buffer.get()); }

private:
    bool fill();
    int peekByte()
    {
        if (m_pos == m_end && !fill())
            return -1;
        return static_cast<unsigned char>(*m_pos);
    }
    int skipWhitespace();  // the next non-blank byte, not consumed; -1 at the end
    bool fail(const char *why);
    bool expectLiteral(const char *rest);
    bool scanString(std::string *out);
    bool readUtf8Tail(int lead, std::string *out);
    bool readEscape(std::string *out);
    bool readHex4(unsigned *out);
    bool closeContainer(char close);
    bool enter();

    JsonByteSource &m_source;
    const std::size_t m_capacity;
    std::unique_ptr<char[]> m_buffer;
    const char *m_pos;
    const char *m_end;
    std::uint64_t m_consumed = 0;  // bytes before m_buffer's start
    bool m_eof = false;
    bool m_failed = false;
    bool m_first = false;  // the container just opened has had no element yet
    int m_depth = 0;
    std::string m_error;
    std::string m_number;  // scratch
    std::string m_skipped; // scratch for skipped strings
    std::vector<char> m_skipStack;
};

} // namespace Loopscope::Runtime
