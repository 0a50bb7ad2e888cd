#include "stepper.h"

#include "trace.h"
#include "virtualclock.h"

namespace Loopscope::Runtime {

Stepper::Stepper(uv_loop_t *loop, RunObserver *observer) : m_loop(loop), m_observer(observer)
{
}

void Stepper::step()
{
    std::lock_guard lock(m_mutex);
    m_mode = Mode::Step;
    m_rate = 0;
    m_released = m_paused;
    m_changed.notify_all();
}

void Stepper::stepToNextPhase()
{
    std::lock_guard lock(m_mutex);
    m_mode = Mode::NextPhase;
    m_rate = 0;
    m_targetPhaseSerial = m_phaseSerial;
    m_released = m_paused;
    m_changed.notify_all();
}

void Stepper::continueRun()
{
    std::lock_guard lock(m_mutex);
    m_mode = Mode::Free;
    m_rate = 0;
    m_released = m_paused;
    m_changed.notify_all();
}

void Stepper::setRate(double callbacksPerSecond)
{
    std::lock_guard lock(m_mutex);
    if (callbacksPerSecond > 0) {
        m_mode = Mode::Play;
        m_rate = callbacksPerSecond;
    } else if (m_mode == Mode::Play) {
        m_mode = Mode::Step;
        m_rate = 0;
    }
    m_changed.notify_all();  // a waiting pause re-reads the mode and its deadline
}

void Stepper::stop()
{
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    m_changed.notify_all();
}

bool Stepper::mayPassLocked(std::uint64_t phaseSerial) const
{
    return m_stopped || m_mode == Mode::Free
        || (m_mode == Mode::NextPhase && phaseSerial == m_targetPhaseSerial);
}

bool Stepper::arrive(std::uint64_t phaseSerial)
{
    std::lock_guard lock(m_mutex);
    ++m_steps;
    if (mayPassLocked(phaseSerial))
        return false;
    m_phaseSerial = phaseSerial;
    return true;
}

void Stepper::pause(PausePoint point, TraceWriter *writer, std::uint32_t typeId)
{
    {
        std::lock_guard lock(m_mutex);
        point.step = m_steps;
        point.playing = m_mode == Mode::Play;
    }
    // Loop time is measured across the pause so that the virtual clock stands still over it.
    uv_update_time(m_loop);
    const std::uint64_t loopStart = m_loop->time;
    const auto start = std::chrono::steady_clock::now();
    if (writer)
        writer->append(TraceKind::StepPause, std::uint8_t(point.queue), typeId, point.asyncId, point.step);
    {
        // Paused before anyone hears of it: a command sent on hearing it must find the pause.
        std::lock_guard lock(m_mutex);
        m_paused = true;
        m_released = false;
    }
    m_observer->paused(point);
    {
        std::unique_lock lock(m_mutex);
        while (!m_stopped && !m_released && m_mode != Mode::Free) {
            if (m_mode == Mode::Play) {
                // N callbacks a second: each starts 1/N s after the one before started (its own
                // time counts), on a schedule of absolute times; a callback longer than 1/N
                // makes the next one late, not the ones after it.
                const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(1.0 / m_rate));
                const auto deadline = (m_playing ? m_lastRelease : start) + period;
                if (m_changed.wait_until(lock, deadline) == std::cv_status::timeout && m_mode == Mode::Play) {
                    // Released on time (give or take a wake-up's latency): keep the schedule, so
                    // latencies do not add up; released late: the schedule starts again now.
                    const auto now = std::chrono::steady_clock::now();
                    m_lastRelease = now - deadline < period ? deadline : now;
                    m_playing = true;
                    break;
                }
            } else {
                m_changed.wait(lock);
            }
        }
        if (m_mode != Mode::Play)
            m_playing = false;
        m_paused = false;
        m_released = false;
    }
    uv_update_time(m_loop);
    VirtualClock::addPausedMs(m_loop->time - loopStart);
    m_observer->resumed();
}

} // namespace Loopscope::Runtime
