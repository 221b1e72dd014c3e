// Writes random-weight llama-architecture GGUF files of any shape and quantization type. The
// models themselves come from the engine's selftest/random_llama (the device self-test runs
// the same ones in memory); this is the file-writing front end for tests and benchmarks.
#pragma once

#include "selftest/random_llama.h"

#include <string>

namespace parlo::tools {

using LlamaShape = selftest::LlamaShape;
using selftest::parameterCount;

// "F32", "F16", "BF16", "Q8_0", "Q4_0", … or the mixes "Q4_K_M" (Q4_K, with Q6_K for
// output and attn_v) and "Q6_K".
Result<void> writeRandomLlama(const std::string &path, const LlamaShape &shape, const std::string &type);

} // namespace parlo::tools
