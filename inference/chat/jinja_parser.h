// Recursive-descent parser from tokens to the syntax tree, with jinja2's grammar and operator
// precedence. Nesting is bounded so hostile templates cannot exhaust the stack.
#pragma once

#include "chat/jinja_ast.h"
#include "chat/jinja_lexer.h"

namespace parlo::chat::jinja {

struct ParseLimits
{
    int maxNesting = 200; // expression and block nesting
};

// Throws JinjaError with the position of the offending token.
Body parseTemplate(const std::vector<Token> &tokens, const ParseLimits &limits = {});

} // namespace parlo::chat::jinja
