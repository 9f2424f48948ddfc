#define BOOST_TEST_MODULE http_auth
#include <boost/test/unit_test.hpp>

#include "runtime/services/http/auth.hpp"

using troupe::bearer_auth;
using outcome = troupe::bearer_auth::outcome;

BOOST_AUTO_TEST_CASE(empty_token_disables_authentication) {
  bearer_auth auth("");
  BOOST_TEST(!auth.enabled());
  BOOST_TEST((auth.check(std::nullopt) == outcome::ok));
  BOOST_TEST((auth.check(std::string("Bearer anything")) == outcome::ok));
}

BOOST_AUTO_TEST_CASE(checks_bearer_tokens) {
  bearer_auth auth("s3cret");
  BOOST_TEST(auth.enabled());
  BOOST_TEST((auth.check(std::nullopt) == outcome::missing));
  BOOST_TEST((auth.check(std::string("")) == outcome::missing));
  BOOST_TEST((auth.check(std::string("Basic czNjcmV0")) == outcome::missing));
  BOOST_TEST((auth.check(std::string("Bearer")) == outcome::missing));
  BOOST_TEST((auth.check(std::string("Bearer s3cret")) == outcome::ok));
  BOOST_TEST((auth.check(std::string("bearer s3cret")) == outcome::ok));
  BOOST_TEST((auth.check(std::string("BEARER  s3cret ")) == outcome::ok));
  BOOST_TEST((auth.check(std::string("Bearer s3cre")) == outcome::invalid));
  BOOST_TEST((auth.check(std::string("Bearer s3cret2")) == outcome::invalid));
  BOOST_TEST((auth.check(std::string("Bearer ")) == outcome::invalid));
}
