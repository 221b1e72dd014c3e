// Syntax tree of a parsed Jinja template. One tagged node type per family keeps the
// interpreter a pair of switch statements.
#pragma once

#include "chat/jinja_value.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace parlo::chat::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

enum class ExprKind {
    Literal,  // literal
    Name,     // name
    List,     // items
    Tuple,    // items
    Dict,     // items: key, value, key, value...
    GetAttr,  // a.name
    GetItem,  // a[b]
    Slice,    // a[b:c:d] (missing parts are null)
    Call,     // a(items, kwargs)
    Filter,   // a | name(items, kwargs); a is null inside {% filter %} and {% set %} blocks
    Test,     // a is [not] name(items, kwargs)
    Unary,    // name (-, +, not) a
    Binary,   // a name b (+ - * / // % ** ~ and or)
    Compare,  // items[0] ops[0] items[1] ops[1] items[2]...
    Cond,     // a if b else c (c may be null)
};

struct Expr
{
    Expr() = default;
    // Iterative: a 1 MB template of chained operators is a tree a hundred thousand levels deep
    // until the parser measures and refuses it, and recursive destruction would overflow the stack.
    ~Expr();
    Expr(const Expr &) = delete;
    Expr &operator=(const Expr &) = delete;

    ExprKind kind = ExprKind::Literal;
    int line = 0;
    int column = 0;
    Value literal;
    std::string name;
    ExprPtr a, b, c, d;
    std::vector<ExprPtr> items;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    std::vector<std::string> ops;
    bool negated = false;
};

struct MacroParam
{
    std::string name;
    ExprPtr defaultValue; // null when required
};

enum class StmtKind { Data, Print, If, For, Set, SetBlock, Macro, CallBlock, FilterBlock, Break, Continue, Scope };

struct Stmt
{
    Stmt() = default;
    ~Stmt(); // iterative, as ~Expr
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;

    StmtKind kind = StmtKind::Data;
    int line = 0;
    int column = 0;
    std::string text;                                  // Data; Macro name
    ExprPtr expr;                                      // Print, Set value, For iterable, CallBlock call
    ExprPtr target;                                    // Set/SetBlock/For target (Name, GetAttr or Tuple)
    ExprPtr condition;                                 // For's inline `if`
    std::vector<std::pair<ExprPtr, Body>> branches;    // If/elif; a null condition is `else`
    std::vector<ExprPtr> filters;                      // SetBlock, FilterBlock
    std::vector<MacroParam> params;                    // Macro, CallBlock's caller
    Body body;                                         // For, SetBlock, Macro, CallBlock, FilterBlock, Scope
    Body elseBody;                                     // For
};

} // namespace parlo::chat::jinja
