#include "jsonstreamreader.h"

#include <charconv>
#include <clocale>
#include <cstdlib>
#include <locale.h>

namespace Loopscope::Runtime {

namespace {

void appendUtf8(unsigned cp, std::string *out)
{
    if (!out)
        return;
    if (cp < 0x80) {
        out->push_back(char(cp));
    } else if (cp < 0x800) {
        out->push_back(char(0xC0 | (cp >> 6)));
        out->push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out->push_back(char(0xE0 | (cp >> 12)));
        out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out->push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out->push_back(char(0xF0 | (cp >> 18)));
        out->push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out->push_back(char(0x80 | (cp & 0x3F)));
    }
}

constexpr unsigned kReplacement = 0xFFFD;  // what a lone UTF-16 surrogate becomes

// RFC 8259's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(const std::string &s)
{
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto digits = [&] {
        const std::size_t from = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > from;
    };
    if (i < n && s[i] == '-')
        ++i;
    if (i < n && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < n && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == n;
}

} // namespace

JsonStreamReader::JsonStreamReader(JsonByteSource &source, std::size_t bufferBytes)
    : m_source(source), m_capacity(bufferBytes ? bufferBytes : 1), m_buffer(new char[m_capacity]),
      m_pos(m_buffer.get()), m_end(m_buffer.get())
{
}

bool JsonStreamReader::fill()
{
    if (m_eof || m_failed)
        return false;
    m_consumed += std::uint64_t(m_end - m_buffer.get());
    m_pos = m_end = m_buffer.get();
    std::string sourceError;
    const std::size_t n = m_source.read(m_buffer.get(), m_capacity, &sourceError);
    if (n == 0) {
        if (!sourceError.empty()) {
            m_failed = true;
            m_error = std::move(sourceError);  // the source's own words ("not valid gzip: ...")
        }
        m_eof = true;
        return false;
    }
    m_end = m_buffer.get() + n;
    return true;
}

bool JsonStreamReader::fail(const char *why)
{
    if (m_failed)
        return false;
    m_failed = true;
    m_error = std::string("not JSON: ") + why + " at byte " + std::to_string(offset());
    return false;
}

int JsonStreamReader::skipWhitespace()
{
    for (;;) {
        while (m_pos < m_end && (*m_pos == ' ' || *m_pos == '\n' || *m_pos == '\r' || *m_pos == '\t'))
            ++m_pos;
        if (m_pos < m_end)
            return static_cast<unsigned char>(*m_pos);
        if (!fill())
            return -1;
    }
}

JsonStreamReader::Type JsonStreamReader::peek()
{
    if (m_failed)
        return Type::Error;
    const int c = skipWhitespace();
    if (m_failed)
        return Type::Error;
    switch (c) {
    case -1: return Type::End;
    case '{': return Type::Object;
    case '[': return Type::Array;
    case '"': return Type::String;
    case 't':
    case 'f': return Type::Bool;
    case 'n': return Type::Null;
    case '-': return Type::Number;
    default:
        if (c >= '0' && c <= '9')
            return Type::Number;
        fail("unexpected character");
        return Type::Error;
    }
}

bool JsonStreamReader::enter()
{
    ++m_pos;
    m_first = true;
    if (++m_depth > kMaxDepth)
        return fail("too deeply nested");
    return true;
}

bool JsonStreamReader::beginObject()
{
    const Type t = peek();
    if (t != Type::Object)
        return t == Type::End ? fail("unexpected end") : fail("expected an object");
    return enter();
}

bool JsonStreamReader::beginArray()
{
    const Type t = peek();
    if (t != Type::Array)
        return t == Type::End ? fail("unexpected end") : fail("expected an array");
    return enter();
}

bool JsonStreamReader::closeContainer(char close)
{
    (void)close;
    ++m_pos;
    --m_depth;
    m_first = false;  // the enclosing container has had this one as an element
    return false;
}

bool JsonStreamReader::nextKey(std::string &key)
{
    if (m_failed)
        return false;
    int c = skipWhitespace();
    if (c == '}')
        return closeContainer('}');
    if (!m_first) {
        if (c != ',')
            return c < 0 ? fail("unexpected end") : fail("expected ',' or '}'");
        ++m_pos;
        c = skipWhitespace();
    }
    if (c != '"')
        return c < 0 ? fail("unexpected end") : fail("expected a string key");
    m_first = false;
    key.clear();
    if (!scanString(&key))
        return false;
    c = skipWhitespace();
    if (c != ':')
        return c < 0 ? fail("unexpected end") : fail("expected ':'");
    ++m_pos;
    return true;
}

bool JsonStreamReader::nextElement()
{
    if (m_failed)
        return false;
    const int c = skipWhitespace();
    if (c == ']')
        return closeContainer(']');
    if (c < 0)
        return fail("unexpected end");
    if (!m_first) {
        if (c != ',')
            return fail("expected ',' or ']'");
        ++m_pos;
    }
    m_first = false;
    return true;
}

bool JsonStreamReader::readString(std::string &out)
{
    const Type t = peek();
    if (t != Type::String)
        return t == Type::End ? fail("unexpected end") : fail("expected a string");
    out.clear();
    return scanString(&out);
}

// At the opening quote. Plain ASCII runs are copied a buffer's span at a time.
bool JsonStreamReader::scanString(std::string *out)
{
    ++m_pos;
    for (;;) {
        const char *p = m_pos;
        while (p < m_end) {
            const unsigned char ch = static_cast<unsigned char>(*p);
            if (ch == '"' || ch == '\\' || ch < 0x20 || ch >= 0x80)
                break;
            ++p;
        }
        if (out)
            out->append(m_pos, p);
        m_pos = p;
        const int c = peekByte();
        if (c < 0)
            return m_failed ? false : fail("unterminated string");
        ++m_pos;
        if (c == '"')
            return true;
        if (c >= 0x20 && c < 0x80 && c != '\\') {  // plain: the fast path stopped at the buffer's end
            if (out)
                out->push_back(char(c));
        } else if (c == '\\') {
            if (!readEscape(out))
                return false;
        } else if (c < 0x20) {
            --m_pos;
            return fail("control character in a string");
        } else if (!readUtf8Tail(c, out)) {
            return false;
        }
    }
}

// The continuation bytes of a multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF).
bool JsonStreamReader::readUtf8Tail(int lead, std::string *out)
{
    int more;
    int low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        more = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        more = 2;
        if (lead == 0xE0)
            low = 0xA0;
        else if (lead == 0xED)
            high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        more = 3;
        if (lead == 0xF0)
            low = 0x90;
        else if (lead == 0xF4)
            high = 0x8F;
    } else {
        return fail("invalid UTF-8 in a string");
    }
    char bytes[4] = {char(lead)};
    for (int i = 1; i <= more; ++i) {
        const int c = peekByte();
        if (c < 0)
            return m_failed ? false : fail("unterminated string");
        if (c < low || c > high)
            return fail("invalid UTF-8 in a string");
        low = 0x80;
        high = 0xBF;
        bytes[i] = char(c);
        ++m_pos;
    }
    if (out)
        out->append(bytes, std::size_t(more + 1));
    return true;
}

bool JsonStreamReader::readHex4(unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
        const int c = peekByte();
        if (c < 0)
            return m_failed ? false : fail("unterminated string");
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return fail("bad \\u escape");
        v = v << 4 | unsigned(d);
        ++m_pos;
    }
    *out = v;
    return true;
}

// After the backslash.
bool JsonStreamReader::readEscape(std::string *out)
{
    const int c = peekByte();
    if (c < 0)
        return m_failed ? false : fail("unterminated string");
    ++m_pos;
    char plain;
    switch (c) {
    case '"': plain = '"'; break;
    case '\\': plain = '\\'; break;
    case '/': plain = '/'; break;
    case 'b': plain = '\b'; break;
    case 'f': plain = '\f'; break;
    case 'n': plain = '\n'; break;
    case 'r': plain = '\r'; break;
    case 't': plain = '\t'; break;
    case 'u': {
        unsigned u;
        if (!readHex4(&u))
            return false;
        while (u >= 0xD800 && u <= 0xDBFF) {  // a high surrogate: a low one should follow
            if (peekByte() != '\\') {
                appendUtf8(kReplacement, out);
                return !m_failed;
            }
            ++m_pos;
            if (peekByte() != 'u') {
                appendUtf8(kReplacement, out);
                return readEscape(out);  // some other escape after a lone high surrogate
            }
            ++m_pos;
            unsigned v;
            if (!readHex4(&v))
                return false;
            if (v >= 0xDC00 && v <= 0xDFFF) {
                appendUtf8(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), out);
                return true;
            }
            appendUtf8(kReplacement, out);
            u = v;
        }
        appendUtf8(u >= 0xDC00 && u <= 0xDFFF ? kReplacement : u, out);
        return true;
    }
    default:
        --m_pos;
        return fail("bad escape in a string");
    }
    if (out)
        out->push_back(plain);
    return true;
}

bool JsonStreamReader::readNumber(double &out)
{
    const Type t = peek();
    if (t != Type::Number)
        return t == Type::End ? fail("unexpected end") : fail("expected a number");
    m_number.clear();
    for (;;) {
        const int c = peekByte();
        if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
            break;
        m_number.push_back(char(c));
        ++m_pos;
    }
    if (m_failed)
        return false;
    if (!isJsonNumber(m_number))
        return fail("malformed number");
    const char *first = m_number.data();
    const char *last = first + m_number.size();
    const auto result = std::from_chars(first, last, out);
    if (result.ec == std::errc::result_out_of_range) {
        // Past a double's range: strtod says which way (infinity or zero), in the C locale
        // whatever the application's is.
        static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(0));
        out = strtod_l(first, nullptr, cLocale);
    } else if (result.ec != std::errc() || result.ptr != last) {
        return fail("malformed number");
    }
    return true;
}

bool JsonStreamReader::expectLiteral(const char *word)
{
    for (const char *w = word; *w; ++w) {
        const int c = peekByte();
        if (c != static_cast<unsigned char>(*w))
            return c < 0 ? (m_failed ? false : fail("unexpected end")) : fail("unknown literal");
        ++m_pos;
    }
    return true;
}

bool JsonStreamReader::readBool(bool &out)
{
    const Type t = peek();
    if (t != Type::Bool)
        return t == Type::End ? fail("unexpected end") : fail("expected true or false");
    out = *m_pos == 't';
    return expectLiteral(out ? "true" : "false");
}

bool JsonStreamReader::readNull()
{
    const Type t = peek();
    if (t != Type::Null)
        return t == Type::End ? fail("unexpected end") : fail("expected null");
    return expectLiteral("null");
}

// Iterative, so the nesting limit, not the call stack, bounds what it accepts.
bool JsonStreamReader::skipValue()
{
    m_skipStack.clear();
    double number;
    for (;;) {
        switch (peek()) {
        case Type::Error: return false;
        case Type::End: return fail("unexpected end");
        case Type::Object:
            if (!beginObject())
                return false;
            m_skipStack.push_back('{');
            break;
        case Type::Array:
            if (!beginArray())
                return false;
            m_skipStack.push_back('[');
            break;
        case Type::String:
            if (!scanString(nullptr))
                return false;
            break;
        case Type::Number:
            if (!readNumber(number))
                return false;
            break;
        case Type::Bool: {
            bool b;
            if (!readBool(b))
                return false;
            break;
        }
        case Type::Null:
            if (!readNull())
                return false;
            break;
        }
        // To the next value to skip, closing what ends on the way.
        for (;;) {
            if (m_skipStack.empty())
                return true;
            const bool more = m_skipStack.back() == '{' ? nextKey(m_skipped) : nextElement();
            if (more)
                break;
            if (m_failed)
                return false;
            m_skipStack.pop_back();
        }
    }
}

bool JsonStreamReader::atEnd()
{
    const int c = skipWhitespace();
    if (c < 0)
        return !m_failed;
    return fail("unexpected data after the value");
}

} // namespace Loopscope::Runtime
