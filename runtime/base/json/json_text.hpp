// JSON text helpers shared by every writer of JSON in troupe (HTTP errors,
// logs, CLI output). The JSON value type itself lives in runtime/base/json/json.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace troupe {

// Appends `s` to `out` as a quoted JSON string (RFC 8259 escaping; bytes
// >= 0x80 are passed through, so valid UTF-8 stays valid).
void append_json_quoted(std::string& out, std::string_view s);

// Returns `s` as a quoted JSON string.
std::string json_quoted(std::string_view s);

// The value of hex digit `c` (0-15), or -1.
int hex_digit_value(char c);

// Appends code point `cp` (<= 0x10FFFF) to `out` as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace troupe
