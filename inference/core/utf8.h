// UTF-8 encoding shared by the tokenizer, the JSON parser and the Jinja engine.
#pragma once

#include <string>

namespace parlo {

// Appends code point `cp` as UTF-8 (1–4 bytes). The caller passes a valid code point.
void appendUtf8(std::string &out, char32_t cp);

} // namespace parlo
