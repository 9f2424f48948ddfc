// Builtins over arrays, objects and sequences: length, keys, values, join,
// split, range, min, max, sum.
#include <string>

#include "actors/workflow/expr/functions.hpp"
#include "actors/workflow/expr/values.hpp"

namespace troupe::expr {

namespace {

// min() and max(): over one array argument, or over the arguments.
bool extreme(call& c, op better) {
  const json* first = c.args;
  std::size_t n = c.count;
  if (c.count == 1) {
    if (!c.arg(0).is_array())
      return c.fail_argument(0, "an array (or several arguments)");
    if (c.arg(0).empty()) return c.fail(error_kind::value, "empty array");
    if (!c.charge(c.arg(0).size())) return false;
    const json* best = nullptr;
    for (const json& item : c.arg(0).items()) {
      bool wins = false;
      if (best != nullptr && !compare_values(better, item, *best, wins)) {
        return c.fail(error_kind::type,
                      "cannot compare " + type_name(item) + " with " + type_name(*best));
      }
      if (best == nullptr || wins) best = &item;
    }
    c.out = *best;
    return true;
  }
  const json* best = &first[0];
  for (std::size_t i = 1; i < n; ++i) {
    bool wins = false;
    if (!compare_values(better, first[i], *best, wins)) {
      return c.fail(error_kind::type, "cannot compare " + type_name(first[i]) + " with " +
                                          type_name(*best));
    }
    if (wins) best = &first[i];
  }
  c.out = *best;
  return true;
}

}  // namespace

bool fn_length(call& c) {
  const json& v = c.arg(0);
  if (v.is_string()) {
    c.out = static_cast<std::int64_t>(utf8_length(v.as_string()));
  } else if (v.is_array() || v.is_object()) {
    c.out = static_cast<std::int64_t>(v.size());
  } else {
    return c.fail_argument(0, "a string, array or object");
  }
  return true;
}

bool fn_keys(call& c) {
  const json& v = c.arg(0);
  if (!v.is_object()) return c.fail_argument(0, "an object");
  if (!c.charge(v.size())) return false;
  json::array_builder keys(v.size());
  for (auto member : v.members()) keys.push_back(json(member.key));
  c.out = keys.build();
  return true;
}

bool fn_values(call& c) {
  const json& v = c.arg(0);
  if (!v.is_object()) return c.fail_argument(0, "an object");
  if (!c.charge(v.size())) return false;
  json::array_builder values(v.size());
  for (auto member : v.members()) values.push_back(member.value);
  c.out = values.build();
  return true;
}

bool fn_join(call& c) {
  const json& list = c.arg(0);
  if (!list.is_array()) return c.fail_argument(0, "an array");
  std::string_view sep;
  if (c.count > 1) {
    if (!c.arg(1).is_string()) return c.fail_argument(1, "a string");
    sep = c.arg(1).as_string();
  }
  if (!c.charge(list.size())) return false;
  std::string out;
  bool first = true;
  for (const json& item : list.items()) {
    if (!first) out.append(sep);
    first = false;
    append_text(out, item);
    if (!c.check_string(out.size())) return false;
  }
  c.out = json(out);
  return true;
}

bool fn_split(call& c) {
  if (!c.arg(0).is_string()) return c.fail_argument(0, "a string");
  std::string_view s = c.arg(0).as_string();
  json::array_builder parts;
  if (c.count == 1) {  // runs of whitespace separate; no empty parts
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && is_ascii_space(s[i])) ++i;
      std::size_t start = i;
      while (i < s.size() && !is_ascii_space(s[i])) ++i;
      if (i > start) {
        if (!c.charge(1)) return false;
        parts.push_back(json(s.substr(start, i - start)));
      }
    }
  } else {
    if (!c.arg(1).is_string()) return c.fail_argument(1, "a string");
    std::string_view sep = c.arg(1).as_string();
    if (sep.empty()) return c.fail(error_kind::value, "the separator must not be empty");
    std::size_t start = 0;
    for (;;) {
      if (!c.charge(1)) return false;
      std::size_t at = s.find(sep, start);
      if (at == std::string_view::npos) {
        parts.push_back(json(s.substr(start)));
        break;
      }
      parts.push_back(json(s.substr(start, at - start)));
      start = at + sep.size();
    }
  }
  c.out = parts.build();
  return true;
}

bool fn_range(call& c) {
  std::int64_t bounds[3] = {0, 0, 1};
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!integral_value(c.arg(i), bounds[i])) return c.fail_argument(i, "an integer");
  }
  std::int64_t start = c.count == 1 ? 0 : bounds[0];
  std::int64_t stop = c.count == 1 ? bounds[0] : bounds[1];
  std::int64_t step = c.count == 3 ? bounds[2] : 1;
  if (step == 0) return c.fail(error_kind::value, "the step must not be 0");
  __int128 span = static_cast<__int128>(stop) - start;
  __int128 count = 0;
  if (step > 0 && span > 0) count = (span + step - 1) / step;
  if (step < 0 && span < 0)
    count = (-span + (-static_cast<__int128>(step)) - 1) / -static_cast<__int128>(step);
  if (count > static_cast<__int128>(c.state.lim.max_range)) {
    return c.fail(error_kind::limit,
                  "more than " + std::to_string(c.state.lim.max_range) + " elements");
  }
  auto n = static_cast<std::size_t>(count);
  if (!c.charge(n)) return false;
  json::array_builder items(n);
  for (std::size_t i = 0; i < n; ++i) {
    items.push_back(static_cast<std::int64_t>(start + static_cast<__int128>(i) * step));
  }
  c.out = items.build();
  return true;
}

bool fn_min(call& c) {
  return extreme(c, op::lt);
}

bool fn_max(call& c) {
  return extreme(c, op::gt);
}

bool fn_sum(call& c) {
  const json& list = c.arg(0);
  if (!list.is_array()) return c.fail_argument(0, "an array");
  if (!c.charge(list.size())) return false;
  std::int64_t int_total = 0;
  double real_total = 0;
  bool is_real = false;
  for (const json& item : list.items()) {
    if (!item.is_number()) {
      return c.fail(error_kind::type, "cannot add " + type_name(item));
    }
    if (!is_real && item.is_int()) {
      if (__builtin_add_overflow(int_total, item.as_int(), &int_total)) {
        return c.fail(error_kind::value, "integer overflow");
      }
      continue;
    }
    if (!is_real) {
      is_real = true;
      real_total = static_cast<double>(int_total);
    }
    real_total += item.as_double();
  }
  if (is_real) {
    c.out = real_total;
  } else {
    c.out = int_total;
  }
  return true;
}

}  // namespace troupe::expr
