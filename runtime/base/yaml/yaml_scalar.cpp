#include "runtime/base/yaml/yaml_scalar.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>

namespace troupe {

namespace {

bool one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (text == w) return true;
  return false;
}

// `digits` (no sign, no prefix) in `base` as int64, with `negative`; nullopt
// beyond int64.
std::optional<std::int64_t> yaml_integer(std::string_view digits, int base,
                                         bool negative) {
  std::uint64_t limit = negative ? std::uint64_t{INT64_MAX} + 1 : INT64_MAX;
  std::uint64_t value = 0;
  for (char c : digits) {
    int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (value >
        (limit - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
      return std::nullopt;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  if (negative) return value == limit ? INT64_MIN : -static_cast<std::int64_t>(value);
  return static_cast<std::int64_t>(value);
}

}  // namespace

result<json> yaml_plain_scalar(std::string_view text) {
  if (one_of(text, {"", "~", "null", "Null", "NULL"})) return json();
  if (one_of(text, {"true", "True", "TRUE"})) return json(true);
  if (one_of(text, {"false", "False", "FALSE"})) return json(false);
  static const std::regex decimal("[-+]?[0-9]+");
  static const std::regex octal("0o[0-7]+");
  static const std::regex hex("0x[0-9a-fA-F]+");
  static const std::regex real("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  static const std::regex special("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  std::string s(text);
  std::optional<std::int64_t> integer;
  if (std::regex_match(s, decimal)) {
    bool negative = s[0] == '-';
    std::size_t start = s[0] == '-' || s[0] == '+' ? 1 : 0;
    integer = yaml_integer(text.substr(start), 10, negative);
  } else if (std::regex_match(s, octal)) {
    integer = yaml_integer(text.substr(2), 8, false);
  } else if (std::regex_match(s, hex)) {
    integer = yaml_integer(text.substr(2), 16, false);
  } else if (std::regex_match(s, real)) {
    errno = 0;
    double d = std::strtod(s.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(d))
      return status::error("the number " + s + " is beyond a double's range");
    return json(d);
  } else if (std::regex_match(s, special)) {
    return status::error("'" + s + "' is not a JSON number (quote it for a string)");
  } else {
    return json(text);
  }
  if (!integer)
    return status::error("the integer " + s + " is beyond int64 (quote it for a string)");
  return json(*integer);
}

}  // namespace troupe
