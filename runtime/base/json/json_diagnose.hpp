// Locating JSON errors (internal to runtime/base/json/json_parse.cpp). simdjson says
// *that* a document is invalid but not *where*; when it (or troupe's own
// checks: duplicate keys, depth) rejects a document, this careful but slow
// checker walks the text again to find the first problem and describe it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace troupe::detail {

struct json_syntax_error {
  std::size_t offset = 0;  // byte offset of the offending character
  std::string message;     // e.g. "expected ',' or '}' after an object member, found ']'"
};

// Checks `text` against RFC 8259 and troupe's rules (no duplicate keys, at
// most `max_depth` nested containers, integers within int64/uint64, doubles
// within ±DBL_MAX) and returns the first violation, or nullopt.
std::optional<json_syntax_error> find_json_error(std::string_view text,
                                                 std::size_t max_depth);

// "source:line:column: message (byte offset)". Lines and columns count from
// 1; columns count characters (UTF-8 code points). An empty source reads
// "<input>".
std::string json_error_message(std::string_view source, std::string_view text,
                               std::size_t offset, std::string_view message);

}  // namespace troupe::detail
