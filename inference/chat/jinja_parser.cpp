// jinja2's grammar (parser.py) re-expressed: same precedence ladder, same statement set as the
// environment Hugging Face renders with (loopcontrols on), plus {% generation %} as a no-op scope.
#include "chat/jinja_parser.h"

#include <initializer_list>

namespace parlo::chat::jinja {

namespace {

class Parser
{
public:
    Parser(const std::vector<Token> &tokens, const ParseLimits &limits) : m_tokens(tokens), m_limits(limits) {}

    Body run()
    {
        Body body = subparse({});
        if (current().type != TokenType::End)
            error("unexpected token");
        return body;
    }

private:
    const std::vector<Token> &m_tokens;
    const ParseLimits &m_limits;
    size_t m_pos = 0;
    int m_depth = 0;

    struct DepthGuard
    {
        Parser &p;
        DepthGuard(Parser &parser, const Token &at) : p(parser)
        {
            if (++p.m_depth > p.m_limits.maxNesting)
                p.errorAt(at, tooDeep(p.m_limits.maxNesting));
        }
        ~DepthGuard() { --p.m_depth; }
    };

    const Token &current() const { return m_tokens[m_pos]; }
    const Token &look(size_t ahead = 1) const { return m_tokens[std::min(m_pos + ahead, m_tokens.size() - 1)]; }
    const Token &next()
    {
        const Token &t = m_tokens[m_pos];
        if (m_pos + 1 < m_tokens.size())
            ++m_pos;
        return t;
    }

    [[noreturn]] void errorAt(const Token &t, const std::string &message) const { throw JinjaError{message, t.line, t.column}; }
    [[noreturn]] void error(const std::string &message) const { errorAt(current(), message); }

    static std::string describe(const Token &t)
    {
        switch (t.type) {
        case TokenType::End: return "end of template";
        case TokenType::Data: return "template data";
        case TokenType::VariableBegin: return "'{{'";
        case TokenType::VariableEnd: return "'}}'";
        case TokenType::BlockBegin: return "'{%'";
        case TokenType::BlockEnd: return "'%}'";
        case TokenType::String: return "string";
        case TokenType::Integer: return "integer";
        case TokenType::Float: return "float";
        default: return "'" + t.text + "'";
        }
    }

    bool isOp(const char *op) const { return current().type == TokenType::Operator && current().text == op; }
    bool isName(const char *name) const { return current().type == TokenType::Name && current().text == name; }
    bool skipOp(const char *op)
    {
        if (!isOp(op))
            return false;
        next();
        return true;
    }
    bool skipName(const char *name)
    {
        if (!isName(name))
            return false;
        next();
        return true;
    }
    void expectOp(const char *op)
    {
        if (!skipOp(op))
            error(std::string("expected '") + op + "', got " + describe(current()));
    }
    void expect(TokenType type, const char *what)
    {
        if (current().type != type)
            error(std::string("expected ") + what + ", got " + describe(current()));
        next();
    }
    std::string expectName()
    {
        if (current().type != TokenType::Name)
            error("expected a name, got " + describe(current()));
        return next().text;
    }

    ExprPtr node(ExprKind kind, const Token &at)
    {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->line = at.line;
        e->column = at.column;
        return e;
    }

    StmtPtr stmt(StmtKind kind, const Token &at)
    {
        auto s = std::make_unique<Stmt>();
        s->kind = kind;
        s->line = at.line;
        s->column = at.column;
        return s;
    }

    // ---- statements -------------------------------------------------------------------------

    // Parses until a block tag named in `endTags`; leaves the position on that tag's name.
    Body subparse(std::initializer_list<const char *> endTags)
    {
        Body body;
        while (true) {
            const Token &t = current();
            switch (t.type) {
            case TokenType::End:
                if (endTags.size() != 0) {
                    std::string names;
                    for (const char *n : endTags)
                        names += std::string(names.empty() ? "" : " or ") + "'" + n + "'";
                    errorAt(t, "unexpected end of template; Jinja was looking for " + names);
                }
                return body;
            case TokenType::Data: {
                auto s = stmt(StmtKind::Data, t);
                s->text = t.text;
                next();
                body.push_back(std::move(s));
                break;
            }
            case TokenType::VariableBegin: {
                next();
                auto s = stmt(StmtKind::Print, t);
                s->expr = parseTuple(true);
                expect(TokenType::VariableEnd, "'}}'");
                body.push_back(std::move(s));
                break;
            }
            case TokenType::BlockBegin: {
                const Token &name = look();
                if (name.type != TokenType::Name)
                    errorAt(name, "expected a tag name after '{%'");
                for (const char *end : endTags)
                    if (name.text == end) {
                        next();
                        return body;
                    }
                next();
                body.push_back(parseStatement());
                break;
            }
            default: errorAt(t, "unexpected " + describe(t));
            }
        }
    }

    StmtPtr parseStatement()
    {
        const Token &t = current();
        DepthGuard guard(*this, t);
        const std::string tag = t.text;
        if (tag == "if")
            return parseIf();
        if (tag == "for")
            return parseFor();
        if (tag == "set")
            return parseSet();
        if (tag == "macro")
            return parseMacro();
        if (tag == "call")
            return parseCallBlock();
        if (tag == "filter")
            return parseFilterBlock();
        if (tag == "break" || tag == "continue") {
            next();
            auto s = stmt(tag == "break" ? StmtKind::Break : StmtKind::Continue, t);
            expect(TokenType::BlockEnd, "'%}'");
            return s;
        }
        if (tag == "generation") {
            // transformers' AssistantTracker tag: renders its body unchanged.
            next();
            auto s = stmt(StmtKind::Scope, t);
            expect(TokenType::BlockEnd, "'%}'");
            s->body = subparse({"endgeneration"});
            next();
            expect(TokenType::BlockEnd, "'%}'");
            return s;
        }
        if (tag.rfind("end", 0) == 0 || tag == "else" || tag == "elif")
            errorAt(t, "Encountered unknown tag '" + tag + "'. Jinja was not looking for it here; a block may be closed twice or not opened.");
        errorAt(t, "Encountered unknown tag '" + tag + "'.");
    }

    StmtPtr parseIf()
    {
        auto s = stmt(StmtKind::If, next());
        while (true) {
            ExprPtr cond = parseTuple(false);
            expect(TokenType::BlockEnd, "'%}'");
            Body body = subparse({"elif", "else", "endif"});
            s->branches.emplace_back(std::move(cond), std::move(body));
            const std::string tag = next().text;
            if (tag == "elif")
                continue;
            if (tag == "else") {
                expect(TokenType::BlockEnd, "'%}'");
                Body elseBody = subparse({"endif"});
                next();
                s->branches.emplace_back(nullptr, std::move(elseBody));
            }
            expect(TokenType::BlockEnd, "'%}'");
            return s;
        }
    }

    // Names, `ns.attr` (with_namespace) or a tuple of names.
    ExprPtr parseAssignTarget(bool withNamespace, const char *endName)
    {
        const Token &start = current();
        DepthGuard guard(*this, start); // ((((a)))) recurses here
        if (withNamespace && current().type == TokenType::Name && look().type == TokenType::Operator && look().text == ".") {
            auto ns = node(ExprKind::Name, current());
            ns->name = next().text;
            next(); // .
            auto attr = node(ExprKind::GetAttr, start);
            attr->name = expectName();
            attr->a = std::move(ns);
            return attr;
        }
        auto tuple = node(ExprKind::Tuple, start);
        bool sawComma = false;
        while (true) {
            if (current().type == TokenType::Name && current().text != (endName ? endName : "")) {
                auto n = node(ExprKind::Name, current());
                n->name = next().text;
                tuple->items.push_back(std::move(n));
            } else if (skipOp("(")) {
                auto inner = parseAssignTarget(false, nullptr);
                expectOp(")");
                tuple->items.push_back(std::move(inner));
            } else {
                error("expected an assignment target, got " + describe(current()));
            }
            if (!skipOp(","))
                break;
            sawComma = true;
            if (current().type != TokenType::Name && !isOp("("))
                break;
        }
        if (!sawComma)
            return std::move(tuple->items[0]);
        return tuple;
    }

    StmtPtr parseFor()
    {
        auto s = stmt(StmtKind::For, next());
        s->target = parseAssignTarget(false, "in");
        if (!skipName("in"))
            error("expected 'in', got " + describe(current()));
        s->expr = parseTuple(false, "recursive");
        if (skipName("if"))
            s->condition = parseExpression(true);
        if (isName("recursive"))
            error("recursive for loops are not supported");
        expect(TokenType::BlockEnd, "'%}'");
        s->body = subparse({"endfor", "else"});
        if (next().text == "else") {
            expect(TokenType::BlockEnd, "'%}'");
            s->elseBody = subparse({"endfor"});
            next();
        }
        expect(TokenType::BlockEnd, "'%}'");
        return s;
    }

    StmtPtr parseSet()
    {
        const Token &t = next();
        ExprPtr target = parseAssignTarget(true, nullptr);
        if (skipOp("=")) {
            auto s = stmt(StmtKind::Set, t);
            s->target = std::move(target);
            s->expr = parseTuple(true);
            expect(TokenType::BlockEnd, "'%}'");
            return s;
        }
        auto s = stmt(StmtKind::SetBlock, t);
        s->target = std::move(target);
        while (isOp("|")) {
            next();
            s->filters.push_back(parseFilterCall(nullptr));
        }
        expect(TokenType::BlockEnd, "'%}'");
        s->body = subparse({"endset"});
        next();
        expect(TokenType::BlockEnd, "'%}'");
        return s;
    }

    void parseParams(std::vector<MacroParam> &params)
    {
        expectOp("(");
        while (!isOp(")")) {
            if (!params.empty())
                expectOp(",");
            if (isOp(")"))
                break;
            MacroParam p;
            p.name = expectName();
            if (skipOp("="))
                p.defaultValue = parseExpression(true);
            else if (!params.empty() && params.back().defaultValue)
                error("non-default argument follows default argument");
            params.push_back(std::move(p));
        }
        next();
    }

    StmtPtr parseMacro()
    {
        auto s = stmt(StmtKind::Macro, next());
        s->text = expectName();
        parseParams(s->params);
        expect(TokenType::BlockEnd, "'%}'");
        s->body = subparse({"endmacro"});
        next();
        if (current().type == TokenType::Name && current().text == s->text)
            next(); // {% endmacro name %}
        expect(TokenType::BlockEnd, "'%}'");
        return s;
    }

    StmtPtr parseCallBlock()
    {
        auto s = stmt(StmtKind::CallBlock, next());
        if (isOp("("))
            parseParams(s->params);
        s->expr = parseExpression(true);
        if (s->expr->kind != ExprKind::Call)
            error("expected a call in {% call %}");
        expect(TokenType::BlockEnd, "'%}'");
        s->body = subparse({"endcall"});
        next();
        expect(TokenType::BlockEnd, "'%}'");
        return s;
    }

    StmtPtr parseFilterBlock()
    {
        auto s = stmt(StmtKind::FilterBlock, next());
        do {
            s->filters.push_back(parseFilterCall(nullptr));
        } while (skipOp("|"));
        expect(TokenType::BlockEnd, "'%}'");
        s->body = subparse({"endfilter"});
        next();
        expect(TokenType::BlockEnd, "'%}'");
        return s;
    }

    // ---- expressions ------------------------------------------------------------------------

    bool isTupleEnd(const char *extraEndName) const
    {
        const Token &t = current();
        if (t.type == TokenType::VariableEnd || t.type == TokenType::BlockEnd || t.type == TokenType::End)
            return true;
        if (t.type == TokenType::Operator && t.text == ")")
            return true;
        return extraEndName && t.type == TokenType::Name && t.text == extraEndName;
    }

    ExprPtr parseTuple(bool withCondexpr, const char *extraEndName = nullptr, bool explicitParens = false)
    {
        const Token &start = current();
        std::vector<ExprPtr> items;
        bool sawComma = false;
        while (true) {
            if (!items.empty()) {
                if (!skipOp(","))
                    break;
                sawComma = true;
            }
            if (isTupleEnd(extraEndName))
                break;
            items.push_back(parseExpression(withCondexpr));
        }
        if (!sawComma) {
            if (!items.empty())
                return std::move(items[0]);
            if (!explicitParens)
                error("expected an expression, got " + describe(current()));
        }
        auto t = node(ExprKind::Tuple, start);
        t->items = std::move(items);
        return t;
    }

    ExprPtr parseExpression(bool withCondexpr)
    {
        DepthGuard guard(*this, current());
        return withCondexpr ? parseCondexpr() : parseOr();
    }

    ExprPtr parseCondexpr()
    {
        const Token &start = current();
        ExprPtr expr = parseOr();
        while (skipName("if")) {
            auto cond = node(ExprKind::Cond, start);
            cond->a = std::move(expr);
            cond->b = parseOr();
            if (skipName("else")) {
                DepthGuard guard(*this, current()); // `a if b else c if d else ...` recurses here
                cond->c = parseCondexpr();
            }
            expr = std::move(cond);
        }
        return expr;
    }

    ExprPtr binary(const char *op, ExprPtr left, ExprPtr right, const Token &at)
    {
        auto e = node(ExprKind::Binary, at);
        e->name = op;
        e->a = std::move(left);
        e->b = std::move(right);
        return e;
    }

    ExprPtr parseOr()
    {
        ExprPtr left = parseAnd();
        while (isName("or")) {
            const Token &t = next();
            left = binary("or", std::move(left), parseAnd(), t);
        }
        return left;
    }

    ExprPtr parseAnd()
    {
        ExprPtr left = parseNot();
        while (isName("and")) {
            const Token &t = next();
            left = binary("and", std::move(left), parseNot(), t);
        }
        return left;
    }

    ExprPtr parseNot()
    {
        if (isName("not")) {
            const Token &t = next();
            DepthGuard guard(*this, t);
            auto e = node(ExprKind::Unary, t);
            e->name = "not";
            e->a = parseNot();
            return e;
        }
        return parseCompare();
    }

    ExprPtr parseCompare()
    {
        const Token &start = current();
        ExprPtr first = parseMath1();
        ExprPtr cmp;
        while (true) {
            std::string op;
            const Token &t = current();
            if (t.type == TokenType::Operator &&
                (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=")) {
                op = t.text;
                next();
            } else if (isName("in")) {
                op = "in";
                next();
            } else if (isName("not") && look().type == TokenType::Name && look().text == "in") {
                op = "not in";
                next();
                next();
            } else {
                break;
            }
            if (!cmp) {
                cmp = node(ExprKind::Compare, start);
                cmp->items.push_back(std::move(first));
            }
            cmp->ops.push_back(op);
            cmp->items.push_back(parseMath1());
        }
        return cmp ? std::move(cmp) : std::move(first);
    }

    ExprPtr parseMath1()
    {
        ExprPtr left = parseConcat();
        while (isOp("+") || isOp("-")) {
            const Token &t = next();
            left = binary(t.text == "+" ? "+" : "-", std::move(left), parseConcat(), t);
        }
        return left;
    }

    ExprPtr parseConcat()
    {
        ExprPtr left = parseMath2();
        while (isOp("~")) {
            const Token &t = next();
            left = binary("~", std::move(left), parseMath2(), t);
        }
        return left;
    }

    ExprPtr parseMath2()
    {
        ExprPtr left = parsePow();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            const Token &t = next();
            const std::string op = t.text;
            left = binary(op == "*" ? "*" : op == "/" ? "/" : op == "//" ? "//" : "%", std::move(left), parsePow(), t);
        }
        return left;
    }

    ExprPtr parsePow()
    {
        ExprPtr left = parseUnary(true);
        while (isOp("**")) {
            const Token &t = next();
            left = binary("**", std::move(left), parseUnary(true), t);
        }
        return left;
    }

    ExprPtr parseUnary(bool withFilter)
    {
        const Token &t = current();
        DepthGuard guard(*this, t);
        ExprPtr e;
        if (isOp("-") || isOp("+")) {
            next();
            e = node(ExprKind::Unary, t);
            e->name = t.text;
            e->a = parseUnary(false);
        } else {
            e = parsePrimary();
        }
        e = parsePostfix(std::move(e));
        if (withFilter)
            e = parseFilterExpr(std::move(e));
        return e;
    }

    ExprPtr parsePrimary()
    {
        const Token &t = current();
        switch (t.type) {
        case TokenType::Name: {
            next();
            auto e = node(ExprKind::Literal, t);
            if (t.text == "true" || t.text == "True")
                e->literal = Value::boolean(true);
            else if (t.text == "false" || t.text == "False")
                e->literal = Value::boolean(false);
            else if (t.text == "none" || t.text == "None")
                e->literal = Value::none();
            else {
                e->kind = ExprKind::Name;
                e->name = t.text;
            }
            return e;
        }
        case TokenType::String: {
            std::string s;
            while (current().type == TokenType::String)
                s += next().text;
            auto e = node(ExprKind::Literal, t);
            e->literal = Value::string(std::move(s));
            return e;
        }
        case TokenType::Integer: {
            next();
            auto e = node(ExprKind::Literal, t);
            e->literal = Value::integer(t.integer);
            return e;
        }
        case TokenType::Float: {
            next();
            auto e = node(ExprKind::Literal, t);
            e->literal = Value::number(t.number);
            return e;
        }
        case TokenType::Operator:
            if (t.text == "(") {
                next();
                ExprPtr e = parseTuple(true, nullptr, true);
                expectOp(")");
                return e;
            }
            if (t.text == "[") {
                next();
                auto e = node(ExprKind::List, t);
                while (!isOp("]")) {
                    if (!e->items.empty())
                        expectOp(",");
                    if (isOp("]"))
                        break;
                    e->items.push_back(parseExpression(true));
                }
                next();
                return e;
            }
            if (t.text == "{") {
                next();
                auto e = node(ExprKind::Dict, t);
                while (!isOp("}")) {
                    if (!e->items.empty())
                        expectOp(",");
                    if (isOp("}"))
                        break;
                    e->items.push_back(parseExpression(true));
                    expectOp(":");
                    e->items.push_back(parseExpression(true));
                }
                next();
                return e;
            }
            break;
        default: break;
        }
        errorAt(t, "unexpected " + describe(t));
    }

    ExprPtr parsePostfix(ExprPtr e)
    {
        while (true) {
            const Token &t = current();
            if (isOp(".")) {
                next();
                if (current().type == TokenType::Name) {
                    auto g = node(ExprKind::GetAttr, t);
                    g->name = next().text;
                    g->a = std::move(e);
                    e = std::move(g);
                } else if (current().type == TokenType::Integer) {
                    auto g = node(ExprKind::GetItem, t);
                    auto index = node(ExprKind::Literal, current());
                    index->literal = Value::integer(next().integer);
                    g->a = std::move(e);
                    g->b = std::move(index);
                    e = std::move(g);
                } else {
                    error("expected a name or number after '.'");
                }
            } else if (isOp("[")) {
                next();
                e = parseSubscript(std::move(e), t);
            } else if (isOp("(")) {
                e = parseCall(std::move(e));
            } else {
                return e;
            }
        }
    }

    ExprPtr parseSubscript(ExprPtr target, const Token &at)
    {
        std::vector<ExprPtr> args;
        while (!isOp("]")) {
            if (!args.empty()) {
                expectOp(",");
                if (isOp("]"))
                    break;
            }
            args.push_back(parseSubscribed());
        }
        next();
        ExprPtr index;
        if (args.size() == 1) {
            index = std::move(args[0]);
        } else {
            index = node(ExprKind::Tuple, at);
            index->items = std::move(args);
        }
        if (!index)
            errorAt(at, "expected a subscript");
        if (index->kind == ExprKind::Slice) {
            index->a = std::move(target);
            return index;
        }
        auto g = node(ExprKind::GetItem, at);
        g->a = std::move(target);
        g->b = std::move(index);
        return g;
    }

    // One subscript: an expression or a slice `start:stop:step` (returned as Slice without target).
    ExprPtr parseSubscribed()
    {
        const Token &t = current();
        ExprPtr start;
        if (!isOp(":")) {
            start = parseExpression(true);
            if (!isOp(":"))
                return start;
        }
        next(); // ':'
        auto s = node(ExprKind::Slice, t);
        s->b = std::move(start);
        if (!isOp("]") && !isOp(",") && !isOp(":"))
            s->c = parseExpression(true);
        if (skipOp(":")) {
            if (!isOp("]") && !isOp(","))
                s->d = parseExpression(true);
        }
        return s;
    }

    void parseCallArgs(Expr &e)
    {
        expectOp("(");
        bool first = true;
        while (!isOp(")")) {
            if (!first)
                expectOp(",");
            if (isOp(")"))
                break;
            first = false;
            if (isOp("*") || isOp("**"))
                error("*args and **kwargs in calls are not supported");
            if (current().type == TokenType::Name && look().type == TokenType::Operator && look().text == "=") {
                std::string key = next().text;
                next();
                e.kwargs.emplace_back(std::move(key), parseExpression(true));
            } else {
                if (!e.kwargs.empty())
                    error("positional argument follows keyword argument");
                e.items.push_back(parseExpression(true));
            }
        }
        next();
    }

    ExprPtr parseCall(ExprPtr callee)
    {
        auto e = node(ExprKind::Call, current());
        e->a = std::move(callee);
        parseCallArgs(*e);
        return e;
    }

    std::string dottedName()
    {
        std::string name = expectName();
        while (isOp(".") && look().type == TokenType::Name) {
            next();
            name += "." + next().text;
        }
        return name;
    }

    ExprPtr parseFilterCall(ExprPtr target)
    {
        auto e = node(ExprKind::Filter, current());
        e->name = dottedName();
        e->a = std::move(target);
        if (isOp("("))
            parseCallArgs(*e);
        return e;
    }

    ExprPtr parseFilterExpr(ExprPtr e)
    {
        while (true) {
            if (isOp("|")) {
                next();
                e = parseFilterCall(std::move(e));
            } else if (isName("is")) {
                const Token &t = next();
                auto test = node(ExprKind::Test, t);
                test->negated = skipName("not");
                test->name = dottedName();
                test->a = std::move(e);
                const Token &c = current();
                if (isOp("(")) {
                    parseCallArgs(*test);
                } else if ((c.type == TokenType::Name && c.text != "else" && c.text != "or" && c.text != "and" &&
                            c.text != "if" && c.text != "in" && c.text != "not" && c.text != "is") ||
                           c.type == TokenType::String || c.type == TokenType::Integer || c.type == TokenType::Float ||
                           (c.type == TokenType::Operator && (c.text == "[" || c.text == "{"))) {
                    test->items.push_back(parsePostfix(parsePrimary()));
                }
                e = std::move(test);
            } else if (isOp("(")) {
                e = parseCall(std::move(e));
            } else {
                return e;
            }
        }
    }
};

} // namespace

std::string tooDeep(int limit) { return "template nests too deeply (more than " + std::to_string(limit) + " levels)"; }

Body parseTemplate(const std::vector<Token> &tokens, const ParseLimits &limits)
{
    Body body = Parser(tokens, limits).run();
    checkDepth(body, limits.maxNesting);
    return body;
}

} // namespace parlo::chat::jinja
