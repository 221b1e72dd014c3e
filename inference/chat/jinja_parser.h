// Recursive-descent parser from tokens to the syntax tree, with jinja2's grammar and operator
// precedence. Nesting is bounded so hostile templates cannot exhaust the stack.
#pragma once

#include "chat/jinja_ast.h"
#include "chat/jinja_lexer.h"

namespace parlo::chat::jinja {

struct ParseLimits
{
    // Depth of the syntax tree: statements inside statements and expressions inside both, the
    // nesting evaluation will recurse through. Chains (1+1+..., x.a.a..., |f|f...) count too.
    int maxNesting = 256;
};

// "template nests too deeply (more than N levels)", for the parser and the interpreter.
std::string tooDeep(int limit);

// Throws JinjaError where the finished tree nests deeper than `limit` (jinja_ast.cpp): the
// parser's own recursion is bounded, but chains are built by loops into trees as deep as they
// are long.
void checkDepth(const Body &body, int limit);

// Throws JinjaError with the position of the offending token.
Body parseTemplate(const std::vector<Token> &tokens, const ParseLimits &limits = {});

} // namespace parlo::chat::jinja
