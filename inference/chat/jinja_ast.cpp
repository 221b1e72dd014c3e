// Walks over a finished syntax tree without recursion: the depth check the parser runs, and the
// destructors. Chains (1+1+…, x.a.a…) make trees as deep as the template is long, so neither
// may recurse through them. Both visit children through the one enumeration below, so a field
// added to Expr or Stmt is measured and freed alike.
#include "chat/jinja_parser.h"

#include <initializer_list>

namespace parlo::chat::jinja {

namespace {

// Calls onExpr for every child expression slot of `e` (slots may be null). E: Expr or const Expr.
template <class E, class OnExpr>
void forEachChild(E &e, OnExpr &&onExpr)
{
    for (auto *child : {&e.a, &e.b, &e.c, &e.d})
        onExpr(*child);
    for (auto &child : e.items)
        onExpr(child);
    for (auto &[key, child] : e.kwargs)
        onExpr(child);
}

// Calls onExpr for every child expression slot and onStmt for every child statement of `s`, in
// source order (an if's condition before its branch). S: Stmt or const Stmt.
template <class S, class OnExpr, class OnStmt>
void forEachChild(S &s, OnExpr &&onExpr, OnStmt &&onStmt)
{
    for (auto *e : {&s.expr, &s.target, &s.condition})
        onExpr(*e);
    for (auto &[cond, b] : s.branches) {
        onExpr(cond);
        for (auto &inner : b)
            onStmt(inner);
    }
    for (auto &f : s.filters)
        onExpr(f);
    for (auto &p : s.params)
        onExpr(p.defaultValue);
    for (auto *b : {&s.body, &s.elseBody})
        for (auto &inner : *b)
            onStmt(inner);
}

} // namespace

// Measures the tree the way the interpreter will recurse through it: a statement, then each
// expression level below it.
void checkDepth(const Body &body, int limit)
{
    struct Item
    {
        const Stmt *stmt;
        const Expr *expr;
        int depth;
    };
    std::vector<Item> stack;
    const auto pushStmt = [&](const StmtPtr &s, int depth) {
        if (s)
            stack.push_back({s.get(), nullptr, depth});
    };
    const auto pushExpr = [&](const ExprPtr &e, int depth) {
        if (e)
            stack.push_back({nullptr, e.get(), depth});
    };
    for (const auto &s : body)
        pushStmt(s, 1);
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        if (item.depth > limit) {
            const int line = item.stmt ? item.stmt->line : item.expr->line;
            const int column = item.stmt ? item.stmt->column : item.expr->column;
            throw JinjaError{tooDeep(limit), line, column};
        }
        const int d = item.depth + 1;
        const auto expr = [&](const ExprPtr &e) { pushExpr(e, d); };
        if (item.stmt)
            forEachChild(*item.stmt, expr, [&](const StmtPtr &s) { pushStmt(s, d); });
        else
            forEachChild(*item.expr, expr);
    }
}

// Each destructor moves its node's children into a list and empties the list node by node, so
// destroying any single node recurses no further than itself.
Expr::~Expr()
{
    std::vector<ExprPtr> pending;
    const auto take = [&](ExprPtr &e) {
        if (e)
            pending.push_back(std::move(e));
    };
    forEachChild(*this, take);
    while (!pending.empty()) {
        ExprPtr e = std::move(pending.back());
        pending.pop_back();
        forEachChild(*e, take);
    } // each node dies here, childless
}

Stmt::~Stmt()
{
    std::vector<ExprPtr> exprs; // each destroys its own tree iteratively
    std::vector<StmtPtr> stmts;
    const auto takeExpr = [&](ExprPtr &e) {
        if (e)
            exprs.push_back(std::move(e));
    };
    const auto takeStmt = [&](StmtPtr &s) {
        if (s)
            stmts.push_back(std::move(s));
    };
    forEachChild(*this, takeExpr, takeStmt);
    while (!stmts.empty()) {
        StmtPtr s = std::move(stmts.back());
        stmts.pop_back();
        forEachChild(*s, takeExpr, takeStmt);
    }
}

} // namespace parlo::chat::jinja
