// Value rules of the template language shared by operators, functions and
// templates: truthiness, text rendering, integer and ordering rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "actors/workflow/expr/ast.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::expr {

// Truthiness, used by `and`, `or`, `not`, bool() and by callers for `when`:
// null, false, 0, 0.0, "", [] and {} are false; every other value is true
// (NaN included).
bool truthy(const json& v);

// Appends `v` as text: a string as it is (no quotes), anything else as
// compact JSON (null → "null", [1,2] → "[1,2]"). Used by mixed templates,
// join() and str().
void append_text(std::string& out, const json& v);

// The value of an integer, or of a double with an integral value within
// int64 (3.0 → 3); false for everything else.
bool integral_value(const json& v, std::int64_t& out);

// The number of UTF-8 code points of `s` (bytes that do not continue a
// character; invalid UTF-8 counts byte by byte).
std::size_t utf8_length(std::string_view s);

// The JSON type of `v` as messages name it: "integer", "string", ...
std::string type_name(const json& v);

// True for the ASCII whitespace characters (space, \t, \n, \r, \f, \v).
bool is_ascii_space(char c);
// `s` without leading and trailing ASCII whitespace.
std::string_view trim_ascii_space(std::string_view s);

// Applies an ordering operator (op::lt, le, gt, ge) to two numbers (ints and
// doubles compare exactly, NaN compares false) or two strings (byte-wise);
// false if the operands are not comparable.
bool compare_values(op kind, const json& a, const json& b, bool& out);

}  // namespace troupe::expr
