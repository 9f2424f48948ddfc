// Builtins over text: tojson, fromjson, lower, upper, trim, replace,
// startswith, endswith.
#include <string>

#include "actors/workflow/expr/functions.hpp"
#include "actors/workflow/expr/values.hpp"

namespace troupe::expr {

namespace {

// Maps the ASCII letters of the string argument with `f`; other bytes
// (UTF-8 included) stay as they are.
template <class F>
bool map_ascii(call& c, F f) {
  if (!c.arg(0).is_string()) return c.fail_argument(0, "a string");
  std::string s(c.arg(0).as_string());
  for (char& ch : s) ch = f(ch);
  c.out = json(s);
  return true;
}

// startswith() and endswith().
bool affix(call& c, bool at_start) {
  if (!c.arg(0).is_string()) return c.fail_argument(0, "a string");
  if (!c.arg(1).is_string()) return c.fail_argument(1, "a string");
  std::string_view s = c.arg(0).as_string();
  std::string_view a = c.arg(1).as_string();
  c.out = a.size() <= s.size() &&
          (at_start ? s.substr(0, a.size()) : s.substr(s.size() - a.size())) == a;
  return true;
}

}  // namespace

bool fn_tojson(call& c) {
  std::string text = c.arg(0).dump();
  if (!c.check_string(text.size())) return false;
  c.out = json(text);
  return true;
}

bool fn_fromjson(call& c) {
  if (!c.arg(0).is_string()) return c.fail_argument(0, "a string");
  result<json> parsed = json::parse(c.arg(0).as_string(), "fromjson");
  if (!parsed) return c.fail(error_kind::value, parsed.error().message());
  c.out = std::move(parsed).value();
  return true;
}

bool fn_lower(call& c) {
  return map_ascii(c, [](char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  });
}

bool fn_upper(call& c) {
  return map_ascii(c, [](char ch) {
    return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
  });
}

bool fn_trim(call& c) {
  if (!c.arg(0).is_string()) return c.fail_argument(0, "a string");
  std::string_view s = c.arg(0).as_string();
  std::string_view t = trim_ascii_space(s);
  if (t.size() == s.size()) {
    c.out = c.arg(0);
  } else {
    c.out = json(t);
  }
  return true;
}

bool fn_replace(call& c) {
  for (std::size_t i = 0; i < 3; ++i) {
    if (!c.arg(i).is_string()) return c.fail_argument(i, "a string");
  }
  std::string_view s = c.arg(0).as_string();
  std::string_view from = c.arg(1).as_string();
  std::string_view to = c.arg(2).as_string();
  if (from.empty())
    return c.fail(error_kind::value, "the text to replace must not be empty");
  std::string out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(from, start);
    if (at == std::string_view::npos) break;
    out.append(s.substr(start, at - start)).append(to);
    if (!c.check_string(out.size())) return false;
    start = at + from.size();
  }
  out.append(s.substr(start));
  if (!c.check_string(out.size())) return false;
  c.out = json(out);
  return true;
}

bool fn_startswith(call& c) {
  return affix(c, true);
}

bool fn_endswith(call& c) {
  return affix(c, false);
}

}  // namespace troupe::expr
