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

std::string_view to_string(http_access access) {
  switch (access) {
    case http_access::open:
      return "open";
    case http_access::read:
      return "read";
    case http_access::operate:
      return "operate";
    case http_access::admin:
      return "admin";
  }
  return "?";
}

std::optional<http_access> parse_scope(std::string_view name) {
  for (auto scope : {http_access::read, http_access::operate, http_access::admin})
    if (name == to_string(scope)) return scope;
  return std::nullopt;
}

bearer_auth::bearer_auth(const std::vector<api_token>& tokens) {
  for (auto& t : tokens) tokens_.push_back({t.name, t.scope, sha256(t.secret)});
}

bearer_auth::verdict bearer_auth::check(const std::optional<std::string>& authorization,
                                        http_access needed) const {
  verdict out;
  if (!enabled() || needed == http_access::open) return out;
  out.result = outcome::missing;
  if (!authorization) return out;
  std::string_view value = *authorization;
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() < scheme.size() || !iequals(value.substr(0, scheme.size()), scheme))
    return out;
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  const auto given = sha256(value);
  const entry* match = nullptr;
  for (auto& t : tokens_)  // every one: the time does not tell which matched
    if (CRYPTO_memcmp(given.data(), t.digest.data(), t.digest.size()) == 0) match = &t;
  if (match == nullptr) {
    out.result = outcome::invalid;
    return out;
  }
  out.token = match->name;
  out.scope = match->scope;
  out.result = match->scope >= needed ? outcome::ok : outcome::forbidden;
  return out;
}

}  // namespace troupe
