// Comparing a backend's output with the CPU reference.
#pragma once

#include <cstddef>
#include <span>

namespace parlo::test {

// Normalised mean squared error: sum((a - ref)^2) / sum(ref^2); 0 when both are zero.
double nmse(std::span<const float> actual, std::span<const float> reference);

} // namespace parlo::test
