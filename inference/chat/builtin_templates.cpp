// Built-in chat templates for models whose GGUF has no tokenizer.chat_template, written in
// Jinja and rendered by the same engine. Each follows the prompt format its model family was
// trained with; the choice comes from the architecture and the vocabulary's special tokens.
#include "parlo/chat_template.h"

namespace parlo::chat {

namespace {

// Models without a system role get the system prompt in the first user turn.
constexpr const char *kFoldSystem = R"({%- if messages and messages[0]['role'] == 'system' -%}
{%- set system_message = messages[0]['content'] -%}
{%- set loop_messages = messages[1:] -%}
{%- else -%}
{%- set system_message = '' -%}
{%- set loop_messages = messages -%}
{%- endif -%}
)";

constexpr const char *kChatML = R"({%- for message in messages -%}
{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<|im_start|>assistant\n' }}
{%- endif -%})";

constexpr const char *kLlama2Body = R"({%- for message in loop_messages -%}
{%- if loop.first and system_message -%}
{%- set content = '<<SYS>>\n' + system_message + '\n<</SYS>>\n\n' + message['content'] -%}
{%- else -%}
{%- set content = message['content'] -%}
{%- endif -%}
{%- if message['role'] == 'user' -%}
{{ bos_token + '[INST] ' + content | trim + ' [/INST]' }}
{%- elif message['role'] == 'assistant' -%}
{{ ' ' + content | trim + ' ' + eos_token }}
{%- endif -%}
{%- endfor -%})";

constexpr const char *kLlama3 = R"({{- bos_token -}}
{%- for message in messages -%}
{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
{%- endif -%})";

constexpr const char *kMistralBody = R"({{- bos_token -}}
{%- for message in loop_messages -%}
{%- if message['role'] == 'user' -%}
{%- if loop.first and system_message -%}
{{ '[INST] ' + system_message + '\n\n' + message['content'] + ' [/INST]' }}
{%- else -%}
{{ '[INST] ' + message['content'] + ' [/INST]' }}
{%- endif -%}
{%- elif message['role'] == 'assistant' -%}
{{ ' ' + message['content'] + eos_token }}
{%- endif -%}
{%- endfor -%})";

constexpr const char *kGemmaBody = R"({{- bos_token -}}
{%- for message in loop_messages -%}
{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
{%- if loop.first and system_message -%}
{%- set content = system_message + '\n\n' + message['content'] -%}
{%- else -%}
{%- set content = message['content'] -%}
{%- endif -%}
{{ '<start_of_turn>' + role + '\n' + content | trim + '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<start_of_turn>model\n' }}
{%- endif -%})";

constexpr const char *kPhi3 = R"({%- for message in messages -%}
{{ '<|' + message['role'] + '|>\n' + message['content'] + '<|end|>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<|assistant|>\n' }}
{%- else -%}
{{ eos_token }}
{%- endif -%})";

constexpr const char *kFalcon = R"({%- for message in messages -%}
{%- if message['role'] == 'system' -%}
{{ message['content'] + '\n\n' }}
{%- elif message['role'] == 'user' -%}
{{ 'User: ' + message['content'] + '\n' }}
{%- elif message['role'] == 'assistant' -%}
{{ 'Falcon: ' + message['content'] + '\n' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ 'Falcon:' }}
{%- endif -%})";

constexpr const char *kZephyr = R"({%- for message in messages -%}
{{ '<|' + message['role'] + '|>\n' + message['content'] + eos_token + '\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<|assistant|>\n' }}
{%- endif -%})";

constexpr const char *kOLMo = R"({{- eos_token -}}
{%- for message in messages -%}
{%- if message['role'] == 'assistant' -%}
{{ '<|assistant|>\n' + message['content'] + eos_token + '\n' }}
{%- else -%}
{{ '<|' + message['role'] + '|>\n' + message['content'] + '\n' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<|assistant|>\n' }}
{%- endif -%})";

const std::string &sourceFor(BuiltinTemplate which)
{
    static const std::string llama2 = std::string(kFoldSystem) + kLlama2Body;
    static const std::string mistral = std::string(kFoldSystem) + kMistralBody;
    static const std::string gemma = std::string(kFoldSystem) + kGemmaBody;
    static const std::string chatml = kChatML, llama3 = kLlama3, phi3 = kPhi3, falcon = kFalcon, zephyr = kZephyr,
                             olmo = kOLMo;
    switch (which) {
    case BuiltinTemplate::ChatML: return chatml;
    case BuiltinTemplate::Llama2: return llama2;
    case BuiltinTemplate::Llama3: return llama3;
    case BuiltinTemplate::Mistral: return mistral;
    case BuiltinTemplate::Gemma: return gemma;
    case BuiltinTemplate::Phi3: return phi3;
    case BuiltinTemplate::Falcon: return falcon;
    case BuiltinTemplate::Zephyr: return zephyr;
    case BuiltinTemplate::OLMo: return olmo;
    }
    return chatml;
}

} // namespace

std::string_view builtinTemplateName(BuiltinTemplate which)
{
    switch (which) {
    case BuiltinTemplate::ChatML: return "ChatML";
    case BuiltinTemplate::Llama2: return "Llama 2";
    case BuiltinTemplate::Llama3: return "Llama 3";
    case BuiltinTemplate::Mistral: return "Mistral";
    case BuiltinTemplate::Gemma: return "Gemma";
    case BuiltinTemplate::Phi3: return "Phi-3";
    case BuiltinTemplate::Falcon: return "Falcon";
    case BuiltinTemplate::Zephyr: return "Zephyr";
    case BuiltinTemplate::OLMo: return "OLMo";
    }
    return "ChatML";
}

std::string_view builtinTemplateSource(BuiltinTemplate which) { return sourceFor(which); }

BuiltinTemplate chooseBuiltinTemplate(std::string_view arch, const TokenLookup &hasToken)
{
    auto has = [&](std::string_view token) { return hasToken && hasToken(token); };
    // Special tokens are the strongest evidence: fine-tunes keep their base architecture but
    // adopt another family's chat format, and the tokens they add say which.
    if (has("<|im_start|>") && has("<|im_end|>"))
        return BuiltinTemplate::ChatML;
    if (has("<|start_header_id|>") && has("<|eot_id|>"))
        return BuiltinTemplate::Llama3;
    if (has("<start_of_turn>") && has("<end_of_turn>"))
        return BuiltinTemplate::Gemma;
    if (has("<|user|>") && has("<|assistant|>") && has("<|end|>"))
        return BuiltinTemplate::Phi3;
    if (has("[INST]") && has("[/INST]"))
        return BuiltinTemplate::Mistral;
    if (arch == "olmo" || arch == "olmo2" || arch == "olmoe")
        return BuiltinTemplate::OLMo;
    if (has("<|user|>") && has("<|assistant|>"))
        return BuiltinTemplate::Zephyr;
    if (arch == "gemma" || arch == "gemma2" || arch == "gemma3")
        return BuiltinTemplate::Gemma;
    if (arch == "phi3")
        return BuiltinTemplate::Phi3;
    if (arch == "falcon")
        return BuiltinTemplate::Falcon;
    if (arch == "qwen" || arch == "qwen2" || arch == "qwen2moe" || arch == "qwen3" || arch == "qwen3moe")
        return BuiltinTemplate::ChatML;
    if (arch == "llama") {
        // Llama 2 chat and early Mistral both use `llama`; Mistral v0.3+ and Llama 3 are caught by their tokens.
        return BuiltinTemplate::Llama2;
    }
    return BuiltinTemplate::ChatML;
}

} // namespace parlo::chat
