#include "parity.h"

#include <cmath>
#include <limits>

namespace parlo::test {

double nmse(std::span<const float> actual, std::span<const float> reference)
{
    if (actual.size() != reference.size())
        return std::numeric_limits<double>::infinity();
    double err = 0.0;
    double norm = 0.0;
    for (size_t i = 0; i < actual.size(); ++i) {
        if (!std::isfinite(actual[i]))
            return std::numeric_limits<double>::infinity();
        const double d = double(actual[i]) - double(reference[i]);
        err += d * d;
        norm += double(reference[i]) * double(reference[i]);
    }
    if (norm == 0.0)
        return err == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
    return err / norm;
}

} // namespace parlo::test
