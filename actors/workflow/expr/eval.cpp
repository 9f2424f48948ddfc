#include "actors/workflow/expr/eval.hpp"

#include <vector>

#include "actors/workflow/expr/functions.hpp"
#include "actors/workflow/expr/operators.hpp"
#include "actors/workflow/expr/values.hpp"

namespace troupe::expr {

namespace {

constexpr std::size_t kShownPathBytes = 100;
constexpr std::size_t kInlineArgs = 4;

// Points `ref` at `found`, a value inside `*base`. When the base lives in a
// holder that is about to go away, the value is kept in `holder` instead.
void settle(const json* found, const json* base, const json& base_holder,
            const json*& ref, json& holder) {
  if (base == &base_holder) {
    holder = *found;
    ref = &holder;
  } else {
    ref = found;
  }
}

}  // namespace

std::string evaluator::text_of(const node& nd) const {
  std::string_view text = src_.substr(nd.begin, nd.end - nd.begin);
  if (text.size() <= kShownPathBytes) return std::string(text);
  return std::string(text.substr(0, kShownPathBytes)) + "...";
}

bool evaluator::undefined(const node& nd, const std::string& detail) {
  std::string message = "'" + text_of(nd) + "' is undefined";
  if (!detail.empty()) message += " (" + detail + ")";
  return st_.fail(error_kind::undefined, nd.pos, std::move(message));
}

bool evaluator::eval(std::int32_t n, json& out) {
  const node& nd = prog_.nodes[n];
  switch (nd.kind) {
    case op::name:
    case op::member:
    case op::index: {
      const json* ref = nullptr;
      json holder;
      if (!eval_ref(n, ref, holder)) return false;
      if (ref == &holder) {
        out = std::move(holder);
      } else {
        out = *ref;
      }
      return true;
    }
    case op::array:
    case op::object:
      return eval_list(nd, out);
    case op::call:
      return eval_call(nd, out);
    default:
      break;
  }
  if (!st_.charge(1, nd.pos)) return false;
  switch (nd.kind) {
    case op::literal:
      out = nd.value;
      return true;
    case op::neg: {
      json v;
      if (!eval(nd.lhs, v)) return false;
      return apply_negate(v, nd.pos, st_, out);
    }
    case op::not_: {
      json v;
      if (!eval(nd.lhs, v)) return false;
      out = !truthy(v);
      return true;
    }
    case op::and_:
    case op::or_: {
      // Python's rule: the first operand that decides, not a boolean.
      json lhs;
      if (!eval(nd.lhs, lhs)) return false;
      if (truthy(lhs) != (nd.kind == op::and_)) {
        out = std::move(lhs);
        return true;
      }
      return eval(nd.rhs, out);
    }
    default: {
      json lhs;
      json rhs;
      if (!eval(nd.lhs, lhs) || !eval(nd.rhs, rhs)) return false;
      return apply_binary(nd.kind, lhs, rhs, nd.pos, st_, out);
    }
  }
}

bool evaluator::eval_ref(std::int32_t n, const json*& ref, json& holder) {
  const node& nd = prog_.nodes[n];
  switch (nd.kind) {
    case op::name:
      if (!st_.charge(1, nd.pos)) return false;
      ref = st_.context.find(nd.value.as_string());
      if (ref == nullptr) return undefined(nd, "");
      return true;
    case op::member:
      return eval_member(nd, ref, holder);
    case op::index:
      return eval_index(nd, ref, holder);
    default:
      if (!eval(n, holder)) return false;
      ref = &holder;
      return true;
  }
}

bool evaluator::eval_member(const node& nd, const json*& ref, json& holder) {
  if (!st_.charge(1, nd.pos)) return false;
  const json* base = nullptr;
  json base_holder;
  if (!eval_ref(nd.lhs, base, base_holder)) return false;
  if (!base->is_object()) {
    return undefined(nd, "'" + text_of(prog_.nodes[nd.lhs]) + "' is " + type_name(*base) +
                             ", not an object");
  }
  const json* found = base->find(nd.value.as_string());
  if (found == nullptr) return undefined(nd, "");
  settle(found, base, base_holder, ref, holder);
  return true;
}

bool evaluator::eval_index(const node& nd, const json*& ref, json& holder) {
  if (!st_.charge(1, nd.pos)) return false;
  const json* base = nullptr;
  json base_holder;
  if (!eval_ref(nd.lhs, base, base_holder)) return false;
  json key;
  if (!eval(nd.rhs, key)) return false;
  const json* found = nullptr;
  if (base->is_array()) {
    std::int64_t i = 0;
    if (!integral_value(key, i)) {
      return st_.fail(error_kind::type, nd.pos,
                      "array index must be an integer, got " + type_name(key));
    }
    auto size = static_cast<std::int64_t>(base->size());
    if (i < 0) i += size;  // -1 is the last element
    if (i < 0 || i >= size) {
      return undefined(nd, "index " + key.dump() + " out of range for " +
                               std::to_string(size) + " elements");
    }
    found = &base->at(static_cast<std::size_t>(i));
  } else if (base->is_object()) {
    if (!key.is_string()) {
      return st_.fail(error_kind::type, nd.pos,
                      "object key must be a string, got " + type_name(key));
    }
    found = base->find(key.as_string());
    if (found == nullptr) return undefined(nd, "");
  } else {
    return undefined(nd, "'" + text_of(prog_.nodes[nd.lhs]) + "' is " + type_name(*base) +
                             ", not an array or object");
  }
  settle(found, base, base_holder, ref, holder);
  return true;
}

bool evaluator::eval_list(const node& nd, json& out) {
  if (!st_.charge(1 + nd.count, nd.pos)) return false;
  if (nd.kind == op::array) {
    json::array_builder items(nd.count);
    for (std::size_t i = 0; i < nd.count; ++i) {
      json v;
      if (!eval(prog_.operands[nd.first + i], v)) return false;
      items.push_back(std::move(v));
    }
    out = items.build();
    return true;
  }
  json::object_builder members;
  for (std::size_t i = 0; i + 1 < nd.count; i += 2) {
    std::int32_t key_node = prog_.operands[nd.first + i];
    json key;
    if (!eval(key_node, key)) return false;
    if (!key.is_string()) {
      return st_.fail(error_kind::type, prog_.nodes[key_node].pos,
                      "object key must be a string, got " + type_name(key));
    }
    json value;
    if (!eval(prog_.operands[nd.first + i + 1], value)) return false;
    members.set(key.as_string(), std::move(value));
  }
  out = members.build();
  return true;
}

bool evaluator::eval_call(const node& nd, json& out) {
  if (!st_.charge(1, nd.pos)) return false;
  if (is_default_function(nd.function)) return eval_default(nd, out);
  json inline_args[kInlineArgs];
  std::vector<json> heap_args;
  json* args = inline_args;
  if (nd.count > kInlineArgs) {
    heap_args.resize(nd.count);
    args = heap_args.data();
  }
  for (std::size_t i = 0; i < nd.count; ++i) {
    if (!eval(prog_.operands[nd.first + i], args[i])) return false;
  }
  const function_info& fn = function_at(nd.function);
  call c{fn, args, nd.count, nd.pos, st_, json()};
  if (!fn.impl(c)) return false;
  out = std::move(c.out);
  return true;
}

// default(x, fallback): fallback when x is null or names something that does
// not exist; any other error in x still fails.
bool evaluator::eval_default(const node& nd, json& out) {
  json value;
  if (!eval(prog_.operands[nd.first], value)) {
    if (st_.error.kind != error_kind::undefined) return false;
    st_.error = diagnostic{};
    value = json();
  }
  if (!value.is_null()) {
    out = std::move(value);
    return true;
  }
  return eval(prog_.operands[nd.first + 1], out);
}

}  // namespace troupe::expr
