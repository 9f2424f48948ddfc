// bearer_auth: the Authorization header against the node's tokens and the
// access a route needs (scopes: read < operate < admin).
#define BOOST_TEST_MODULE http_auth
#include <boost/test/unit_test.hpp>

#include "runtime/services/http/auth.hpp"

using troupe::api_token;
using troupe::bearer_auth;
using troupe::http_access;
using outcome = troupe::bearer_auth::outcome;

namespace {

outcome check(const bearer_auth& auth, std::optional<std::string> header,
              http_access needed = http_access::read) {
  return auth.check(header, needed).result;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_tokens_disables_authentication) {
  bearer_auth auth({});
  BOOST_TEST(!auth.enabled());
  BOOST_TEST((check(auth, std::nullopt, http_access::admin) == outcome::ok));
  BOOST_TEST((check(auth, std::string("Bearer anything")) == outcome::ok));
}

BOOST_AUTO_TEST_CASE(checks_bearer_tokens) {
  bearer_auth auth({{"default", http_access::admin, "s3cret"}});
  BOOST_TEST(auth.enabled());
  BOOST_TEST((check(auth, std::nullopt) == outcome::missing));
  BOOST_TEST((check(auth, std::string("")) == outcome::missing));
  BOOST_TEST((check(auth, std::string("Basic czNjcmV0")) == outcome::missing));
  BOOST_TEST((check(auth, std::string("Bearer")) == outcome::missing));
  BOOST_TEST((check(auth, std::string("Bearer s3cret")) == outcome::ok));
  BOOST_TEST((check(auth, std::string("bearer s3cret")) == outcome::ok));
  BOOST_TEST((check(auth, std::string("BEARER  s3cret ")) == outcome::ok));
  BOOST_TEST((check(auth, std::string("Bearer s3cre")) == outcome::invalid));
  BOOST_TEST((check(auth, std::string("Bearer s3cret2")) == outcome::invalid));
  BOOST_TEST((check(auth, std::string("Bearer ")) == outcome::invalid));
  // Open routes need nothing, even a wrong token passes them.
  BOOST_TEST((check(auth, std::nullopt, http_access::open) == outcome::ok));
}

BOOST_AUTO_TEST_CASE(a_scope_serves_its_routes_and_those_below) {
  bearer_auth auth({{"viewer", http_access::read, "r-token"},
                    {"ci", http_access::operate, "o-token"},
                    {"ops", http_access::admin, "a-token"}});
  const std::string r = "Bearer r-token", o = "Bearer o-token", a = "Bearer a-token";
  BOOST_TEST((check(auth, r, http_access::read) == outcome::ok));
  BOOST_TEST((check(auth, r, http_access::operate) == outcome::forbidden));
  BOOST_TEST((check(auth, r, http_access::admin) == outcome::forbidden));
  BOOST_TEST((check(auth, o, http_access::read) == outcome::ok));
  BOOST_TEST((check(auth, o, http_access::operate) == outcome::ok));
  BOOST_TEST((check(auth, o, http_access::admin) == outcome::forbidden));
  for (auto needed : {http_access::read, http_access::operate, http_access::admin})
    BOOST_TEST((check(auth, a, needed) == outcome::ok));
  auto verdict = auth.check(r, http_access::operate);
  BOOST_TEST(verdict.token == "viewer");
  BOOST_TEST((verdict.scope == http_access::read));
  BOOST_TEST(auth.check(std::string("Bearer nope"), http_access::read).token.empty());
}
