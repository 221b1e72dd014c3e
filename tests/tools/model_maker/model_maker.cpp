#include "model_maker.h"

namespace parlo::tools {

Result<void> writeRandomLlama(const std::string &path, const LlamaShape &shape, const std::string &type)
{
    auto writer = selftest::buildRandomLlama(shape, type);
    if (!writer)
        return writer.error();
    return writer->writeFile(path);
}

} // namespace parlo::tools
