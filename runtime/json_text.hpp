// JSON text helpers shared by every writer of JSON in troupe (HTTP errors,
// logs, CLI output). The JSON value type itself lives in runtime/json.hpp.
#pragma once

#include <string>
#include <string_view>

namespace troupe {

// Appends `s` to `out` as a quoted JSON string (RFC 8259 escaping; bytes
// >= 0x80 are passed through, so valid UTF-8 stays valid).
void append_json_quoted(std::string& out, std::string_view s);

// Returns `s` as a quoted JSON string.
std::string json_quoted(std::string_view s);

}  // namespace troupe
