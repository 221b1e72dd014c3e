#include "write_throttle.h"

#include <QElapsedTimer>
#include <memory>

namespace parlo::storage {

WriteThrottle::WriteThrottle(int intervalMs, Clock clock)
    : m_intervalMs(intervalMs), m_clock(std::move(clock))
{
    if (!m_clock) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        m_clock = [timer] { return timer->elapsed(); };
    }
    restart();
}

void WriteThrottle::restart()
{
    m_lastWrite = m_clock();
    m_pending = false;
}

bool WriteThrottle::changed()
{
    m_pending = true;
    return m_clock() - m_lastWrite >= m_intervalMs;
}

void WriteThrottle::written()
{
    restart();
}

} // namespace parlo::storage
