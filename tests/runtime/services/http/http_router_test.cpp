#define BOOST_TEST_MODULE http_router
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/services/http/router.hpp"

namespace {

using troupe::http_request;
using troupe::http_responder;

void noop(const http_request&, http_responder) {}

}  // namespace

BOOST_AUTO_TEST_CASE(router_prefers_literals_and_collects_allowed_methods) {
  troupe::http_router router;
  router.add("GET", "/pools/{pool}/runners/{runner}", noop, troupe::http_access::open);
  router.add("GET", "/pools/{pool}/runners/idle", noop, troupe::http_access::open);
  router.add("GET", "/pools/default/runners/{runner}", noop, troupe::http_access::open);
  router.add("DELETE", "/pools/{pool}", noop, troupe::http_access::read);
  router.add("PUT", "/pools/{pool}", noop, troupe::http_access::read);
  auto m = router.find("GET", "/pools/default/runners/idle");
  BOOST_REQUIRE(m.found != nullptr);
  BOOST_TEST(m.found->pattern ==
             "/pools/default/runners/{runner}");  // leftmost literal wins
  m = router.find("GET", "/pools/a/runners/idle");
  BOOST_REQUIRE(m.found != nullptr);
  BOOST_TEST(m.found->pattern == "/pools/{pool}/runners/idle");
  m = router.find("GET", "/pools/a/runners/r%2F1");
  BOOST_REQUIRE(m.found != nullptr);
  BOOST_TEST(m.params["pool"] == "a");
  BOOST_TEST(m.params["runner"] == "r%2F1");  // raw: the server decodes
  m = router.find("GET", "/pools/a");
  BOOST_TEST(m.found == nullptr);
  BOOST_TEST((m.allowed == std::vector<std::string>{"DELETE", "PUT"}));
  m = router.find("GET", "/pools//runners/x");  // {name} needs a non-empty segment
  BOOST_TEST(m.found == nullptr);
  BOOST_TEST(m.allowed.empty());
  BOOST_TEST(router.find("GET", "/pools/a/").allowed.empty());  // trailing slash differs
}

BOOST_AUTO_TEST_CASE(rejects_malformed_and_duplicate_routes) {
  troupe::http_router router;
  router.add("GET", "/a/{x}", noop, troupe::http_access::open);
  BOOST_CHECK_THROW(router.add("GET", "/a/{y}", noop, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "relative", noop, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/b/{x", noop, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/b/{}", noop, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/b/x{y}", noop, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/b/{x}/{x}", noop, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(router.add("GET", "/c", nullptr, troupe::http_access::open),
                    std::invalid_argument);
  router.add("POST", "/a/{x}", noop,
             troupe::http_access::open);  // another method is fine
  BOOST_TEST(
      (troupe::split_path("/a/b/") == std::vector<std::string_view>{"a", "b", ""}));
  BOOST_TEST((troupe::split_path("/") == std::vector<std::string_view>{""}));
}
