// WriteThrottle: lets a streaming answer reach the disk at most once per interval (~250 ms),
// however fast tokens arrive. The clock is injectable so tests need not sleep.
#pragma once

#include <QtGlobal>
#include <functional>

namespace parlo::storage {

class WriteThrottle
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    static constexpr int kDefaultIntervalMs = 250;

    explicit WriteThrottle(int intervalMs = kDefaultIntervalMs, Clock clock = {});

    // The interval starts now (the row was just written).
    void restart();
    // Something changed. True when it should be written now; the caller then calls written().
    bool changed();
    void written();
    bool hasPending() const { return m_pending; }
    int intervalMs() const { return m_intervalMs; }

private:
    int m_intervalMs;
    Clock m_clock;
    qint64 m_lastWrite = 0;
    bool m_pending = false;
};

} // namespace parlo::storage
