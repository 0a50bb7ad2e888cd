#pragma once
// CounterTrack — one counter of the inspector's timeline over time: a queue's length (a level
// that changes by +1/-1 steps) or a measurement taken at moments (event-loop lag, utilisation).
// Changes may arrive a little out of time order (a promise reaction is known to have been
// queued only once it runs), so they are merged into place in finish(); maxIn() answers "the
// highest value within a pixel's time" from two levels of block maxima, so a pixel costs at
// most a few hundred comparisons however many changes it holds.
//
// Plain C++. Threads: one owner.

#include "chunkedvector.h"

#include <cstdint>
#include <vector>

namespace Loopscope::Inspector {

class CounterTrack final {
public:
    enum class Kind { Level, Samples };
    explicit CounterTrack(Kind kind = Kind::Level) : m_kind(kind) {}

    Kind kind() const { return m_kind; }
    void add(std::uint64_t timeNs, double deltaOrValue);  // Level: a step; Samples: a value
    void finish();                                        // sorts and sums what add() gave
    void clear();

    std::size_t size() const { return m_times.size(); }
    std::uint64_t time(std::size_t i) const { return m_times[i]; }
    double value(std::size_t i) const { return m_values[i]; }  // after change i
    double valueAt(std::uint64_t ns) const;  // Level: the level at ns (0 before any change)
    double maxIn(std::uint64_t fromNs, std::uint64_t toNs) const;  // over changes in [from, to)
    double maxValue() const;
    std::size_t firstAtOrAfter(std::uint64_t ns) const;

private:
    struct Change { std::uint64_t timeNs; double amount; std::uint64_t order; };
    static constexpr std::size_t kBlock = 64;           // values per block maximum
    static constexpr std::size_t kSuper = kBlock * 64;  // values per super-block maximum
    static constexpr std::size_t kKeptPending = 1 << 16;  // pending changes' room kept after finish()

    Kind m_kind;
    std::vector<Change> m_pending;         // added since the last finish()
    // Chunked: a live run's counters grow by millions of changes without ever being copied.
    Runtime::ChunkedVector<std::uint64_t> m_times;
    Runtime::ChunkedVector<double> m_values;
    Runtime::ChunkedVector<double> m_blockMax;  // max of m_values per kBlock changes
    std::vector<double> m_superMax;        // ... per kSuper changes
    std::uint64_t m_order = 0;
};

} // namespace Loopscope::Inspector
