// diagnostic: what went wrong in a template and where. The engine's public
// calls return troupe::status values whose text is describe()'s output,
// "unexpected ')' at column 13 in \"{{ length(x)) }}\"", so that callers
// (workflow validation) only prefix the place: "$.tasks.check.input: ...".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace troupe::expr {

enum class error_kind : std::uint8_t {
  syntax,     // the template does not compile
  undefined,  // a name, member or element that does not exist (default() catches it)
  type,       // an operand or argument of the wrong type
  value,      // the right type but a bad value (division by zero, bad JSON text)
  limit,      // one of expr::limits was exceeded
};

struct diagnostic {
  error_kind kind = error_kind::syntax;
  std::string message;     // "unexpected ')'", "'parameters.x' is undefined"
  std::size_t offset = 0;  // byte offset in the template text the message points at
};

// The 1-based column of byte `offset` in `text`, counting UTF-8 code points
// (an offset past the end counts as the end).
std::size_t column_of(std::string_view text, std::size_t offset);

// "<message> at column <N> in \"<text>\"". The text is JSON-quoted; a text
// longer than 160 bytes is shown as an excerpt around the column, marked with
// "...", while the column still counts from the start of the whole text.
std::string describe(const diagnostic& d, std::string_view text);

}  // namespace troupe::expr
