// buildPrompt: the model's template first; on failure, fold a refused system prompt into the
// first user turn, else a built-in fallback. The original error is always kept and explained.
#include "parlo/chat_template.h"

namespace parlo::chat {

namespace {

// The conversation with the leading system message merged into the first user message, or
// nullopt when there is no leading system message.
std::optional<json::Value> foldSystem(const json::Value &messages)
{
    const auto &list = messages.toArray();
    if (list.empty() || !list[0].isObject())
        return std::nullopt;
    const json::Value *role = list[0].find("role");
    if (!role || role->toString() != "system")
        return std::nullopt;
    const json::Value *systemContent = list[0].find("content");
    const std::string system = systemContent ? systemContent->toString() : std::string();
    json::Value folded = json::Value::array();
    bool merged = false;
    for (size_t k = 1; k < list.size(); ++k) {
        json::Value message = list[k];
        const json::Value *r = message.find("role");
        if (!merged && r && r->toString() == "user") {
            const json::Value *c = message.find("content");
            message.set("content", system + "\n\n" + (c ? c->toString() : std::string()));
            merged = true;
        }
        folded.push(std::move(message));
    }
    if (!merged) {
        json::Value user = json::Value::object();
        user.set("role", "user");
        user.set("content", system);
        folded.asArray().insert(folded.asArray().begin(), std::move(user));
    }
    return folded;
}

} // namespace

Result<PromptResult> buildPrompt(const PromptRequest &request)
{
    if (!request.input.messages.isArray())
        return makeError("chat messages must be a list of {\"role\", \"content\"} objects");
    PromptResult result;
    if (!request.modelTemplate.empty()) {
        const ChatTemplate model = ChatTemplate::compile(request.modelTemplate, request.limits);
        Rendered rendered = model.render(request.input);
        if (rendered.ok()) {
            result.text = std::move(rendered.text);
            return result;
        }
        result.error = rendered.error;
        // Cancelled: the caller no longer wants a prompt, so no fallback either.
        if (rendered.error->kind == TemplateError::Kind::Cancelled)
            return makeError("chat template: " + rendered.error->message);
        if (rendered.error->kind == TemplateError::Kind::Raised) {
            if (auto folded = foldSystem(request.input.messages)) {
                ChatInput retry = request.input;
                retry.messages = std::move(*folded);
                Rendered second = model.render(retry);
                if (second.ok()) {
                    result.text = std::move(second.text);
                    result.systemFolded = true;
                    result.notice = "The model's chat template refused the conversation (\"" + rendered.error->message +
                                    "\"), so the system prompt was added to the first user message.";
                    return result;
                }
            }
        }
    }
    const BuiltinTemplate fallback = chooseBuiltinTemplate(request.architecture, request.hasToken);
    const ChatTemplate builtin = ChatTemplate::compile(builtinTemplateSource(fallback), request.limits);
    Rendered rendered = builtin.render(request.input);
    if (!rendered.ok()) {
        std::string message = "the built-in " + std::string(builtinTemplateName(fallback)) +
                              " template could not render the conversation: " + rendered.error->describe();
        if (result.error)
            message = "the model's chat template failed (" + result.error->describe() + ") and " + message;
        return makeError(message);
    }
    result.text = std::move(rendered.text);
    result.usedFallback = true;
    result.fallback = fallback;
    const std::string name(builtinTemplateName(fallback));
    if (result.error)
        result.notice = "The model's chat template failed (" + result.error->describe() + "); using the built-in " + name +
                        " template instead.";
    else
        result.notice = "The model has no chat template; using the built-in " + name + " template.";
    return result;
}

} // namespace parlo::chat
