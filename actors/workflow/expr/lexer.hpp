// lexer: splits the text of one expression into tokens (internal to the
// expression engine). It reads lazily, one token per next(), so that the
// parser can stop at the "}}" that closes a template without looking at the
// text after it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "actors/workflow/expr/diagnostic.hpp"

namespace troupe::expr {

enum class token_kind : std::uint8_t {
  end,    // end of the text
  error,  // a lexical error; lexer::error() describes it
  name,
  integer,
  real,
  string,
  kw_and,
  kw_or,
  kw_not,
  kw_in,
  kw_true,
  kw_false,
  kw_null,
  lparen,
  rparen,
  lbracket,
  rbracket,
  lbrace,
  rbrace,
  comma,
  colon,
  dot,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  plus,
  minus,
  star,
  slash,
  slash_slash,
  percent,
};

namespace detail {

inline bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_name_char(char c) {
  return is_name_start(c) || is_digit(c);
}
// The whole UTF-8 character that starts at byte `i` of `s` (at most 4
// bytes), to quote it in messages.
std::string_view utf8_char_at(std::string_view s, std::size_t i);

}  // namespace detail

struct token {
  token_kind kind = token_kind::end;
  std::size_t begin = 0;  // byte span in the text
  std::size_t end = 0;
  std::int64_t integer = 0;  // kind integer
  double real = 0;           // kind real
  std::string text;          // kind string: the decoded literal; kind name: the name
};

class lexer {
 public:
  // Reads `source` from byte `start`. Tokens that reach more than
  // `max_bytes` past `start` are an error (error_kind::limit).
  lexer(std::string_view source, std::size_t start, std::size_t max_bytes);

  // The next token; kind end at the end of the text, kind error (and
  // error() set) on invalid text. Whitespace between tokens is skipped.
  token next();

  // The last lexical error.
  const diagnostic& error() const { return error_; }

 private:
  token fail(std::size_t offset, error_kind kind, std::string message);
  token lex_name(token t);
  token lex_number(token t);
  token lex_string(token t);
  // Appends the character of the \u escape at pos_ (pointing at '\\') to
  // `out` and advances past it; false if the escape is invalid.
  bool lex_unicode_escape(std::string& out);

  std::string_view src_;
  std::size_t pos_;
  std::size_t limit_;  // tokens must end at or before this offset
  std::size_t max_bytes_;
  diagnostic error_;
};

}  // namespace troupe::expr
