// Jinja lexer with jinja2's whitespace rules as Hugging Face configures them: trim_blocks,
// lstrip_blocks, `-`/`+` modifiers, newline normalisation and the dropped trailing newline.
#pragma once

#include "chat/jinja_value.h"

#include <string>
#include <string_view>
#include <vector>

namespace parlo::chat::jinja {

enum class TokenType { Data, VariableBegin, VariableEnd, BlockBegin, BlockEnd, Name, String, Integer, Float, Operator, End };

struct Token
{
    TokenType type = TokenType::End;
    std::string text; // Data text, name, operator, or the decoded string literal
    int64_t integer = 0;
    double number = 0.0;
    int line = 1;
    int column = 1;
};

struct LexOptions
{
    bool trimBlocks = true;
    bool lstripBlocks = true;
};

// Throws JinjaError with the position on bad input (unterminated tag, string or comment).
std::vector<Token> tokenize(std::string_view source, const LexOptions &options = {});

} // namespace parlo::chat::jinja
