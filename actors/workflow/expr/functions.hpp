// The builtin functions of the template language (internal to the
// expression engine): a fixed table the parser resolves names against at
// compile time (unknown functions and wrong argument counts are compile
// errors) and the evaluator calls through. LANGUAGE.md describes each one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "actors/workflow/expr/eval_state.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::expr {

struct function_info;

// One call of a builtin: its evaluated arguments and where to put the result.
struct call {
  const function_info& fn;
  const json* args;
  std::size_t count;
  std::size_t offset;  // of the function name in the text, for errors
  eval_state& state;
  json out;

  const json& arg(std::size_t i) const { return args[i]; }
  // Records "<name>(): <message>" and returns false.
  bool fail(error_kind kind, const std::string& message);
  // Records "<name>() expects <expected> [as argument <i+1>], got <type>"
  // (a type error) and returns false.
  bool fail_argument(std::size_t i, std::string_view expected);
  // eval_state::charge and check_string, with the function named in errors.
  bool charge(std::size_t steps);
  bool check_string(std::size_t bytes);
};

// Computes c.out from c.args, or records an error and returns false.
using builtin = bool (*)(call& c);

struct function_info {
  std::string_view name;
  std::uint8_t min_args;
  std::uint8_t max_args;  // kVariadic: no upper bound
  builtin impl;           // nullptr for default(), which the evaluator runs itself
};

constexpr std::uint8_t kVariadic = 255;

// The function named `name`, or nullptr.
const function_info* find_function(std::string_view name);
// The function at `id` (an index returned by function_id).
const function_info& function_at(std::uint8_t id);
std::uint8_t function_id(const function_info& fn);
// True for default(), whose first argument may be undefined.
bool is_default_function(std::uint8_t id);
// True for result(), succeeded() and failed().
bool reads_task_outcome(std::uint8_t id);

// Builtins, grouped by file.
// functions_collections.cpp
bool fn_length(call& c);
bool fn_keys(call& c);
bool fn_values(call& c);
bool fn_join(call& c);
bool fn_split(call& c);
bool fn_range(call& c);
bool fn_min(call& c);
bool fn_max(call& c);
bool fn_sum(call& c);
// functions_text.cpp
bool fn_tojson(call& c);
bool fn_fromjson(call& c);
bool fn_lower(call& c);
bool fn_upper(call& c);
bool fn_trim(call& c);
bool fn_replace(call& c);
bool fn_startswith(call& c);
bool fn_endswith(call& c);
// functions_convert.cpp
bool fn_int(call& c);
bool fn_float(call& c);
bool fn_str(call& c);
bool fn_bool(call& c);
bool fn_type(call& c);
bool fn_abs(call& c);
// functions.cpp
bool fn_result(call& c);
bool fn_succeeded(call& c);
bool fn_failed(call& c);

}  // namespace troupe::expr
