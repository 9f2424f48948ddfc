// classify: the whole table, status by status and transport error by
// transport error, with the flags that matter (throttled, uncertain,
// retry_after) and the reason labels used in metrics.
#define BOOST_TEST_MODULE classify_test
#include "actors/fleet/classify.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using sys = std::chrono::system_clock;

namespace {

const sys::time_point kNow =
    sys::time_point(784111777s);  // Sun, 06 Nov 1994 08:49:37 GMT

classification status(int code, std::string reason = "", std::string message = "",
                      bool owned = false) {
  call_report r;
  r.http_status = code;
  r.status_reason = std::move(reason);
  r.status_message = std::move(message);
  r.name_owned = owned;
  return classify(r, kNow);
}

classification transport(transport_error e) {
  call_report r;
  r.transport = e;
  r.http_status = 201;  // ignored: no answer arrived
  return classify(r, kNow);
}

void expect(const classification& c, call_outcome outcome, const std::string& reason,
            bool throttled = false, bool uncertain = false) {
  BOOST_TEST(to_string(c.outcome) == to_string(outcome));
  BOOST_TEST(std::string(c.reason) == reason);
  BOOST_TEST(c.throttled == throttled);
  BOOST_TEST(c.uncertain == uncertain);
}

}  // namespace

BOOST_AUTO_TEST_CASE(success_statuses) {
  for (int code : {200, 201, 202}) expect(status(code), call_outcome::created, "created");
  BOOST_TEST(status(201).succeeded());
  BOOST_TEST(!status(201).api_failure());
}

BOOST_AUTO_TEST_CASE(conflict_on_an_owned_name_is_success) {
  auto c = status(409, "AlreadyExists", "pods \"r-1-0\" already exists", true);
  expect(c, call_outcome::already_exists, "exists");
  BOOST_TEST(c.succeeded());
  // The same 409 on a name troupe does not own: a permanent failure.
  auto foreign = status(409, "AlreadyExists", "", false);
  expect(foreign, call_outcome::permanent, "name_taken");
  BOOST_TEST(!foreign.succeeded());
  // An optimistic-lock conflict is worth another try.
  expect(status(409, "Conflict"), call_outcome::retryable, "conflict");
}

BOOST_AUTO_TEST_CASE(throttling) {
  call_report r;
  r.http_status = 429;
  r.retry_after = "3";
  auto c = classify(r, kNow);
  expect(c, call_outcome::retryable, "throttled", true);
  BOOST_REQUIRE(c.retry_after.has_value());
  BOOST_TEST(c.retry_after->count() == 3);
  BOOST_TEST(!c.api_failure());  // the breaker leaves throttling to the controller
  // HTTP-date form.
  r.retry_after = "Sun, 06 Nov 1994 08:50:07 GMT";
  BOOST_TEST(classify(r, kNow).retry_after->count() == 30);
  // Without a header, the Status body's details.retryAfterSeconds.
  r.retry_after.clear();
  r.status_retry_after_seconds = 5;
  BOOST_TEST(classify(r, kNow).retry_after->count() == 5);
  // The header wins over the body.
  r.retry_after = "2";
  BOOST_TEST(classify(r, kNow).retry_after->count() == 2);
  // An unparsable header is ignored (the body still counts); none at all is
  // still retryable.
  r.retry_after = "later";
  BOOST_TEST(classify(r, kNow).retry_after->count() == 5);
  r.status_retry_after_seconds.reset();
  auto bare = classify(r, kNow);
  expect(bare, call_outcome::retryable, "throttled", true);
  BOOST_TEST(!bare.retry_after.has_value());
}

BOOST_AUTO_TEST_CASE(server_errors_are_retryable_and_uncertain) {
  for (int code : {500, 502, 503, 504, 599}) {
    auto c = status(code);
    expect(c, call_outcome::retryable, "server_error", false, true);
    BOOST_TEST(c.api_failure());
  }
  // 503 with a Retry-After is the server asking us to slow down.
  call_report r;
  r.http_status = 503;
  r.retry_after = "10";
  auto c = classify(r, kNow);
  expect(c, call_outcome::retryable, "server_error", true, true);
  BOOST_TEST(c.retry_after->count() == 10);
  BOOST_TEST(!c.api_failure());
  // A 500 with ServerTimeout and retryAfterSeconds in its body.
  r = {};
  r.http_status = 500;
  r.status_reason = "ServerTimeout";
  r.status_retry_after_seconds = 1;
  BOOST_TEST(classify(r, kNow).retry_after->count() == 1);
  BOOST_TEST(!classify(r, kNow).throttled);
}

BOOST_AUTO_TEST_CASE(permanent_client_errors) {
  expect(status(400, "BadRequest"), call_outcome::permanent, "invalid");
  expect(status(422, "Invalid"), call_outcome::permanent, "invalid");
  expect(status(401, "Unauthorized"), call_outcome::permanent, "unauthorized");
  expect(
      status(403, "Forbidden",
             "pods \"r-1-0\" is forbidden: exceeded quota: compute, requested: pods=1"),
      call_outcome::permanent, "quota_exceeded");
  expect(status(403, "Forbidden", "User \"x\" cannot create resource \"pods\""),
         call_outcome::permanent, "forbidden");
  expect(status(404, "NotFound"), call_outcome::permanent, "not_found");
  for (int code : {405, 406, 410, 413, 415})
    expect(status(code), call_outcome::permanent, "rejected");
  expect(status(408), call_outcome::retryable, "timeout");
  for (int code : {400, 401, 403, 404, 422}) BOOST_TEST(!status(code).api_failure());
  // Retry-After is only reported where a retry is possible.
  call_report r;
  r.http_status = 422;
  r.retry_after = "5";
  BOOST_TEST(!classify(r, kNow).retry_after.has_value());
}

BOOST_AUTO_TEST_CASE(unexpected_statuses) {
  for (int code : {0, 100, 301, 304, 700})
    expect(status(code), call_outcome::permanent, "unexpected_status");
}

BOOST_AUTO_TEST_CASE(transport_errors) {
  expect(transport(transport_error::timeout), call_outcome::retryable, "timeout", false,
         true);
  expect(transport(transport_error::connection_refused), call_outcome::retryable,
         "connection");
  expect(transport(transport_error::connection_reset), call_outcome::retryable,
         "connection", false, true);
  expect(transport(transport_error::dns), call_outcome::retryable, "dns");
  expect(transport(transport_error::tls), call_outcome::permanent, "tls");
  expect(transport(transport_error::other), call_outcome::retryable, "transport", false,
         true);
  BOOST_TEST(transport(transport_error::timeout).api_failure());
  BOOST_TEST(!transport(transport_error::tls).api_failure());
}

BOOST_AUTO_TEST_CASE(timeout_then_conflict_is_one_runner) {
  // The subtle case: a create times out although the server made the
  // object. The timeout is uncertain (check before giving up); the retry
  // under the same name gets 409, which for an owned name is success.
  auto first = transport(transport_error::timeout);
  BOOST_TEST(first.uncertain);
  BOOST_TEST(!first.succeeded());
  auto retry = status(409, "AlreadyExists", "", true);
  BOOST_TEST(retry.succeeded());
  BOOST_TEST(to_string(retry.outcome) == std::string("already_exists"));
}

BOOST_AUTO_TEST_CASE(names) {
  BOOST_TEST(to_string(call_outcome::created) == std::string("created"));
  BOOST_TEST(to_string(call_outcome::permanent) == std::string("permanent"));
  BOOST_TEST(to_string(transport_error::connection_refused) ==
             std::string("connection_refused"));
}
