// yaml_scalar: the type of a plain (unquoted, untagged) YAML scalar, by the
// YAML 1.2 core schema with JSON's limits:
//
//   null      (empty), ~, null, Null, NULL
//   boolean   true, True, TRUE, false, False, FALSE
//   integer   [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+ — within int64
//   number    [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? — finite
//   string    anything else, as written
//
// So `yes`, `no`, `on`, `off`, `y`, `n` (booleans in YAML 1.1) are strings,
// and so are `1_000`, `0b101`, `12:30` and `2026-01-01`. `.inf`, `-.inf` and
// `.nan` (floats in the core schema) and integers beyond int64 are errors:
// JSON has no such numbers, and a definition must read the same in both
// forms. Quoted and block scalars are strings whatever they hold; that is
// yaml_read's business, not this function's.
#pragma once

#include <string_view>

#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe {

// The value of the plain scalar `text`; an error (without a place: the
// caller knows it) for the numbers JSON cannot hold.
result<json> yaml_plain_scalar(std::string_view text);

}  // namespace troupe
