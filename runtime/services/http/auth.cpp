#include "runtime/services/http/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "runtime/services/http/request.hpp"

namespace troupe {

namespace {

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

}  // namespace

bearer_auth::bearer_auth(const std::string& token)
    : enabled_(!token.empty()), digest_(sha256(token)) {}

bearer_auth::outcome bearer_auth::check(
    const std::optional<std::string>& authorization) const {
  if (!enabled_) return outcome::ok;
  if (!authorization) return outcome::missing;
  std::string_view value = *authorization;
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() < scheme.size() || !iequals(value.substr(0, scheme.size()), scheme)) {
    return outcome::missing;
  }
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  const auto given = sha256(value);
  return CRYPTO_memcmp(given.data(), digest_.data(), digest_.size()) == 0
             ? outcome::ok
             : outcome::invalid;
}

}  // namespace troupe
