// api_tokens: the file of [http] token-file, the node's API tokens.
//
// One token per line: "<name> <scope> <token>", scope read, operate or
// admin (auth.hpp says what each may do). Blank lines and lines starting
// with ';' or '#' are skipped. Names ([A-Za-z0-9._-]) and tokens (at least
// 16 characters, no spaces) are unique. A file holding one bare token (the
// format before scopes) is that token, named "default", with scope admin.
//
//   ; who          scope    token
//   grafana        read     3c1f0d6e2b9a4c87a1d2e3f4
//   ci             operate  9b8a7c6d5e4f3a2b1c0d9e8f
//   ops            admin    f0e1d2c3b4a5968778695a4b
//
// Errors name the file and line, never a token.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/http/auth.hpp"

namespace troupe {

// Parses the text of a token file; `source` names it in errors.
result<std::vector<api_token>> parse_api_tokens(std::string_view text,
                                                std::string_view source);

// Reads and parses the token file at `path` (`what`: the key that named it).
result<std::vector<api_token>> read_api_tokens(const std::string& path,
                                               std::string_view what);

}  // namespace troupe
