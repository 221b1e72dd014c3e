// libFuzzer entry for chat templates: any bytes are compiled as a template and rendered with a
// small conversation. A template may fail (syntax, runtime, a limit), but never crash, hang or
// grow without bound: the limits are tightened so that the fuzzer's own time and memory limits
// (-timeout, -rss_limit_mb) catch any that does not hold.
#include "parlo/chat_template.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace parlo;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

chat::ChatInput conversation()
{
    chat::ChatInput in;
    in.messages = *json::parse(R"([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi 'there' \u00e9"},
                                   {"role": "assistant", "content": "Hello!", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1}}}]},
                                   {"role": "user", "content": "Bye"}])");
    in.variables = *json::parse(R"({"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]})");
    in.bosToken = "<s>";
    in.eosToken = "</s>";
    in.now = chat::CivilTime{};
    return in;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const chat::ChatInput input = conversation();
    chat::TemplateLimits limits;
    limits.maxOutputBytes = 1u << 20;
    limits.maxSteps = 200'000;
    limits.maxMemoryBytes = 32u << 20;
    limits.maxWorkBytes = 64u << 20;
    limits.maxMilliseconds = 2000;
    const std::string_view source(reinterpret_cast<const char *>(data), size);
    const chat::ChatTemplate t = chat::ChatTemplate::compile(source, limits);
    const chat::Rendered r = t.render(input);
    check(r.ok() || !r.error->message.empty());
    check(r.ok() || r.text.empty());
    check(r.text.size() <= limits.maxOutputBytes);
    return 0;
}
