#include "engine/text_codec.h"

namespace parlo::engine {

Result<std::unique_ptr<TextCodec>> createTextCodec(const gguf::File &)
{
    return makeError("this build has no tokenizer yet; give token ids");
}

} // namespace parlo::engine
