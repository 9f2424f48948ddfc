// github_webhooks: POST /webhooks/github, shared by the subsystems that take
// GitHub events (fleet: workflow_job, bench: push).
//
// - X-Hub-Signature-256 must be "sha256=" + hex HMAC-SHA256(secret, body),
//   compared in constant time; missing or wrong → 401. Without a configured
//   secret (`[webhooks] github-secret-file`) the endpoint answers 503.
// - X-GitHub-Delivery de-duplicates: a delivery id seen before is answered 200
//   {"duplicate":true} without calling any handler. Ids are kept in the store
//   (table webhook_deliveries) so a restart remembers them; a delivery its
//   handler answered with 5xx is forgotten, so GitHub's redelivery counts.
//   The newest `remember` ids are kept; beyond that the oldest is forgotten.
// - X-GitHub-Event selects the handler; "ping" answers 200; events nobody
//   handles answer 202 {"ignored": ...}.
// - The body must be a JSON object (400 otherwise); handlers get it parsed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/base/json/json.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe {

class store;

class github_webhooks {
 public:
  // Answers a delivery; the responder as for any HTTP handler.
  using handler = std::function<void(const json& payload, const std::string& delivery,
                                     http_responder respond)>;

  // `db` may be null (no persistence of delivery ids).
  github_webhooks(std::string secret, store* db, std::size_t remember = 100000);

  // Loads the delivery ids already seen (blocking; call at start-up).
  void load_seen();

  // Registers the handler of one event type; call before serving.
  void on(const std::string& event, handler h);

  // Adds the route POST /webhooks/github.
  void add_route(http_server& server);

  // "sha256=<hex>" of `body` under `secret`.
  static std::string signature(const std::string& secret, const std::string& body);

  // The store migration of webhook_deliveries.
  static migration table();

 private:
  void handle(const http_request& req, http_responder respond);
  // True the first time `delivery` is seen.
  bool first_delivery(const std::string& delivery, const std::string& event);
  void forget_delivery(const std::string& delivery);

  std::string secret_;
  store* db_;
  std::map<std::string, handler> handlers_;
  std::mutex mu_;
  // Guarded by mu_: the ids remembered, each with its arrival number, and the
  // same by arrival (oldest first), so the oldest is the one forgotten.
  const std::size_t remember_;
  std::uint64_t arrivals_ = 0;
  std::map<std::string, std::uint64_t> seen_;
  std::map<std::uint64_t, std::string> by_arrival_;
  // Remembers `delivery` as the newest; false if it was known.
  bool remember(const std::string& delivery);
};

}  // namespace troupe
