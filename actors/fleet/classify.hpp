// classify: what one provider call's outcome means for the creation path.
//
// Input is what the provider's HTTP client saw: a transport error, or an HTTP
// status with its Retry-After header and, from a Kubernetes Status body, the
// reason, message and details.retryAfterSeconds. Output is one of four
// outcomes, a short reason that labels metrics and failure reports, and
// three flags:
//
//   throttled  the server asked us to slow down (429, or 503 with a
//              Retry-After): a signal for the concurrency controller, not a
//              sign of an unhealthy API (the circuit breaker ignores it).
//   uncertain  the create may have been applied although we saw a failure
//              (timeout, reset connection, 5xx). The caller must not assume
//              the runner is absent: it retries the create under the same
//              name (a 409 on a name troupe owns is then success), and before
//              it gives up it checks by name (GET) so that a runner the server
//              did create is tracked, never leaked or duplicated.
//   retry_after  the server's "not before", when it gave one: the Retry-After
//              header (seconds or HTTP-date) wins over the Status body's
//              details.retryAfterSeconds; an unparsable header is ignored.
//
// The table (reason label in quotes):
//   2xx                        created        "created"
//   409, name owned            already_exists "exists"      success, not a duplicate
//   409, name not owned        permanent      "name_taken"  someone else holds it
//   409, reason "Conflict"     retryable      "conflict"    optimistic-lock clash
//   408                        retryable      "timeout"
//   429                        retryable      "throttled"   throttled
//   5xx                        retryable      "server_error"  uncertain
//                                             (503 with Retry-After: throttled)
//   400, 422                   permanent      "invalid"
//   401                        permanent      "unauthorized"
//   403, quota in message      permanent      "quota_exceeded"
//   403                        permanent      "forbidden"
//   404                        permanent      "not_found"   resource path missing
//   other 4xx                  permanent      "rejected"
//   1xx, 3xx, 0                permanent      "unexpected_status"
//   transport timeout          retryable      "timeout"       uncertain
//   connection_refused         retryable      "connection"    (never sent)
//   connection_reset           retryable      "connection"    uncertain
//   dns                        retryable      "dns"           (never sent)
//   tls                        permanent      "tls"  a certificate or protocol
//                                             mismatch does not heal by retrying
//   other transport error      retryable      "transport"     uncertain
//
// Whether a 409'd name is troupe's is the caller's decision (the Status body
// of a 409 does not say who owns the object): it knows the names it persisted
// an intent for, or it GETs the object and checks the ownership labels.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "messages/fleet.hpp"

namespace troupe::fleet {

using troupe::transport_error;  // messages/fleet.hpp: it crosses in fleet_job_result

// What the client saw for one create call.
struct call_report {
  transport_error transport = transport_error::none;
  int http_status = 0;         // meaningful when transport == none
  std::string retry_after;     // Retry-After header value; empty if absent
  std::string status_reason;   // Kubernetes Status.reason, e.g. "AlreadyExists"
  std::string status_message;  // Kubernetes Status.message
  std::optional<int> status_retry_after_seconds;  // Status.details.retryAfterSeconds
  bool name_owned = false;  // for a 409: the name is one troupe owns
};

enum class call_outcome { created, already_exists, retryable, permanent };

struct classification {
  call_outcome outcome = call_outcome::permanent;
  std::string_view reason;  // a static label, e.g. "throttled"
  bool throttled = false;
  bool uncertain = false;
  std::optional<std::chrono::seconds> retry_after;

  // The runner exists (created now, or by an earlier try of ours).
  bool succeeded() const {
    return outcome == call_outcome::created || outcome == call_outcome::already_exists;
  }
  // A failure that says the API is unhealthy (down, overloaded, unreachable):
  // what the circuit breaker counts. Throttling and permanent errors are
  // answers from a working API and do not count.
  bool api_failure() const { return outcome == call_outcome::retryable && !throttled; }
};

// Classifies `report`. `now` (wall clock) resolves a Retry-After HTTP-date.
classification classify(const call_report& report,
                        std::chrono::system_clock::time_point now);

const char* to_string(call_outcome x);

}  // namespace troupe::fleet
