// secret_file: the one way troupe reads a secret (an API token, a webhook or
// cluster secret, a Kubernetes bearer token) from the file that holds it.
//
// The file holds the secret on one line; surrounding whitespace (a trailing
// newline, spaces) is dropped. Refused, with an error naming `what` (the
// INI key or the option that named the file) and the path: a file that
// cannot be read, one larger than 64 KiB, an empty secret, a secret on more
// than one line (a second line is a mistake, never silently dropped), and
// one shorter than `min_length` characters. The secret itself never appears
// in an error. Blocking (a small file read): call at start-up, not from an
// event-based actor.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "runtime/base/status.hpp"

namespace troupe {

result<std::string> read_secret_file(const std::string& path, std::string_view what,
                                     std::size_t min_length = 1);

// The whole text of a file of secrets (several lines, e.g. [http]
// token-file), with the same rules but for the line count and length: a
// readable file of at most 64 KiB, not empty once surrounding whitespace is
// dropped. Errors name the path and `what`.
result<std::string> read_secrets_text(const std::string& path, std::string_view what);

}  // namespace troupe
