#include "actors/workflow/expr/functions.hpp"

#include <iterator>

namespace troupe::expr {

namespace {

// Sorted by name only for the reader; lookups scan (the table is small and
// lookups happen at compile time only).
constexpr function_info kFunctions[] = {
    {"abs", 1, 1, fn_abs},
    {"bool", 1, 1, fn_bool},
    {"default", 2, 2, nullptr},
    {"endswith", 2, 2, fn_endswith},
    {"failed", 0, 0, fn_failed},
    {"float", 1, 1, fn_float},
    {"fromjson", 1, 1, fn_fromjson},
    {"int", 1, 1, fn_int},
    {"join", 1, 2, fn_join},
    {"keys", 1, 1, fn_keys},
    {"length", 1, 1, fn_length},
    {"lower", 1, 1, fn_lower},
    {"max", 1, kVariadic, fn_max},
    {"min", 1, kVariadic, fn_min},
    {"range", 1, 3, fn_range},
    {"replace", 3, 3, fn_replace},
    {"result", 0, 0, fn_result},
    {"split", 1, 2, fn_split},
    {"startswith", 2, 2, fn_startswith},
    {"str", 1, 1, fn_str},
    {"succeeded", 0, 0, fn_succeeded},
    {"sum", 1, 1, fn_sum},
    {"tojson", 1, 1, fn_tojson},
    {"trim", 1, 1, fn_trim},
    {"type", 1, 1, fn_type},
    {"upper", 1, 1, fn_upper},
    {"values", 1, 1, fn_values},
};

const task_outcome* outcome_of(call& c) {
  const task_outcome* o = c.state.context.outcome();
  if (o == nullptr) c.fail(error_kind::value, "only available in a task's transitions");
  return o;
}

std::string ordinal_suffix(const call& c, std::size_t i) {
  if (c.fn.max_args == 1) return "";
  return " as argument " + std::to_string(i + 1);
}

}  // namespace

bool call::fail(error_kind kind, const std::string& message) {
  return state.fail(kind, offset, std::string(fn.name) + "(): " + message);
}

bool call::fail_argument(std::size_t i, std::string_view expected) {
  std::string message = std::string(fn.name) + "() expects " + std::string(expected) +
                        ordinal_suffix(*this, i) + ", got " +
                        std::string(json_type_name(args[i].type()));
  return state.fail(error_kind::type, offset, std::move(message));
}

bool call::charge(std::size_t steps) {
  if (state.charge(steps, offset)) return true;
  state.error.message.insert(0, std::string(fn.name) + "(): ");
  return false;
}

bool call::check_string(std::size_t bytes) {
  if (state.check_string(bytes, offset)) return true;
  state.error.message.insert(0, std::string(fn.name) + "(): ");
  return false;
}

const function_info* find_function(std::string_view name) {
  for (const function_info& fn : kFunctions) {
    if (fn.name == name) return &fn;
  }
  return nullptr;
}

const function_info& function_at(std::uint8_t id) {
  return kFunctions[id];
}

std::uint8_t function_id(const function_info& fn) {
  return static_cast<std::uint8_t>(&fn - kFunctions);
}

bool is_default_function(std::uint8_t id) {
  return kFunctions[id].name == "default";
}

bool reads_task_outcome(std::uint8_t id) {
  std::string_view name = kFunctions[id].name;
  return name == "result" || name == "succeeded" || name == "failed";
}

bool fn_result(call& c) {
  const task_outcome* o = outcome_of(c);
  if (o == nullptr) return false;
  c.out = o->result;
  return true;
}

bool fn_succeeded(call& c) {
  const task_outcome* o = outcome_of(c);
  if (o == nullptr) return false;
  c.out = o->succeeded;
  return true;
}

bool fn_failed(call& c) {
  const task_outcome* o = outcome_of(c);
  if (o == nullptr) return false;
  c.out = !o->succeeded;
  return true;
}

static_assert(std::size(kFunctions) < kVariadic, "function ids are bytes");

}  // namespace troupe::expr
