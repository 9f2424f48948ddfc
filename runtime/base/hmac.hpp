// Shared-secret helpers on OpenSSL: HMAC-SHA256 in hex, a comparison whose
// time does not depend on where the inputs differ, and random nonces.
#pragma once

#include <string>

namespace troupe {

// Lower-case hex HMAC-SHA256 of `data` under `secret`.
std::string hmac_sha256_hex(const std::string& secret, const std::string& data);

// True when `a` equals `b`; CRYPTO_memcmp, so the time depends on the
// lengths only.
bool equal_constant_time(const std::string& a, const std::string& b);

// `bytes` random bytes (RAND_bytes) in hex.
std::string random_hex(std::size_t bytes);

}  // namespace troupe
