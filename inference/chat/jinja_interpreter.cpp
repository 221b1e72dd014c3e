// Statement execution and expression evaluation. Scoping follows jinja2: `for` bodies and
// macro calls get their own frame (so `set` inside a loop does not leak, hence namespace()),
// `if` does not; macros see their defining scope at call time.
#include "chat/jinja_interpreter.h"

#include "chat/py_string.h"

#include <chrono>

namespace parlo::chat::jinja {

const Value *Frame::lookup(std::string_view name) const
{
    for (const Frame *f = this; f; f = f->parent.get())
        for (auto it = f->vars.rbegin(); it != f->vars.rend(); ++it)
            if (it->first == name)
                return &it->second;
    return nullptr;
}

void Frame::set(const std::string &name, Value value)
{
    for (auto &var : vars)
        if (var.first == name) {
            var.second = std::move(value);
            return;
        }
    vars.emplace_back(name, std::move(value));
}

struct Interpreter::MacroState
{
    const Stmt *stmt = nullptr;
    FramePtr frame; // defining scope; reset after rendering to break reference cycles
    std::string name;
    std::vector<const MacroParam *> params;
};

Interpreter::Interpreter(const RenderLimits &limits, FramePtr globals) : m_limits(limits), m_globals(std::move(globals))
{
    m_budget.maxMemory = limits.maxMemoryBytes;
    m_budget.maxWork = limits.maxWorkBytes;
    m_budget.maxNesting = limits.maxNesting;
    m_budget.cancelled = limits.cancelled;
    if (limits.maxMilliseconds > 0)
        m_budget.deadlineNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  (std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.maxMilliseconds))
                                      .time_since_epoch())
                                  .count();
}

Interpreter::~Interpreter()
{
    for (auto &macro : m_macros)
        macro->frame.reset();
    for (auto &ns : m_namespaces)
        ns->items.clear();
}

void Interpreter::tick()
{
    if (++m_steps > m_limits.maxSteps)
        failLimit("template exceeded " + std::to_string(m_limits.maxSteps) + " steps (runaway loop?)");
    m_budget.poll();
}

void Interpreter::checkStringSize(size_t size) const
{
    if (size > m_limits.maxOutputBytes)
        failLimit("template built a string of " + std::to_string(size) + " bytes, more than the limit of " +
             std::to_string(m_limits.maxOutputBytes));
}

void Interpreter::checkCollectionSize(size_t size) const
{
    if (size > m_limits.maxCollectionSize)
        failLimit("template built a list of " + std::to_string(size) + " items, more than the limit of " +
             std::to_string(m_limits.maxCollectionSize));
}

void Interpreter::emit(std::string_view text)
{
    // Output set aside by enclosing macro calls and {% set %} blocks counts too: otherwise each
    // of a hundred nested calls could hold its own 16 MB.
    checkStringSize(m_pendingOut + m_out.size() + text.size());
    m_budget.spend(text.size());
    m_out.append(text);
}

std::string Interpreter::render(const Body &body)
{
    const RenderBudget::Scope scope(&m_budget);
    m_budget.poll(true);
    auto root = std::make_shared<Frame>();
    root->parent = m_globals;
    m_out.clear();
    exec(body, root);
    return std::move(m_out);
}

std::string Interpreter::capture(const Body &body, const FramePtr &frame)
{
    std::string saved;
    saved.swap(m_out);
    m_pendingOut += saved.size();
    struct Restore
    {
        std::string &out, &saved;
        size_t &pending;
        ~Restore()
        {
            pending -= saved.size();
            out.swap(saved);
        }
    } restore{m_out, saved, m_pendingOut};
    exec(body, frame);
    return std::string(m_out); // `restore` swaps the outer buffer back
}

Interpreter::Flow Interpreter::exec(const Body &body, const FramePtr &frame)
{
    for (const auto &stmt : body) {
        const Flow flow = execStmt(*stmt, frame);
        if (flow != Flow::Normal)
            return flow;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::execStmt(const Stmt &stmt, const FramePtr &frame)
{
    tick();
    const Nest nest(*this);
    try {
        switch (stmt.kind) {
        case StmtKind::Data: emit(stmt.text); break;
        case StmtKind::Print: emit(toStr(eval(*stmt.expr, frame))); break;
        case StmtKind::If:
            for (const auto &[cond, body] : stmt.branches)
                if (!cond || truthy(eval(*cond, frame)))
                    return exec(body, frame);
            break;
        case StmtKind::For: execFor(stmt, frame); break;
        case StmtKind::Set: assign(*stmt.target, eval(*stmt.expr, frame), frame); break;
        case StmtKind::SetBlock: {
            Value v = Value::string(capture(stmt.body, frame));
            for (const auto &f : stmt.filters) {
                CallArgs args = evalArgs(*f, frame);
                v = applyFilter(*this, f->name, v, args);
            }
            assign(*stmt.target, v, frame);
            break;
        }
        case StmtKind::FilterBlock: {
            Value v = Value::string(capture(stmt.body, frame));
            for (const auto &f : stmt.filters) {
                CallArgs args = evalArgs(*f, frame);
                v = applyFilter(*this, f->name, v, args);
            }
            emit(toStr(v));
            break;
        }
        case StmtKind::Macro: defineMacro(stmt, frame, stmt.text, frame); break;
        case StmtKind::CallBlock: {
            // The block becomes a macro named `caller`, passed to the called macro.
            auto holder = std::make_shared<Frame>();
            holder->parent = frame;
            defineMacro(stmt, frame, "caller", holder);
            const Expr &call = *stmt.expr;
            Value callee = eval(*call.a, frame);
            CallArgs args = evalArgs(call, frame);
            args.named.emplace_back("caller", *holder->lookup("caller"));
            emit(toStr(this->call(callee, args)));
            break;
        }
        case StmtKind::Break: return Flow::Break;
        case StmtKind::Continue: return Flow::Continue;
        case StmtKind::Scope: return exec(stmt.body, frame);
        }
    } catch (JinjaError &e) {
        if (e.line == 0) {
            e.line = stmt.line;
            e.column = stmt.column;
        }
        throw;
    }
    return Flow::Normal;
}

void Interpreter::execFor(const Stmt &stmt, const FramePtr &frame)
{
    const Value iterable = eval(*stmt.expr, frame);
    if (iterable.isNone())
        fail("'NoneType' object is not iterable");
    std::vector<Value> items = iterate(iterable);
    // The loop's copy of its items is alive while it runs (nested loops over one big list each
    // hold one): it counts against the memory budget.
    struct Held
    {
        RenderBudget &budget;
        size_t bytes;
        ~Held() { budget.release(bytes); }
    };
    m_budget.charge(items.size() * sizeof(Value));
    const Held held{m_budget, items.size() * sizeof(Value)};
    if (stmt.condition) {
        std::vector<Value> kept;
        for (auto &item : items) {
            tick();
            auto probe = std::make_shared<Frame>();
            probe->parent = frame;
            assign(*stmt.target, item, probe);
            if (truthy(eval(*stmt.condition, probe)))
                kept.push_back(std::move(item));
        }
        items = std::move(kept);
    }
    if (items.empty()) {
        exec(stmt.elseBody, frame);
        return;
    }
    const int64_t n = int64_t(items.size());
    for (int64_t k = 0; k < n; ++k) {
        tick();
        auto iteration = std::make_shared<Frame>();
        iteration->parent = frame;
        Value loop = Value::makeDict(DictFlavor::Loop);
        auto &d = *loop.dict;
        d.items.reserve(12);
        d.items.emplace_back(Value::string("index"), Value::integer(k + 1));
        d.items.emplace_back(Value::string("index0"), Value::integer(k));
        d.items.emplace_back(Value::string("revindex"), Value::integer(n - k));
        d.items.emplace_back(Value::string("revindex0"), Value::integer(n - k - 1));
        d.items.emplace_back(Value::string("first"), Value::boolean(k == 0));
        d.items.emplace_back(Value::string("last"), Value::boolean(k == n - 1));
        d.items.emplace_back(Value::string("length"), Value::integer(n));
        d.items.emplace_back(Value::string("depth"), Value::integer(1));
        d.items.emplace_back(Value::string("depth0"), Value::integer(0));
        d.items.emplace_back(Value::string("previtem"),
                             k > 0 ? items[size_t(k - 1)] : Value::undefined("there is no previous item"));
        d.items.emplace_back(Value::string("nextitem"),
                             k + 1 < n ? items[size_t(k + 1)] : Value::undefined("there is no next item"));
        d.items.emplace_back(Value::string("cycle"),
                             Value::function("loop.cycle", [k](Interpreter &, const CallArgs &args) {
                                 if (args.positional.empty())
                                     fail("no items for cycling given");
                                 return args.positional[size_t(k) % args.positional.size()];
                             }));
        // loop holds its neighbours: a loop stored into a namespace may chain loops into deep
        // values, so its depth counts like a dict's.
        d.depth = 1 + std::max(depthOf(d.items[9].second), depthOf(d.items[10].second));
        if (d.depth > m_limits.maxNesting)
            failTooDeep();
        iteration->vars.emplace_back("loop", std::move(loop));
        assign(*stmt.target, items[size_t(k)], iteration);
        if (exec(stmt.body, iteration) == Flow::Break)
            break;
    }
}

void Interpreter::defineMacro(const Stmt &stmt, const FramePtr &frame, const std::string &name, const FramePtr &target)
{
    auto state = std::make_shared<MacroState>();
    state->stmt = &stmt;
    state->frame = frame;
    state->name = name;
    m_macros.push_back(state);
    std::weak_ptr<MacroState> weak = state;
    Value fn = Value::function(name, [weak](Interpreter &in, const CallArgs &args) -> Value {
        auto macro = weak.lock();
        if (!macro || !macro->frame)
            fail("macro called after rendering finished");
        if (in.m_callDepth >= in.m_limits.maxCallDepth)
            failLimit("maximum macro recursion depth (" + std::to_string(in.m_limits.maxCallDepth) + ") exceeded");
        struct DepthGuard
        {
            int &depth;
            ~DepthGuard() { --depth; }
        } guard{++in.m_callDepth};
        const auto &params = macro->stmt->params;
        if (args.positional.size() > params.size())
            fail("macro '" + macro->name + "' takes not more than " + std::to_string(params.size()) + " argument(s)");
        auto local = std::make_shared<Frame>();
        local->parent = macro->frame;
        for (const auto &[key, value] : args.named) {
            bool known = key == "caller";
            for (const auto &p : params)
                known = known || p.name == key;
            if (!known)
                fail("macro '" + macro->name + "' takes no keyword argument '" + key + "'");
        }
        for (size_t k = 0; k < params.size(); ++k) {
            if (const Value *v = args.get(k, params[k].name))
                local->set(params[k].name, *v);
            else if (params[k].defaultValue)
                local->set(params[k].name, in.eval(*params[k].defaultValue, local));
            else
                local->set(params[k].name, Value::undefined("parameter '" + params[k].name + "' was not provided"));
        }
        for (const auto &[key, value] : args.named)
            if (key == "caller")
                local->set("caller", value);
        return Value::string(in.capture(macro->stmt->body, local));
    });
    target->set(name, std::move(fn));
}

void Interpreter::assign(const Expr &target, const Value &value, const FramePtr &frame)
{
    switch (target.kind) {
    case ExprKind::Name: frame->set(target.name, value); return;
    case ExprKind::GetAttr: {
        const Value ns = eval(*target.a, frame);
        if (!ns.isNamespace())
            fail("cannot assign attribute on non-namespace object");
        ns.dict->set(Value::string(target.name), value);
        return;
    }
    case ExprKind::Tuple: {
        std::vector<Value> items = value.isString() || value.isList() || value.isDict() || value.isUndefined()
                                       ? iterate(value)
                                       : (fail("cannot unpack non-iterable " + typeName(value) + " object"), std::vector<Value>{});
        if (items.size() < target.items.size())
            fail("not enough values to unpack (expected " + std::to_string(target.items.size()) + ", got " +
                 std::to_string(items.size()) + ")");
        if (items.size() > target.items.size())
            fail("too many values to unpack (expected " + std::to_string(target.items.size()) + ")");
        for (size_t k = 0; k < items.size(); ++k)
            assign(*target.items[k], items[k], frame);
        return;
    }
    default: fail("cannot assign to this expression");
    }
}

CallArgs Interpreter::evalArgs(const Expr &expr, const FramePtr &frame)
{
    CallArgs args;
    args.positional.reserve(expr.items.size());
    for (const auto &item : expr.items)
        args.positional.push_back(eval(*item, frame));
    for (const auto &[key, item] : expr.kwargs)
        args.named.emplace_back(key, eval(*item, frame));
    return args;
}

Value Interpreter::call(const Value &callee, const CallArgs &args)
{
    if (callee.kind == Kind::Callable)
        return callee.callable->function(*this, args);
    if (callee.isUndefined())
        raiseUndefined(callee);
    fail("'" + typeName(callee) + "' object is not callable");
}

Value Interpreter::eval(const Expr &expr, const FramePtr &frame)
{
    const Nest nest(*this);
    try {
        return evalInner(expr, frame);
    } catch (JinjaError &e) {
        if (e.line == 0) {
            e.line = expr.line;
            e.column = expr.column;
        }
        throw;
    }
}

Value Interpreter::evalInner(const Expr &expr, const FramePtr &frame)
{
    switch (expr.kind) {
    case ExprKind::Literal: return expr.literal;
    case ExprKind::Name: {
        if (const Value *v = frame->lookup(expr.name))
            return *v;
        return Value::undefinedName(expr.name);
    }
    case ExprKind::List:
    case ExprKind::Tuple: {
        std::vector<Value> items;
        items.reserve(expr.items.size());
        for (const auto &item : expr.items)
            items.push_back(eval(*item, frame));
        return Value::makeList(std::move(items), expr.kind == ExprKind::Tuple);
    }
    case ExprKind::Dict: {
        Value d = Value::makeDict();
        for (size_t k = 0; k + 1 < expr.items.size(); k += 2) {
            Value key = eval(*expr.items[k], frame);
            if (key.kind == Kind::List && !key.list->tuple)
                fail("unhashable type: 'list'");
            if (key.kind == Kind::Dict)
                fail("unhashable type: 'dict'");
            d.dict->set(std::move(key), eval(*expr.items[k + 1], frame));
        }
        return d;
    }
    case ExprKind::GetAttr: {
        const Value obj = eval(*expr.a, frame);
        if (obj.isUndefined())
            raiseUndefined(obj);
        return getAttr(obj, expr.name);
    }
    case ExprKind::GetItem: {
        const Value obj = eval(*expr.a, frame);
        if (obj.isUndefined())
            raiseUndefined(obj);
        return getItem(obj, eval(*expr.b, frame));
    }
    case ExprKind::Slice: {
        const Value obj = eval(*expr.a, frame);
        if (obj.isUndefined())
            raiseUndefined(obj);
        auto part = [&](const ExprPtr &e) { return e ? eval(*e, frame) : Value::none(); };
        return slice(obj, part(expr.b), part(expr.c), part(expr.d));
    }
    case ExprKind::Call: {
        const Value callee = eval(*expr.a, frame);
        CallArgs args = evalArgs(expr, frame);
        return call(callee, args);
    }
    case ExprKind::Filter: {
        const Value v = eval(*expr.a, frame);
        CallArgs args = evalArgs(expr, frame);
        return applyFilter(*this, expr.name, v, args);
    }
    case ExprKind::Test: {
        const Value v = eval(*expr.a, frame);
        CallArgs args = evalArgs(expr, frame);
        return Value::boolean(applyTest(*this, expr.name, v, args) != expr.negated);
    }
    case ExprKind::Unary: {
        const Value v = eval(*expr.a, frame);
        if (expr.name == "not")
            return Value::boolean(!truthy(v));
        if (v.isUndefined())
            raiseUndefined(v);
        if (!v.isNumber())
            fail("bad operand type for unary " + expr.name + ": '" + typeName(v) + "'");
        if (expr.name == "+")
            return v.kind == Kind::Bool ? Value::integer(v.asInt()) : v;
        if (v.kind == Kind::Float)
            return Value::number(-v.f);
        if (v.asInt() == INT64_MIN)
            fail("integer overflow");
        return Value::integer(-v.asInt());
    }
    case ExprKind::Binary: {
        if (expr.name == "and") {
            Value left = eval(*expr.a, frame);
            return truthy(left) ? eval(*expr.b, frame) : left;
        }
        if (expr.name == "or") {
            Value left = eval(*expr.a, frame);
            return truthy(left) ? left : eval(*expr.b, frame);
        }
        const Value left = eval(*expr.a, frame);
        const Value right = eval(*expr.b, frame);
        return binary(expr.name, left, right);
    }
    case ExprKind::Compare: {
        Value left = eval(*expr.items[0], frame);
        for (size_t k = 0; k < expr.ops.size(); ++k) {
            Value right = eval(*expr.items[k + 1], frame);
            const std::string &op = expr.ops[k];
            bool result;
            if (op == "==")
                result = equals(left, right);
            else if (op == "!=")
                result = !equals(left, right);
            else if (op == "in")
                result = contains(right, left);
            else if (op == "not in")
                result = !contains(right, left);
            else {
                const int c = compare(left, right, op);
                result = op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
            }
            if (!result)
                return Value::boolean(false);
            left = std::move(right);
        }
        return Value::boolean(true);
    }
    case ExprKind::Cond: {
        if (truthy(eval(*expr.b, frame)))
            return eval(*expr.a, frame);
        if (expr.c)
            return eval(*expr.c, frame);
        return Value::undefined("the inline if-expression on line " + std::to_string(expr.line) +
                                " evaluated to false and no else section was defined.");
    }
    }
    fail("unknown expression");
}

} // namespace parlo::chat::jinja
