#include "actors/workflow/expr/lexer.hpp"

namespace troupe::expr {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct keyword {
  std::string_view text;
  token_kind kind;
};

constexpr keyword kKeywords[] = {
    {"and", token_kind::kw_and},   {"or", token_kind::kw_or},
    {"not", token_kind::kw_not},   {"in", token_kind::kw_in},
    {"true", token_kind::kw_true}, {"false", token_kind::kw_false},
    {"null", token_kind::kw_null},
};

}  // namespace

namespace detail {

std::string_view utf8_char_at(std::string_view s, std::size_t i) {
  std::size_t n = 1;
  while (n < 4 && i + n < s.size() &&
         (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) {
    ++n;
  }
  return s.substr(i, n);
}

}  // namespace detail

lexer::lexer(std::string_view source, std::size_t start, std::size_t max_bytes)
    : src_(source),
      pos_(start < source.size() ? start : source.size()),
      max_bytes_(max_bytes) {
  limit_ = max_bytes > src_.size() - pos_ ? src_.size() : pos_ + max_bytes;
}

token lexer::fail(std::size_t offset, error_kind kind, std::string message) {
  error_ = diagnostic{kind, std::move(message), offset};
  token t;
  t.kind = token_kind::error;
  t.begin = offset;
  t.end = offset;
  return t;
}

token lexer::next() {
  while (pos_ < src_.size() && is_space(src_[pos_])) ++pos_;
  token t;
  t.begin = pos_;
  t.end = pos_;
  if (pos_ >= src_.size()) return t;
  if (pos_ >= limit_) {
    return fail(pos_, error_kind::limit,
                "expression longer than " + std::to_string(max_bytes_) + " bytes");
  }
  char c = src_[pos_];
  if (detail::is_name_start(c)) {
    t = lex_name(std::move(t));
  } else if (detail::is_digit(c)) {
    t = lex_number(std::move(t));
  } else if (c == '"' || c == '\'') {
    t = lex_string(std::move(t));
  } else {
    char d = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    std::size_t width = 1;
    switch (c) {
      case '(':
        t.kind = token_kind::lparen;
        break;
      case ')':
        t.kind = token_kind::rparen;
        break;
      case '[':
        t.kind = token_kind::lbracket;
        break;
      case ']':
        t.kind = token_kind::rbracket;
        break;
      case '{':
        t.kind = token_kind::lbrace;
        break;
      case '}':
        t.kind = token_kind::rbrace;
        break;
      case ',':
        t.kind = token_kind::comma;
        break;
      case ':':
        t.kind = token_kind::colon;
        break;
      case '.':
        t.kind = token_kind::dot;
        break;
      case '+':
        t.kind = token_kind::plus;
        break;
      case '-':
        t.kind = token_kind::minus;
        break;
      case '*':
        t.kind = token_kind::star;
        break;
      case '%':
        t.kind = token_kind::percent;
        break;
      case '/':
        t.kind = d == '/' ? token_kind::slash_slash : token_kind::slash;
        width = d == '/' ? 2 : 1;
        break;
      case '<':
        t.kind = d == '=' ? token_kind::le : token_kind::lt;
        width = d == '=' ? 2 : 1;
        break;
      case '>':
        t.kind = d == '=' ? token_kind::ge : token_kind::gt;
        width = d == '=' ? 2 : 1;
        break;
      case '=':
        if (d != '=')
          return fail(pos_, error_kind::syntax, "unexpected '=' (use '==' to compare)");
        t.kind = token_kind::eq;
        width = 2;
        break;
      case '!':
        if (d != '=') return fail(pos_, error_kind::syntax, "unexpected '!' (use 'not')");
        t.kind = token_kind::ne;
        width = 2;
        break;
      default:
        return fail(pos_, error_kind::syntax,
                    "unexpected character '" +
                        std::string(detail::utf8_char_at(src_, pos_)) + "'");
    }
    pos_ += width;
    t.end = pos_;
  }
  if (t.kind != token_kind::error && t.end > limit_) {
    return fail(t.begin, error_kind::limit,
                "expression longer than " + std::to_string(max_bytes_) + " bytes");
  }
  return t;
}

token lexer::lex_name(token t) {
  while (pos_ < src_.size() && detail::is_name_char(src_[pos_])) ++pos_;
  t.end = pos_;
  std::string_view text = src_.substr(t.begin, t.end - t.begin);
  t.kind = token_kind::name;
  for (const keyword& k : kKeywords) {
    if (k.text == text) t.kind = k.kind;
  }
  if (t.kind == token_kind::name) t.text = std::string(text);
  return t;
}

}  // namespace troupe::expr
