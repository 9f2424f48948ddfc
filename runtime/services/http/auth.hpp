// bearer_auth: checks "Authorization: Bearer <token>" against the node's API
// token without leaking the token through timing: both sides are hashed with
// SHA-256 and the digests compared with CRYPTO_memcmp, so neither the
// position of the first wrong byte nor the token's length shows in the time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace troupe {

class bearer_auth {
 public:
  enum class outcome {
    ok,       // credentials match, or no token is configured
    missing,  // no Authorization header, or not a Bearer one
    invalid,  // a Bearer token that does not match
  };

  // `token` empty means authentication is off: every check() is ok.
  explicit bearer_auth(const std::string& token);

  bool enabled() const { return enabled_; }

  // Checks the value of the Authorization header (nullopt when absent). The
  // scheme is matched case-insensitively, as RFC 7235 asks.
  outcome check(const std::optional<std::string>& authorization) const;

 private:
  bool enabled_;
  std::array<unsigned char, 32> digest_{};
};

}  // namespace troupe
