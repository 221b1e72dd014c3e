// UTF-8 decoding (strict, per Unicode table 3-7) and code point class lookup.
#include "unicode_class.h"

#include <algorithm>
#include <array>

namespace parlo::tokenizer {

namespace {

// Classes of the ASCII range, looked up without a search: most text is mostly ASCII.
std::array<uint8_t, 128> makeAsciiClasses()
{
    std::array<uint8_t, 128> table{};
    for (uint32_t cp = 0; cp < 128; ++cp) {
        const ClassRun *run = std::upper_bound(kClassRuns, kClassRuns + kClassRunCount, cp,
                                               [](uint32_t value, const ClassRun &r) { return value < r.first; });
        table[cp] = run == kClassRuns ? 0 : (run - 1)->flags;
    }
    return table;
}

// The valid range of the second byte for a lead byte; the third and fourth are always 80..BF.
struct LeadInfo
{
    uint8_t length; // 0: not a valid lead byte
    uint8_t secondLow;
    uint8_t secondHigh;
};

LeadInfo leadInfo(uint8_t b)
{
    if (b < 0x80)
        return {1, 0, 0};
    if (b >= 0xC2 && b <= 0xDF)
        return {2, 0x80, 0xBF};
    if (b == 0xE0)
        return {3, 0xA0, 0xBF};
    if (b == 0xED)
        return {3, 0x80, 0x9F}; // excludes the surrogates
    if (b >= 0xE1 && b <= 0xEF)
        return {3, 0x80, 0xBF};
    if (b == 0xF0)
        return {4, 0x90, 0xBF};
    if (b >= 0xF1 && b <= 0xF3)
        return {4, 0x80, 0xBF};
    if (b == 0xF4)
        return {4, 0x80, 0x8F};
    return {0, 0, 0};
}

} // namespace

uint8_t codepointClass(uint32_t cp)
{
    static const std::array<uint8_t, 128> ascii = makeAsciiClasses();
    if (cp < 128)
        return ascii[cp];
    if (cp >= kInvalidByteBase)
        return 0;
    const ClassRun *run = std::upper_bound(kClassRuns, kClassRuns + kClassRunCount, cp,
                                           [](uint32_t value, const ClassRun &r) { return value < r.first; });
    return run == kClassRuns ? 0 : (run - 1)->flags;
}

DecodedCodepoint decodeUtf8(std::string_view text, std::size_t offset)
{
    const auto byte = [&](std::size_t i) { return static_cast<uint8_t>(text[i]); };
    const uint8_t b0 = byte(offset);
    const LeadInfo info = leadInfo(b0);
    if (info.length == 1)
        return {b0, 1};
    const DecodedCodepoint invalid{kInvalidByteBase + b0, 1};
    if (info.length == 0 || offset + info.length > text.size())
        return invalid;
    const uint8_t b1 = byte(offset + 1);
    if (b1 < info.secondLow || b1 > info.secondHigh)
        return invalid;
    uint32_t cp = b1 & 0x3F;
    for (uint32_t i = 2; i < info.length; ++i) {
        const uint8_t b = byte(offset + i);
        if ((b & 0xC0) != 0x80)
            return invalid;
        cp = (cp << 6) | (b & 0x3F);
    }
    const uint32_t leadBits = info.length == 2 ? (b0 & 0x1F) : info.length == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    cp |= leadBits << (6 * (info.length - 1));
    return {cp, info.length};
}

bool isTruncatedUtf8(std::string_view tail)
{
    if (tail.empty())
        return false;
    const LeadInfo info = leadInfo(static_cast<uint8_t>(tail[0]));
    if (info.length <= 1 || tail.size() >= info.length)
        return false;
    if (tail.size() >= 2) {
        const auto b1 = static_cast<uint8_t>(tail[1]);
        if (b1 < info.secondLow || b1 > info.secondHigh)
            return false;
    }
    for (std::size_t i = 2; i < tail.size(); ++i) {
        if ((static_cast<uint8_t>(tail[i]) & 0xC0) != 0x80)
            return false;
    }
    return true;
}

} // namespace parlo::tokenizer
