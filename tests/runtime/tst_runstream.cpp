// The child-run wire format: a trace pumped into frames and decoded into another trace keeps
// every record, writer and string; output frames keep stream order; bad streams are refused.

#include "runstream.h"
#include "trace.h"

#include <QTest>

#include <string>
#include <vector>

using namespace Loopscope::Runtime;

namespace {
struct Recorder final : RunObserver {
    std::vector<std::pair<OutputStream, std::string>> output;
    int stdinRequests = 0;
    void outputWritten(OutputStream s, std::string_view bytes) override { output.emplace_back(s, std::string(bytes)); }
    void stdinRequested() override { ++stdinRequests; }
    void runFinished(const RunResult &) override {}
};
}

class TestRunStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void traceSurvivesTheTripInPieces()
    {
        Trace child;
        TracePump pump(&child);
        Trace parent;
        Recorder observer;
        RunStreamDecoder decoder(&observer, &parent);
        std::string wire(RunStream::kMagic);

        TraceWriter *loop = child.addWriter("loop");
        const std::uint32_t timeout = child.intern("Timeout");
        for (int i = 0; i < 3000; ++i)  // more than one chunk
            loop->appendAt(1000 + i, TraceKind::AsyncInit, 0, timeout, std::uint64_t(i), 1);
        wire += pump.take();
        wire += RunStream::outputFrame(OutputStream::Stdout, "out");
        TraceWriter *worker = child.addWriter("worker 1");
        const std::uint32_t what = child.intern("crypto");
        worker->appendAt(5000, TraceKind::PoolStart, 0, 0, 7, 0);
        loop->appendAt(4000, TraceKind::PoolSubmit, 0, what, 7, 0);
        wire += pump.take();
        wire += pump.take();  // nothing new: nothing sent twice
        wire += RunStream::outputFrame(OutputStream::Stderr, std::string("e\0rr", 4));
        wire += RunStream::frame(RunStream::Frame::StdinRequested);
        RunResult result;
        result.end = RunEnd::Exited;
        result.exitCode = 42;
        result.durationMs = 12.5;
        wire += RunStream::resultFrame(result);

        // Fed in awkward pieces, as a pipe delivers them.
        for (std::size_t at = 0; at < wire.size(); at += 997)
            QVERIFY2(decoder.feed(wire.data() + at, std::min<std::size_t>(997, wire.size() - at)), decoder.error().c_str());

        QCOMPARE(parent.writerCount(), std::size_t(2));
        QCOMPARE(parent.writerName(1), std::string("worker 1"));
        QCOMPARE(parent.recordCount(), child.recordCount());
        const auto a = child.records(), b = parent.records();
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].timeNs, a[i].timeNs);
            QCOMPARE(b[i].kind, a[i].kind);
            QCOMPARE(b[i].thread, a[i].thread);
            QCOMPARE(b[i].b, a[i].b);
            QCOMPARE(parent.string(b[i].a), child.string(a[i].a));
        }
        QCOMPARE(observer.output.size(), std::size_t(2));
        QCOMPARE(observer.output[1].first, OutputStream::Stderr);
        QCOMPARE(observer.output[1].second, std::string("e\0rr", 4));
        QCOMPARE(observer.stdinRequests, 1);
        QVERIFY(decoder.result());
        QCOMPARE(decoder.result()->exitCode, 42);
        QCOMPARE(decoder.result()->durationMs, 12.5);
    }

    void badStreamsAreRefused()
    {
        Recorder observer;
        RunStreamDecoder notOurs(&observer, nullptr);
        QVERIFY(!notOurs.feed("hello\n", 6));
        QVERIFY(!notOurs.error().empty());

        Trace trace;
        RunStreamDecoder recordsBeforeWriter(&observer, &trace);
        std::string wire(RunStream::kMagic);
        TraceRecord r;
        r.thread = 3;
        wire += RunStream::frame(RunStream::Frame::Records, std::string(reinterpret_cast<const char *>(&r), sizeof r));
        QVERIFY(!recordsBeforeWriter.feed(wire.data(), wire.size()));
        QVERIFY(QString::fromStdString(recordsBeforeWriter.error()).contains("malformed"));
    }
};

QTEST_GUILESS_MAIN(TestRunStream)
#include "tst_runstream.moc"
