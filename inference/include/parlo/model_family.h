// The model family of a GGUF file and its notable features, read from the header alone, for
// `parlo-cli info` and the model picker. `supported` says whether the engine runs the
// architecture; an unsupported one keeps its name so the user sees what it is.
#pragma once

#include "parlo/gguf.h"

#include <string>
#include <string_view>
#include <vector>

namespace parlo {

struct ModelFamily
{
    std::string architecture;          // general.architecture, e.g. "gemma2"
    std::string family;                // for people, e.g. "Gemma 2"
    bool supported = false;
    std::vector<std::string> features; // e.g. "sliding window 4096 (even layers)", "final soft-cap 30"
};

ModelFamily describeModelFamily(const gguf::File &file);
// Whether the engine can load models of this architecture.
bool architectureSupported(std::string_view architecture);

} // namespace parlo
