// The lexer's literals: numbers and quoted strings with their escapes.
#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

#include "actors/workflow/expr/lexer.hpp"
#include "runtime/base/json/json_text.hpp"

namespace troupe::expr {

namespace {}  // namespace

token lexer::lex_number(token t) {
  std::size_t p = pos_;
  bool is_real = false;
  while (p < src_.size() && detail::is_digit(src_[p])) ++p;
  if (p + 1 < src_.size() && src_[p] == '.' && detail::is_digit(src_[p + 1])) {
    is_real = true;
    ++p;
    while (p < src_.size() && detail::is_digit(src_[p])) ++p;
  }
  bool bad = false;
  if (p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
    std::size_t q = p + 1;
    if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
    if (q < src_.size() && detail::is_digit(src_[q])) {
      is_real = true;
      p = q;
      while (p < src_.size() && detail::is_digit(src_[p])) ++p;
    } else {
      bad = true;
      p = q;
    }
  }
  while (p < src_.size() && detail::is_name_char(src_[p])) {
    bad = true;
    ++p;
  }
  std::string_view text = src_.substr(pos_, p - pos_);
  if (bad)
    return fail(t.begin, error_kind::syntax,
                "invalid number '" + std::string(text) + "'");
  const char* first = text.data();
  const char* last = first + text.size();
  std::from_chars_result r;
  if (is_real) {
    t.kind = token_kind::real;
    r = std::from_chars(first, last, t.real);
  } else {
    t.kind = token_kind::integer;
    r = std::from_chars(first, last, t.integer);
  }
  if (r.ec != std::errc() || r.ptr != last) {
    return fail(t.begin, error_kind::syntax,
                "number out of range '" + std::string(text) + "'");
  }
  pos_ = p;
  t.end = p;
  return t;
}

token lexer::lex_string(token t) {
  const char quote = src_[pos_];
  std::size_t start = pos_;
  ++pos_;
  std::string value;
  for (;;) {
    if (pos_ >= src_.size())
      return fail(start, error_kind::syntax, "unterminated string");
    char c = src_[pos_];
    if (c == quote) {
      ++pos_;
      break;
    }
    if (c != '\\') {
      value.push_back(c);
      ++pos_;
      continue;
    }
    if (pos_ + 1 >= src_.size())
      return fail(start, error_kind::syntax, "unterminated string");
    char e = src_[pos_ + 1];
    char decoded = '\0';
    switch (e) {
      case 'n':
        decoded = '\n';
        break;
      case 't':
        decoded = '\t';
        break;
      case 'r':
        decoded = '\r';
        break;
      case 'b':
        decoded = '\b';
        break;
      case 'f':
        decoded = '\f';
        break;
      case '/':
        decoded = '/';
        break;
      case '\\':
        decoded = '\\';
        break;
      case '\'':
        decoded = '\'';
        break;
      case '"':
        decoded = '"';
        break;
      case 'u': {
        std::size_t at = pos_;
        if (!lex_unicode_escape(value)) {
          return fail(at, error_kind::syntax, "invalid \\u escape in string");
        }
        continue;
      }
      default:
        return fail(pos_, error_kind::syntax,
                    "invalid escape '\\" +
                        std::string(detail::utf8_char_at(src_, pos_ + 1)) +
                        "' in string");
    }
    value.push_back(decoded);
    pos_ += 2;
  }
  t.kind = token_kind::string;
  t.end = pos_;
  t.text = std::move(value);
  return t;
}

bool lexer::lex_unicode_escape(std::string& out) {
  auto read_hex4 = [this](std::size_t at, std::uint32_t& cp) {
    if (at + 6 > src_.size() || src_[at] != '\\' || src_[at + 1] != 'u') return false;
    cp = 0;
    for (std::size_t i = at + 2; i < at + 6; ++i) {
      int h = hex_digit_value(src_[i]);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<std::uint32_t>(h);
    }
    return true;
  };
  std::uint32_t cp = 0;
  if (!read_hex4(pos_, cp)) return false;
  std::size_t used = 6;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    std::uint32_t low = 0;
    if (!read_hex4(pos_ + 6, low) || low < 0xDC00 || low > 0xDFFF) return false;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    used = 12;
  }
  append_utf8(out, cp);
  pos_ += used;
  return true;
}

}  // namespace troupe::expr
