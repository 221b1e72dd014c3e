// Chat templates: lay out a conversation with the model's own Jinja template exactly as
// Hugging Face's apply_chat_template does (jinja2 sandbox, trim_blocks, lstrip_blocks,
// raise_exception, strftime_now, non-ASCII-preserving tojson), with built-in fallbacks for
// models that ship none and a recovery path when a template refuses a conversation.
//
// Errors are values: a TemplateError carries the message, line and column. Rendering is
// bounded (steps, work, time, memory, output size, nesting, recursion) and can be cancelled,
// so a hostile template cannot crash, hang or exhaust memory.
#pragma once

#include "parlo/json.h"
#include "parlo/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace parlo::chat {

struct TemplateError
{
    enum class Kind {
        Syntax, // the template does not parse
        Render, // a runtime error (undefined value, wrong type, ...)
        Raised, // the template called raise_exception(message): it refuses this conversation
        Limit,  // it ran past a resource limit
        Cancelled, // ChatInput::cancel was set while it rendered
    };
    Kind kind = Kind::Render;
    std::string message; // the template's own message for Raised
    int line = 0;        // 1-based; 0 when unknown
    int column = 0;

    // "line 3, column 7: message"
    std::string describe() const;
};

struct TemplateLimits
{
    size_t maxTemplateBytes = 1u << 20;
    size_t maxOutputBytes = 16u << 20;     // also bounds every string a template builds
    uint64_t maxSteps = 5'000'000;         // statements and loop iterations
    int maxCallDepth = 100;                // macro recursion
    // One nesting limit for everything that recurses: the syntax tree (checked while parsing),
    // evaluation (expressions, statements and macro calls together) and nested values.
    int maxNesting = 256;
    size_t maxMemoryBytes = 64u << 20;     // strings, lists and dicts alive at once
    uint64_t maxWorkBytes = 1ull << 30;    // bytes that string operations and filters go through
    int64_t maxMilliseconds = 10'000;      // wall clock for one render; 0: none
};

struct CivilTime
{
    int year = 2026;
    int month = 1;
    int day = 15;
    int hour = 12;
    int minute = 0;
    int second = 0;
};

struct ChatInput
{
    // OpenAI-style [{"role": ..., "content": ...}, ...]; messages may carry tool_calls etc.
    json::Value messages = json::Value::array();
    // Further template variables (tools, documents, custom flags), as an object.
    json::Value variables = json::Value::object();
    std::string bosToken;
    std::string eosToken;
    bool addGenerationPrompt = true;
    // What strftime_now() sees; nullopt means the current local time.
    std::optional<CivilTime> now;
    // Asked about every 20 ms while rendering (on the rendering thread); returning true stops
    // the render with a Cancelled error, so the app's Cancel works on a slow template.
    std::function<bool()> cancelled;
};

struct Rendered
{
    std::string text;
    std::optional<TemplateError> error;

    bool ok() const { return !error.has_value(); }
};

class ChatTemplate
{
public:
    // Never fails: a template that does not parse reports it through syntaxError(), and
    // render() then returns that error.
    static ChatTemplate compile(std::string_view source, const TemplateLimits &limits = {});
    // The same, with the syntax error as a Result.
    static Result<ChatTemplate> parse(std::string_view source, const TemplateLimits &limits = {});

    bool isValid() const;
    const std::optional<TemplateError> &syntaxError() const;
    const std::string &source() const;

    Rendered render(const ChatInput &input) const;
    Result<std::string> renderText(const ChatInput &input) const;

private:
    struct Impl;
    std::shared_ptr<const Impl> m;
};

// ---- built-in fallback templates ----------------------------------------------------------

enum class BuiltinTemplate { ChatML, Llama2, Llama3, Mistral, Gemma, Phi3, Falcon, Zephyr, OLMo };

std::string_view builtinTemplateName(BuiltinTemplate which);   // "ChatML", "Llama 3", ...
std::string_view builtinTemplateSource(BuiltinTemplate which); // Jinja source
// True when the vocabulary holds a token with exactly this text.
using TokenLookup = std::function<bool(std::string_view tokenText)>;
// Picks the fallback for a model without a template from its architecture
// (general.architecture) and its vocabulary's special tokens.
BuiltinTemplate chooseBuiltinTemplate(std::string_view architecture, const TokenLookup &hasToken);

// ---- the prompt, with recovery ------------------------------------------------------------

struct PromptRequest
{
    std::string_view modelTemplate; // tokenizer.chat_template; empty when the model has none
    std::string_view architecture;
    TokenLookup hasToken;           // may be empty
    ChatInput input;
    TemplateLimits limits;
};

struct PromptResult
{
    std::string text;
    bool usedFallback = false;                // a built-in template rendered the text
    std::optional<BuiltinTemplate> fallback;  // which one
    bool systemFolded = false;                // the system prompt went into the first user turn
    std::optional<TemplateError> error;       // the model template's error, never swallowed
    std::string notice;                       // a sentence for the user; empty when all went as intended
};

// Renders with the model's template. When it fails: a template that refuses a system message
// is retried with the system prompt folded into the first user turn; otherwise a built-in
// template takes over. The result says which happened and keeps the original error. Fails only
// when even the fallback cannot render (for example, messages that are not a list).
Result<PromptResult> buildPrompt(const PromptRequest &request);

} // namespace parlo::chat
