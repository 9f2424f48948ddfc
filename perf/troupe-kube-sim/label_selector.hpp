// Equality-based Kubernetes label selectors, as in ?labelSelector=...:
//   "a=x,b==y,c!=z,d,!e"   (a is x, b is y, c is not z or absent, d exists,
//                           e does not exist); all requirements must hold.
// Set-based forms ("a in (x,y)") are refused with an error (the API's 400).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::kube_sim {

struct label_requirement {
  enum class op { equals, not_equals, exists, not_exists };
  std::string key;
  op kind = op::equals;
  std::string value;
};

using label_selector = std::vector<label_requirement>;

// Parses `text`; the empty selector matches everything.
result<label_selector> parse_label_selector(std::string_view text);

// True when `labels` (a JSON object of strings, or null) satisfies `selector`.
bool selector_matches(const label_selector& selector, const json& labels);

}  // namespace troupe::kube_sim
