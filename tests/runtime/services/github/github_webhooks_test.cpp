// github_webhooks on a real HTTP server: signatures, de-duplication of
// delivery ids, and which id is forgotten when more arrive than it remembers
// (the oldest, not the alphabetically smallest).
#define BOOST_TEST_MODULE github_webhooks
#include "runtime/services/github/github_webhooks.hpp"

#include <atomic>
#include <boost/test/unit_test.hpp>

#include "runtime/services/http/server.hpp"
#include "tests/support/http_client.hpp"

using namespace troupe;
using namespace troupe::testing;

namespace {

const std::string secret = "webhook-secret-0123456789";
const std::string body = R"({"action":"queued"})";

http_options loopback() {
  http_options o;
  o.listen = "127.0.0.1:0";
  return o;
}

struct hooks_on_a_server {
  explicit hooks_on_a_server(std::size_t remember) : hooks(secret, nullptr, remember) {
    hooks.on("workflow_job",
             [this](const json&, const std::string&, http_responder respond) {
               ++handled;
               respond(json_response(R"({"handled":true})", 202));
             });
    hooks.add_route(server);
    address = *server.start();
  }

  // POSTs the event with delivery id `id`; the status.
  int deliver(const std::string& id) {
    return http_once(address, "POST", "/webhooks/github", body,
                     {{"X-GitHub-Event", "workflow_job"},
                      {"X-GitHub-Delivery", id},
                      {"X-Hub-Signature-256", github_webhooks::signature(secret, body)}})
        .status;
  }

  http_server server{loopback()};
  github_webhooks hooks;
  std::atomic<int> handled{0};
  std::string address;
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_delivery_is_handled_once_and_a_bad_signature_never) {
  hooks_on_a_server s(10);
  BOOST_CHECK_EQUAL(s.deliver("d-1"), 202);
  BOOST_CHECK_EQUAL(s.deliver("d-1"), 200);  // a duplicate
  auto forged = http_once(s.address, "POST", "/webhooks/github", body,
                          {{"X-GitHub-Event", "workflow_job"},
                           {"X-GitHub-Delivery", "d-2"},
                           {"X-Hub-Signature-256", "sha256=00"}});
  BOOST_CHECK_EQUAL(forged.status, 401);
  BOOST_CHECK_EQUAL(s.handled.load(), 1);
}

BOOST_AUTO_TEST_CASE(beyond_what_it_remembers_the_oldest_delivery_is_forgotten) {
  hooks_on_a_server s(2);
  BOOST_CHECK_EQUAL(s.deliver("b"), 202);
  BOOST_CHECK_EQUAL(s.deliver("a"), 202);
  BOOST_CHECK_EQUAL(s.deliver("c"), 202);  // forgets b, the oldest
  BOOST_CHECK_EQUAL(s.deliver("a"), 200);  // still remembered: a duplicate
  BOOST_CHECK_EQUAL(s.deliver("c"), 200);
  BOOST_CHECK_EQUAL(s.deliver("b"), 202);  // forgotten: handled again
  BOOST_CHECK_EQUAL(s.handled.load(), 4);
}
