// GPT-2's reversible byte → character mapping: printable Latin-1 bytes stand for themselves,
// the other 68 bytes for U+0100 onwards, so every byte string is printable text in the vocab.
#include "tokenizer_impl.h"
#include "unicode_class.h"

#include <array>

namespace parlo::tokenizer {

namespace {

struct ByteLevelTables
{
    std::array<uint32_t, 256> byteToCp{};
    std::array<std::string, 256> byteToUtf8;
    std::array<int16_t, 512> cpToByte{}; // every mapped code point is below U+0200

    ByteLevelTables()
    {
        cpToByte.fill(-1);
        uint32_t next = 256;
        for (uint32_t b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            byteToCp[b] = printable ? b : next++;
            appendUtf8(byteToUtf8[b], byteToCp[b]);
            cpToByte[byteToCp[b]] = static_cast<int16_t>(b);
        }
    }
};

const ByteLevelTables &tables()
{
    static const ByteLevelTables t;
    return t;
}

} // namespace

const std::string &byteToUnicode(uint8_t byte)
{
    return tables().byteToUtf8[byte];
}

int unicodeToByte(uint32_t cp)
{
    return cp < 512 ? tables().cpToByte[cp] : -1;
}

} // namespace parlo::tokenizer
