#include "childscriptrun.h"

#include "trace.h"

#include <QProcessEnvironment>

namespace Loopscope::Runtime {

ChildScriptRun::ChildScriptRun(RunOptions options, int threadPoolSize, const QString &executable,
                               RunObserver *observer, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_threadPoolSize(threadPoolSize)
    , m_executable(executable)
    , m_observer(observer)
    , m_decoder(observer, m_options.trace.get())
    , m_process(this)
    , m_killTimer(this)
{
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(kStopGraceMs);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        m_killedForStop = true;
        m_process.kill();
    });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &ChildScriptRun::readOutput);
    // The frame stream owns the child's stdout; anything on its stderr was written around the
    // runtime (a native module, node's own warnings) and is shown as the script's stderr.
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray bytes = m_process.readAllStandardError();
        if (!bytes.isEmpty() && !m_finished)
            m_observer->outputWritten(OutputStream::Stderr, std::string_view(bytes.constData(), std::size_t(bytes.size())));
    });
    connect(&m_process, &QProcess::finished, this, &ChildScriptRun::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &ChildScriptRun::onError);
}

ChildScriptRun::~ChildScriptRun()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_finished = true;  // nobody is listening any more
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void ChildScriptRun::start()
{
    QStringList arguments{QStringLiteral("run"), QStringLiteral("--stream")};
    if (m_options.trace) {
        arguments << QStringLiteral("--stream-trace");
        if (!m_options.traceSourceLocations)
            arguments << QStringLiteral("--no-source-locations");
    }
    arguments << QStringLiteral("--max-heap") << QString::number(std::max<std::size_t>(16, m_options.heapLimitBytes >> 20));
    arguments << QStringLiteral("--") << QString::fromStdString(m_options.scriptPath);
    for (const std::string &a : m_options.arguments)
        arguments << QString::fromStdString(a);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("UV_THREADPOOL_SIZE"), QString::number(m_threadPoolSize));
    environment.remove(QStringLiteral("NODE_CHANNEL_FD"));  // the child must not parse node's command line
    m_process.setProcessEnvironment(environment);
    if (!m_options.workingDirectory.empty())
        m_process.setWorkingDirectory(QString::fromStdString(m_options.workingDirectory));
    m_process.start(m_executable, arguments);
}

void ChildScriptRun::stop()
{
    if (m_finished || m_stopRequested)
        return;
    m_stopRequested = true;
    if (m_process.state() != QProcess::NotRunning)
        m_process.write(QByteArray::fromStdString(RunStream::frame(RunStream::Frame::Stop)));
    m_killTimer.start();
}

void ChildScriptRun::writeStdin(const QByteArray &bytes)
{
    if (m_process.state() != QProcess::NotRunning)
        m_process.write(QByteArray::fromStdString(RunStream::frame(RunStream::Frame::StdinData, bytes.toStdString())));
}

void ChildScriptRun::closeStdin()
{
    if (m_process.state() != QProcess::NotRunning)
        m_process.write(QByteArray::fromStdString(RunStream::frame(RunStream::Frame::StdinClose)));
}

void ChildScriptRun::readOutput()
{
    const QByteArray bytes = m_process.readAllStandardOutput();
    if (bytes.isEmpty() || m_finished)
        return;
    if (!m_decoder.feed(bytes.constData(), std::size_t(bytes.size())))
        m_process.kill();  // onFinished reports the decoder's error
}

void ChildScriptRun::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readOutput();
    const QByteArray rest = m_process.readAllStandardError();
    if (!rest.isEmpty() && !m_finished)
        m_observer->outputWritten(OutputStream::Stderr, std::string_view(rest.constData(), std::size_t(rest.size())));
    m_killTimer.stop();

    if (m_decoder.result() && m_decoder.error().empty()) {
        finish(*m_decoder.result());
        return;
    }
    RunResult result;
    if (m_killedForStop) {
        result.end = RunEnd::Stopped;
        result.exitCode = 130;
        result.error = QStringLiteral("stopped: the child process did not end within %1 ms and was killed")
                           .arg(kStopGraceMs).toStdString();
    } else if (!m_decoder.error().empty()) {
        result.error = "the run's child process failed: " + m_decoder.error();
    } else if (status == QProcess::CrashExit) {
        result.error = QStringLiteral("the run's child process (thread pool of %1) crashed before it reported a result")
                           .arg(m_threadPoolSize).toStdString();
    } else {
        result.error = QStringLiteral("the run's child process (thread pool of %1) exited with code %2 without reporting a result")
                           .arg(m_threadPoolSize).arg(exitCode).toStdString();
    }
    finish(result);
}

void ChildScriptRun::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return;  // crashes and the rest end in finished()
    RunResult result;
    result.error = QStringLiteral("cannot start the child process %1 for a thread pool of %2: %3")
                       .arg(m_executable).arg(m_threadPoolSize).arg(m_process.errorString()).toStdString();
    finish(result);
}

void ChildScriptRun::finish(const RunResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_observer->runFinished(result);
}

} // namespace Loopscope::Runtime
