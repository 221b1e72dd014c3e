// ChatTemplate: compile once, render many times. Sets up the environment Hugging Face renders
// with: the jinja2 globals (range, dict, namespace) plus raise_exception and strftime_now.
#include "parlo/chat_template.h"

#include "chat/jinja_interpreter.h"
#include "chat/jinja_lexer.h"
#include "chat/jinja_parser.h"
#include "chat/py_string.h"

#include <ctime>
#include <new>

namespace parlo::chat {

using namespace jinja;

std::string TemplateError::describe() const
{
    if (line <= 0)
        return message;
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

struct ChatTemplate::Impl
{
    std::string source;
    TemplateLimits limits;
    Body body;
    std::optional<TemplateError> syntaxError;
};

namespace {

TemplateError fromJinja(const JinjaError &e, TemplateError::Kind kind)
{
    TemplateError out;
    out.kind = e.raised      ? TemplateError::Kind::Raised
               : e.cancelled ? TemplateError::Kind::Cancelled
               : e.limit     ? TemplateError::Kind::Limit
                             : kind;
    out.message = e.message;
    out.line = e.line;
    out.column = e.column;
    return out;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::tm toTm(const std::optional<CivilTime> &fixed)
{
    std::tm tm{};
    if (!fixed) {
        const std::time_t now = std::time(nullptr);
        localtime_r(&now, &tm);
        return tm;
    }
    tm.tm_year = fixed->year - 1900;
    tm.tm_mon = fixed->month - 1;
    tm.tm_mday = fixed->day;
    tm.tm_hour = fixed->hour;
    tm.tm_min = fixed->minute;
    tm.tm_sec = fixed->second;
    const int64_t days = daysFromCivil(fixed->year, fixed->month, fixed->day);
    tm.tm_wday = int(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    tm.tm_yday = int(days - daysFromCivil(fixed->year, 1, 1));
    return tm;
}

Value makeNamespace(Interpreter &in, const CallArgs &args)
{
    Value ns = Value::makeDict(DictFlavor::Namespace);
    in.trackNamespace(ns);
    for (const Value &p : args.positional) {
        if (!p.isDict())
            fail("namespace() takes a mapping or keyword arguments");
        for (const auto &[key, value] : p.dict->items)
            ns.dict->set(key, value);
    }
    for (const auto &[key, value] : args.named)
        ns.dict->set(Value::string(key), value);
    return ns;
}

Value makeRange(Interpreter &in, const CallArgs &args)
{
    std::vector<int64_t> bounds;
    for (const Value &v : args.positional) {
        if (!v.isIntegral())
            fail("'" + typeName(v) + "' object cannot be interpreted as an integer");
        bounds.push_back(v.asInt());
    }
    if (bounds.empty() || bounds.size() > 3)
        fail("range expected 1 to 3 arguments, got " + std::to_string(bounds.size()));
    const int64_t start = bounds.size() == 1 ? 0 : bounds[0];
    const int64_t stop = bounds.size() == 1 ? bounds[0] : bounds[1];
    const int64_t step = bounds.size() == 3 ? bounds[2] : 1;
    if (step == 0)
        fail("range() arg 3 must not be zero");
    const long double span = step > 0 ? (long double)stop - start : (long double)start - stop;
    const long double count = span <= 0 ? 0 : (span + (long double)(step > 0 ? step : -step) - 1) / (step > 0 ? step : -step);
    in.checkCollectionSize(size_t(std::min<long double>(count, 1e18)));
    std::vector<Value> items;
    items.reserve(size_t(count));
    for (int64_t k = 0; k < int64_t(count); ++k)
        items.push_back(Value::integer(start + k * step));
    return Value::makeList(std::move(items));
}

FramePtr makeGlobals(const ChatInput &input)
{
    auto g = std::make_shared<Frame>();
    g->set("range", Value::function("range", makeRange));
    g->set("namespace", Value::function("namespace", makeNamespace));
    g->set("dict", Value::function("dict", [](Interpreter &, const CallArgs &args) {
        Value d = Value::makeDict();
        for (const Value &p : args.positional)
            if (p.isDict())
                for (const auto &[key, value] : p.dict->items)
                    d.dict->set(key, value);
        for (const auto &[key, value] : args.named)
            d.dict->set(Value::string(key), value);
        return d;
    }));
    g->set("raise_exception", Value::function("raise_exception", [](Interpreter &, const CallArgs &args) -> Value {
        JinjaError e{args.positional.empty() ? std::string() : toStr(args.positional[0])};
        e.raised = true;
        throw e;
    }));
    const std::tm tm = toTm(input.now);
    g->set("strftime_now", Value::function("strftime_now", [tm](Interpreter &, const CallArgs &args) {
        const Value *format = args.get(0, "format");
        if (!format || !format->isString())
            fail("strftime_now() needs a format string");
        if (format->str().size() > 256)
            fail("strftime_now(): format string too long");
        char buf[4096];
        const size_t n = std::strftime(buf, sizeof buf, format->str().c_str(), &tm);
        return Value::string(std::string(buf, n));
    }));

    // Template variables live in their own frame above the globals, as jinja2's context does.
    auto vars = std::make_shared<Frame>();
    vars->parent = g;
    vars->set("bos_token", Value::string(input.bosToken));
    vars->set("eos_token", Value::string(input.eosToken));
    vars->set("add_generation_prompt", Value::boolean(input.addGenerationPrompt));
    vars->set("messages", fromJson(input.messages));
    for (const auto &[key, value] : input.variables.toObject())
        vars->set(key, fromJson(value));
    return vars;
}

} // namespace

ChatTemplate ChatTemplate::compile(std::string_view source, const TemplateLimits &limits)
{
    auto impl = std::make_shared<Impl>();
    impl->limits = limits;
    size_t bad = 0;
    if (source.size() > limits.maxTemplateBytes) {
        impl->syntaxError = TemplateError{TemplateError::Kind::Limit,
                                          "the template is " + std::to_string(source.size()) +
                                              " bytes, more than the limit of " + std::to_string(limits.maxTemplateBytes)};
    } else if (!py::isValidUtf8(source, &bad)) {
        impl->syntaxError = TemplateError{TemplateError::Kind::Syntax,
                                          "the template is not valid UTF-8 (byte offset " + std::to_string(bad) + ")"};
    } else {
        impl->source = std::string(source);
        try {
            ParseLimits parseLimits;
            parseLimits.maxNesting = limits.maxNesting;
            impl->body = parseTemplate(tokenize(impl->source), parseLimits);
        } catch (const JinjaError &e) {
            impl->syntaxError = fromJinja(e, TemplateError::Kind::Syntax);
        } catch (const std::bad_alloc &) {
            impl->syntaxError = TemplateError{TemplateError::Kind::Limit, "out of memory while parsing the template"};
        }
    }
    ChatTemplate t;
    t.m = std::move(impl);
    return t;
}

Result<ChatTemplate> ChatTemplate::parse(std::string_view source, const TemplateLimits &limits)
{
    ChatTemplate t = compile(source, limits);
    if (t.syntaxError())
        return makeError("chat template: " + t.syntaxError()->describe());
    return t;
}

bool ChatTemplate::isValid() const { return m && !m->syntaxError; }
const std::optional<TemplateError> &ChatTemplate::syntaxError() const { return m->syntaxError; }
const std::string &ChatTemplate::source() const { return m->source; }

Rendered ChatTemplate::render(const ChatInput &input) const
{
    Rendered out;
    if (m->syntaxError) {
        out.error = m->syntaxError;
        return out;
    }
    RenderLimits limits;
    limits.maxOutputBytes = m->limits.maxOutputBytes;
    limits.maxSteps = m->limits.maxSteps;
    limits.maxCallDepth = m->limits.maxCallDepth;
    limits.maxNesting = m->limits.maxNesting;
    limits.maxMemoryBytes = m->limits.maxMemoryBytes;
    limits.maxWorkBytes = m->limits.maxWorkBytes;
    limits.maxMilliseconds = m->limits.maxMilliseconds;
    limits.cancelled = input.cancelled;
    try {
        Interpreter interpreter(limits, makeGlobals(input));
        out.text = interpreter.render(m->body);
    } catch (const JinjaError &e) {
        out.error = fromJinja(e, TemplateError::Kind::Render);
    } catch (const std::bad_alloc &) {
        out.error = TemplateError{TemplateError::Kind::Limit, "out of memory while rendering the template"};
    } catch (const std::exception &e) {
        out.error = TemplateError{TemplateError::Kind::Render, e.what()};
    }
    if (out.error)
        out.text.clear();
    return out;
}

Result<std::string> ChatTemplate::renderText(const ChatInput &input) const
{
    Rendered r = render(input);
    if (r.error)
        return makeError("chat template: " + r.error->describe());
    return std::move(r.text);
}

} // namespace parlo::chat
