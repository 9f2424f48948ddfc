// bearer_auth: the node's API tokens, and the check of a request's
// "Authorization: Bearer <token>" against what its route needs.
//
// Every route names the access it needs (http_access): open (no token:
// health checks, webhooks with their own HMAC), read (GET routes, /metrics,
// the dashboard), operate (what changes state: scaling, runs, bench
// submissions) or admin. A token has one scope and serves every route that
// needs that scope or less (read < operate < admin). Tokens have names; logs
// and errors show the name, never the token.
//
// No token configured: authentication is off and every check passes (the
// server allows that only on a loopback address). Timing: the given token
// and every configured one are hashed with SHA-256 and the digests compared
// with CRYPTO_memcmp, all of them, so neither the position of a first wrong
// byte, nor a token's length, nor which token matched shows in the time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

enum class http_access { open, read, operate, admin };

// "open", "read", "operate", "admin".
std::string_view to_string(http_access access);

// A token's scope by name: read, operate or admin (open is no scope).
std::optional<http_access> parse_scope(std::string_view name);

struct api_token {
  std::string name;  // shown in logs and errors
  http_access scope = http_access::admin;
  std::string secret;
};

class bearer_auth {
 public:
  enum class outcome {
    ok,         // the route is open, auth is off, or the token's scope suffices
    missing,    // no Authorization header, or not a Bearer one (401)
    invalid,    // a Bearer token that matches none (401)
    forbidden,  // a valid token whose scope is below the route's (403)
  };

  struct verdict {
    outcome result = outcome::ok;
    std::string token;  // the matching token's name (empty: none matched)
    http_access scope = http_access::open;  // its scope
  };

  explicit bearer_auth(const std::vector<api_token>& tokens);

  bool enabled() const { return !tokens_.empty(); }

  // Checks the value of the Authorization header (nullopt when absent) for
  // a route that needs `needed`. The scheme is matched case-insensitively,
  // as RFC 7235 asks.
  verdict check(const std::optional<std::string>& authorization,
                http_access needed) const;

 private:
  struct entry {
    std::string name;
    http_access scope;
    std::array<unsigned char, 32> digest;
  };
  std::vector<entry> tokens_;
};

}  // namespace troupe
