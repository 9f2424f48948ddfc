#include "runtime/base/json/json_diagnose.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <unordered_set>

#include "runtime/base/json/json_text.hpp"

namespace troupe::detail {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Recursive descent over the text, stopping at the first problem. Every
// method returns false after recording the problem in error_.
class checker {
 public:
  checker(std::string_view text, std::size_t max_depth)
      : text_(text), max_depth_(max_depth) {}

  std::optional<json_syntax_error> run() {
    skip_space();
    if (!value(0)) return error_;
    skip_space();
    if (pos_ < text_.size()) {
      fail("unexpected content after the JSON value, found " + found());
      return error_;
    }
    return std::nullopt;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!at_end() &&
           (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  // How the character at pos_ reads in a message.
  std::string found() const {
    if (at_end()) return "end of input";
    auto c = static_cast<unsigned char>(peek());
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static constexpr char hex[] = "0123456789abcdef";
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 0xf];
  }

  bool fail(std::string message) {
    error_ = json_syntax_error{pos_, std::move(message)};
    return false;
  }

  bool value(std::size_t depth) {
    switch (peek()) {
      case '{':
      case '[':
        if (depth >= max_depth_) {
          return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
        }
        return peek() == '{' ? object(depth + 1) : array(depth + 1);
      case '"':
        return string(nullptr);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (peek() == '-' || is_digit(peek())) return number();
        return fail("expected a JSON value, found " + found());
    }
  }

  bool object(std::size_t depth) {
    ++pos_;  // '{'
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    std::unordered_set<std::string> keys;
    for (bool first = true;; first = false) {
      if (peek() != '"') {
        if (first) return fail("expected a string key or '}', found " + found());
        return fail("expected a string key after ',', found " + found() +
                    (peek() == '}' ? " (trailing commas are not allowed)" : ""));
      }
      std::size_t key_start = pos_;
      std::string key;
      if (!string(&key)) return false;
      if (!keys.insert(key).second) {
        pos_ = key_start;
        return fail("duplicate key " + json_quoted(key));
      }
      skip_space();
      if (peek() != ':') return fail("expected ':' after the key, found " + found());
      ++pos_;
      skip_space();
      if (!value(depth)) return false;
      skip_space();
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      if (peek() != ',') {
        return fail("expected ',' or '}' after an object member, found " + found());
      }
      ++pos_;
      skip_space();
    }
  }

  bool array(std::size_t depth) {
    ++pos_;  // '['
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!value(depth)) return false;
      skip_space();
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() != ',') {
        return fail("expected ',' or ']' after an array element, found " + found());
      }
      ++pos_;
      skip_space();
      if (peek() == ']') {
        return fail(
            "expected a value after ',', found ']' (trailing commas are not allowed)");
      }
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return fail("invalid literal, expected true, false or null");
    }
    pos_ += word.size();
    return true;
  }

  bool number() {
    std::size_t start = pos_;
    bool negative = peek() == '-';
    if (negative) ++pos_;
    if (!is_digit(peek())) return fail("expected a digit after '-', found " + found());
    if (peek() == '0') {
      ++pos_;
      if (is_digit(peek())) return fail("leading zeros are not allowed in numbers");
    }
    while (is_digit(peek())) ++pos_;
    bool integer = true;
    if (peek() == '.') {
      ++pos_;
      integer = false;
      if (!is_digit(peek())) return fail("expected a digit after '.', found " + found());
      while (is_digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      integer = false;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!is_digit(peek()))
        return fail("expected a digit in the exponent, found " + found());
      while (is_digit(peek())) ++pos_;
    }
    std::string_view literal = text_.substr(start, pos_ - start);
    std::size_t end = pos_;
    pos_ = start;
    if (integer && negative) {
      std::int64_t v = 0;
      auto r = std::from_chars(literal.data(), literal.data() + literal.size(), v);
      if (r.ec != std::errc()) return fail("integer out of range (below -2^63)");
    } else if (integer) {
      std::uint64_t v = 0;
      auto r = std::from_chars(literal.data(), literal.data() + literal.size(), v);
      if (r.ec != std::errc()) return fail("integer out of range (above 2^64 - 1)");
    } else if (std::isinf(std::strtod(std::string(literal).c_str(), nullptr))) {
      return fail("number out of range for a double");
    }
    pos_ = end;
    return true;
  }

  // Checks the string at pos_ and, if `decoded` is set, stores its value.
  bool string(std::string* decoded) {
    std::size_t start = pos_++;
    std::string sink;
    std::string& out = decoded != nullptr ? *decoded : sink;
    for (;;) {
      if (at_end()) {
        pos_ = start;
        return fail("unterminated string");
      }
      auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (c < 0x20) {
        return fail(
            "unescaped control character in string (write it as \\n, \\t or \\u00XX)");
      } else if (c >= 0x80) {
        if (!utf8(out)) return false;
      } else {
        out.push_back(static_cast<char>(c));
        ++pos_;
      }
    }
  }

  bool escape(std::string& out) {
    std::size_t start = pos_++;
    if (at_end()) {
      pos_ = start;
      return fail("unterminated string");
    }
    char e = peek();
    static constexpr std::string_view simple = "\"\\/bfnrt";
    static constexpr std::string_view meaning = "\"\\/\b\f\n\r\t";
    if (auto i = simple.find(e); i != std::string_view::npos) {
      out.push_back(meaning[i]);
      ++pos_;
      return true;
    }
    if (e != 'u') {
      pos_ = start;
      return fail("invalid escape sequence in string, found '\\" + std::string(1, e) +
                  "'");
    }
    std::uint32_t cp = 0;
    if (!hex4(start, &cp)) return false;
    if (cp >= 0xdc00 && cp <= 0xdfff) {
      pos_ = start;
      return fail("unpaired UTF-16 surrogate in \\u escape");
    }
    if (cp >= 0xd800 && cp <= 0xdbff) {
      std::uint32_t low = 0;
      if (text_.substr(pos_, 2) == "\\u") {
        ++pos_;  // '\\'
        if (!hex4(start, &low)) return false;
      }
      if (low < 0xdc00 || low > 0xdfff) {
        pos_ = start;
        return fail("unpaired UTF-16 surrogate in \\u escape");
      }
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    append_utf8(out, cp);
    return true;
  }

  // Reads "uXXXX" at pos_; `start` is where the escape began.
  bool hex4(std::size_t start, std::uint32_t* cp) {
    ++pos_;  // 'u'
    for (int i = 0; i < 4; ++i) {
      int h = hex_digit_value(peek());
      if (h < 0) {
        pos_ = start;
        return fail("invalid \\u escape in string: expected 4 hex digits");
      }
      *cp = (*cp << 4) | static_cast<std::uint32_t>(h);
      ++pos_;
    }
    return true;
  }

  // Checks one UTF-8 encoded code point (lead byte >= 0x80) at pos_.
  bool utf8(std::string& out) {
    auto byte = [&](std::size_t i) {
      return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0;
    };
    unsigned char lead = byte(0);
    std::size_t n = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    std::uint32_t cp = n == 4 ? lead & 0x07u : n == 3 ? lead & 0x0fu : lead & 0x1fu;
    bool ok = n != 0 && lead < 0xf5;
    for (std::size_t i = 1; ok && i < n; ++i) {
      ok = (byte(i) & 0xc0) == 0x80;
      cp = (cp << 6) | (byte(i) & 0x3fu);
    }
    // No overlong forms, no surrogates, nothing beyond U+10FFFF.
    ok = ok && !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) &&
         !(n == 4 && (cp < 0x10000 || cp > 0x10ffff)) && !(cp >= 0xd800 && cp <= 0xdfff);
    if (!ok) return fail("invalid UTF-8 in string");
    out.append(text_.substr(pos_, n));
    pos_ += n;
    return true;
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
  json_syntax_error error_;
};

}  // namespace

std::optional<json_syntax_error> find_json_error(std::string_view text,
                                                 std::size_t max_depth) {
  return checker(text, max_depth).run();
}

std::string json_error_message(std::string_view source, std::string_view text,
                               std::size_t offset, std::string_view message) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
      ++column;
    }
  }
  std::string out(source.empty() ? std::string_view("<input>") : source);
  out += ':' + std::to_string(line) + ':' + std::to_string(column) + ": ";
  out += message;
  out += " (byte " + std::to_string(offset) + ")";
  return out;
}

}  // namespace troupe::detail
