#include "actors/fleet/classify.hpp"

#include "actors/fleet/retry_after.hpp"

namespace troupe::fleet {
namespace {

classification make(call_outcome outcome, std::string_view reason,
                    bool uncertain = false) {
  classification c;
  c.outcome = outcome;
  c.reason = reason;
  c.uncertain = uncertain;
  return c;
}

classification from_transport(transport_error e) {
  switch (e) {
    case transport_error::timeout:
      return make(call_outcome::retryable, "timeout", true);
    case transport_error::connection_refused:
      return make(call_outcome::retryable, "connection");
    case transport_error::connection_reset:
      return make(call_outcome::retryable, "connection", true);
    case transport_error::dns:
      return make(call_outcome::retryable, "dns");
    case transport_error::tls:
      return make(call_outcome::permanent, "tls");
    case transport_error::other:
    case transport_error::none:
      break;
  }
  return make(call_outcome::retryable, "transport", true);
}

bool mentions_quota(const call_report& r) {
  // Kubernetes: 'pods "x" is forbidden: exceeded quota: compute, requested: ...'.
  return r.status_message.find("quota") != std::string::npos;
}

classification from_status(const call_report& r) {
  const int s = r.http_status;
  if (s >= 200 && s < 300) return make(call_outcome::created, "created");
  if (s == 409) {
    if (r.status_reason == "Conflict") return make(call_outcome::retryable, "conflict");
    return r.name_owned ? make(call_outcome::already_exists, "exists")
                        : make(call_outcome::permanent, "name_taken");
  }
  if (s == 408) return make(call_outcome::retryable, "timeout");
  if (s == 429) {
    auto c = make(call_outcome::retryable, "throttled");
    c.throttled = true;
    return c;
  }
  if (s >= 500 && s < 600) return make(call_outcome::retryable, "server_error", true);
  switch (s) {
    case 400:
    case 422:
      return make(call_outcome::permanent, "invalid");
    case 401:
      return make(call_outcome::permanent, "unauthorized");
    case 403:
      return make(call_outcome::permanent,
                  mentions_quota(r) ? "quota_exceeded" : "forbidden");
    case 404:
      return make(call_outcome::permanent, "not_found");
    default:
      break;
  }
  if (s >= 400 && s < 500) return make(call_outcome::permanent, "rejected");
  return make(call_outcome::permanent, "unexpected_status");
}

std::optional<std::chrono::seconds> retry_after_of(
    const call_report& r, std::chrono::system_clock::time_point now) {
  if (!r.retry_after.empty()) {
    auto parsed = parse_retry_after(r.retry_after, now);
    if (parsed) return *parsed;
  }
  if (r.status_retry_after_seconds && *r.status_retry_after_seconds >= 0)
    return std::chrono::seconds(*r.status_retry_after_seconds);
  return std::nullopt;
}

}  // namespace

classification classify(const call_report& report,
                        std::chrono::system_clock::time_point now) {
  if (report.transport != transport_error::none) return from_transport(report.transport);
  classification c = from_status(report);
  if (c.outcome == call_outcome::retryable) c.retry_after = retry_after_of(report, now);
  if (report.http_status == 503 && c.retry_after) c.throttled = true;
  return c;
}

const char* to_string(call_outcome x) {
  switch (x) {
    case call_outcome::created:
      return "created";
    case call_outcome::already_exists:
      return "already_exists";
    case call_outcome::retryable:
      return "retryable";
    case call_outcome::permanent:
      return "permanent";
  }
  return "?";
}

}  // namespace troupe::fleet
