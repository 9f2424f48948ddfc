// Validation of a parsed INI file against the declared options: the checks
// CAF 0.17 skips (it silently drops unknown keys and mistyped values).
#pragma once

#include <caf/config_option_set.hpp>
#include <caf/settings.hpp>
#include <functional>
#include <string>
#include <vector>

#include "runtime/base/status.hpp"

namespace troupe {

// Returns the first problem in `raw` (as parsed from a file, before any
// option stored a value): a key that no option declares, or a value whose type
// the option rejects. Keys under a `dynamic` prefix are skipped (their owner
// validates them). `where(key)` names the place ("file:line") of a key.
status validate_settings(const caf::settings& raw, const caf::config_option_set& options,
                         const std::vector<std::string>& dynamic,
                         const std::function<std::string(const std::string&)>& where);

// Describes a config value for messages: `"abc"` (string), `12` (integer)...
std::string describe_value(const caf::config_value& value);

}  // namespace troupe
