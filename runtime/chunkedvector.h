#pragma once
// ChunkedVector — a growable array whose elements never move. A std::vector of ten million
// indexed callbacks (400 MB) copies all of them when it crosses its capacity: a 100 ms stall
// of whoever appends, which for a live trace is the GUI thread. Here storage is a fixed table of
// chunks, each twice the size of the one before; growing allocates the next chunk (untouched
// memory until written) and copies nothing. References stay valid across push_back.
//
// Chunk c holds indices [B·(2^c − 1), B·(2^(c+1) − 1)) with B = 2^FirstChunkBits, so finding an
// element is one bit_width. Random-access iterators: std::partition_point and friends work.
//
// Plain C++. Threads: like std::vector.

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace Loopscope::Runtime {

template <typename T, unsigned FirstChunkBits = 6>
class ChunkedVector final {
    static constexpr std::size_t kFirst = std::size_t(1) << FirstChunkBits;
    static constexpr unsigned kMaxChunks = 64 - FirstChunkBits;

    template <bool Const>
    class Iter {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using iterator_concept = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = std::conditional_t<Const, const T *, T *>;
        using reference = std::conditional_t<Const, const T &, T &>;
        using Owner = std::conditional_t<Const, const ChunkedVector, ChunkedVector>;

        Iter() = default;
        Iter(Owner *owner, difference_type i) : m_owner(owner), m_i(i) {}
        operator Iter<true>() const { return Iter<true>(m_owner, m_i); }

        reference operator*() const { return (*m_owner)[std::size_t(m_i)]; }
        pointer operator->() const { return &**this; }
        reference operator[](difference_type n) const { return (*m_owner)[std::size_t(m_i + n)]; }
        Iter &operator++() { ++m_i; return *this; }
        Iter operator++(int) { Iter old = *this; ++m_i; return old; }
        Iter &operator--() { --m_i; return *this; }
        Iter operator--(int) { Iter old = *this; --m_i; return old; }
        Iter &operator+=(difference_type n) { m_i += n; return *this; }
        Iter &operator-=(difference_type n) { m_i -= n; return *this; }
        friend Iter operator+(Iter it, difference_type n) { return it += n; }
        friend Iter operator+(difference_type n, Iter it) { return it += n; }
        friend Iter operator-(Iter it, difference_type n) { return it -= n; }
        friend difference_type operator-(const Iter &a, const Iter &b) { return a.m_i - b.m_i; }
        friend bool operator==(const Iter &a, const Iter &b) { return a.m_i == b.m_i; }
        friend auto operator<=>(const Iter &a, const Iter &b) { return a.m_i <=> b.m_i; }

    private:
        Owner *m_owner = nullptr;
        difference_type m_i = 0;
    };

public:
    using value_type = T;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = T &;
    using const_reference = const T &;
    using iterator = Iter<false>;
    using const_iterator = Iter<true>;

    ChunkedVector() = default;
    ChunkedVector(const ChunkedVector &other) { *this = other; }
    ChunkedVector(ChunkedVector &&other) noexcept { swap(other); }
    template <typename It>
    ChunkedVector(It first, It last)
    {
        for (; first != last; ++first)
            push_back(*first);
    }
    ~ChunkedVector() { release(); }
    ChunkedVector &operator=(const ChunkedVector &other)
    {
        if (this != &other) {
            clear();
            for (const T &value : other)
                push_back(value);
        }
        return *this;
    }
    ChunkedVector &operator=(ChunkedVector &&other) noexcept
    {
        if (this != &other) {
            release();
            swap(other);
        }
        return *this;
    }
    void swap(ChunkedVector &other) noexcept
    {
        std::swap(m_chunks, other.m_chunks);
        std::swap(m_size, other.m_size);
        std::swap(m_chunkCount, other.m_chunkCount);
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    T &operator[](std::size_t i) { return *slot(i); }
    const T &operator[](std::size_t i) const { return *const_cast<ChunkedVector *>(this)->slot(i); }
    T &front() { return (*this)[0]; }
    const T &front() const { return (*this)[0]; }
    T &back() { return (*this)[m_size - 1]; }
    const T &back() const { return (*this)[m_size - 1]; }

    iterator begin() { return iterator(this, 0); }
    iterator end() { return iterator(this, difference_type(m_size)); }
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(this, difference_type(m_size)); }
    const_iterator cbegin() const { return begin(); }
    const_iterator cend() const { return end(); }

    template <typename... Args>
    T &emplace_back(Args &&...args)
    {
        if (m_size == capacity()) {
            const std::size_t n = kFirst << m_chunkCount;
            m_chunks[m_chunkCount++] = std::allocator<T>().allocate(n);
        }
        T *p = slot(m_size);
        ::new (static_cast<void *>(p)) T(std::forward<Args>(args)...);
        ++m_size;
        return *p;
    }
    void push_back(const T &value) { emplace_back(value); }
    void push_back(T &&value) { emplace_back(std::move(value)); }
    void pop_back() { std::destroy_at(slot(--m_size)); }

    void resize(std::size_t n) { resize(n, T()); }
    void resize(std::size_t n, const T &value)
    {
        while (m_size > n)
            pop_back();
        while (m_size < n)
            emplace_back(value);
    }
    void clear() { release(); }
    void shrink_to_fit() {}

private:
    static unsigned chunkOf(std::size_t i) { return unsigned(std::bit_width((i >> FirstChunkBits) + 1)) - 1; }
    std::size_t capacity() const { return kFirst * ((std::size_t(1) << m_chunkCount) - 1); }
    T *slot(std::size_t i)
    {
        const unsigned c = chunkOf(i);
        return m_chunks[c] + (i + kFirst - (kFirst << c));
    }
    void release()
    {
        if constexpr (!std::is_trivially_destructible_v<T>) {
            while (m_size)
                pop_back();
        }
        m_size = 0;
        for (unsigned c = 0; c < m_chunkCount; ++c)
            std::allocator<T>().deallocate(m_chunks[c], kFirst << c);
        m_chunks = {};
        m_chunkCount = 0;
    }

    std::array<T *, kMaxChunks> m_chunks{};
    std::size_t m_size = 0;
    unsigned m_chunkCount = 0;
};

} // namespace Loopscope::Runtime
