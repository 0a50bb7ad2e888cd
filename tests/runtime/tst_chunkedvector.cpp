// ChunkedVector: a vector whose elements never move as it grows (what keeps the inspector's live
// updates free of 100 ms copies): indexing across chunk boundaries, stable addresses, the
// iterators the standard algorithms use, shrinking, and owned elements destroyed exactly once.
#include "chunkedvector.h"

#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using Loopscope::Runtime::ChunkedVector;

class TestChunkedVector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void indexingAcrossChunks()
    {
        ChunkedVector<std::uint64_t, 2> v;  // chunks of 4, 8, 16, ...: many boundaries
        QVERIFY(v.empty());
        for (std::uint64_t i = 0; i < 100'000; ++i)
            v.push_back(i * 3);
        QCOMPARE(v.size(), size_t(100'000));
        for (std::size_t i = 0; i < v.size(); ++i)
            QCOMPARE(v[i], std::uint64_t(i) * 3);
        QCOMPARE(v.front(), std::uint64_t(0));
        QCOMPARE(v.back(), std::uint64_t(99'999 * 3));
    }

    void elementsNeverMove()
    {
        ChunkedVector<int> v;
        std::vector<const int *> addresses;
        for (int i = 0; i < 300'000; ++i)
            addresses.push_back(&v.emplace_back(i));
        for (int i = 0; i < 300'000; ++i) {
            QCOMPARE(&v[size_t(i)], addresses[size_t(i)]);
            QCOMPARE(*addresses[size_t(i)], i);
        }
    }

    void algorithmsOnIterators()
    {
        ChunkedVector<int, 3> v;
        for (int i = 0; i < 5000; ++i)
            v.push_back(2 * i);
        auto it = std::partition_point(v.begin(), v.end(), [](int x) { return x < 4001; });
        QCOMPARE(it - v.begin(), 2001);
        QCOMPARE(*it, 4002);
        QCOMPARE(std::upper_bound(v.begin(), v.end(), 10) - v.begin(), 6);
        QCOMPARE(*std::max_element(v.begin() + 10, v.begin() + 100), 198);
        long sum = 0;
        for (int x : v)
            sum += x;
        QCOMPARE(sum, 2L * 4999 * 5000 / 2);
        const std::vector<int> copy(v.begin() + 4990, v.end());
        QCOMPARE(copy, (std::vector<int>{9980, 9982, 9984, 9986, 9988, 9990, 9992, 9994, 9996, 9998}));
        QCOMPARE(v.end()[-1], 9998);
    }

    void resizeAndCopies()
    {
        ChunkedVector<std::string, 1> v;
        for (int i = 0; i < 100; ++i)
            v.push_back(std::string(40, char('a' + i % 26)));  // heap-owning: leaks show under ASan/valgrind
        v.resize(30);
        QCOMPARE(v.size(), size_t(30));
        QCOMPARE(v.back(), std::string(40, char('a' + 29 % 26)));
        v.resize(35, "x");
        QCOMPARE(v[34], std::string("x"));
        v.pop_back();
        QCOMPARE(v.size(), size_t(34));
        ChunkedVector<std::string, 1> copy = v;
        QCOMPARE(copy.size(), size_t(34));
        QCOMPARE(copy[33], std::string("x"));
        ChunkedVector<std::string, 1> moved = std::move(copy);
        QCOMPARE(moved.size(), size_t(34));
        QCOMPARE(moved[0], v[0]);
        v.clear();
        QVERIFY(v.empty());
        v.push_back("again");
        QCOMPARE(v[0], std::string("again"));
    }
};

QTEST_GUILESS_MAIN(TestChunkedVector)
#include "tst_chunkedvector.moc"
