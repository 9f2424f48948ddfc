#include "runtime/services/github/github_webhooks.hpp"

#include <spdlog/spdlog.h>

#include "runtime/base/hmac.hpp"
#include "runtime/base/json/json_text.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe {

github_webhooks::github_webhooks(std::string secret, store* db, std::size_t remember)
    : secret_(std::move(secret)), db_(db), remember_(remember) {}

bool github_webhooks::remember(const std::string& delivery) {
  auto [at, fresh] = seen_.emplace(delivery, ++arrivals_);
  if (!fresh) return false;
  by_arrival_.emplace(at->second, delivery);
  while (seen_.size() > remember_) {
    auto oldest = by_arrival_.begin();
    seen_.erase(oldest->second);
    by_arrival_.erase(oldest);
  }
  return true;
}

migration github_webhooks::table() {
  return {2, "webhook_deliveries",
          "CREATE TABLE webhook_deliveries ("
          "  delivery TEXT PRIMARY KEY,"
          "  event TEXT NOT NULL,"
          "  received_ms INTEGER NOT NULL)"};
}

void github_webhooks::load_seen() {
  if (db_ == nullptr) return;
  auto rows = db_->query_now(
      {"SELECT delivery FROM webhook_deliveries ORDER BY received_ms DESC LIMIT ?",
       {static_cast<std::int64_t>(remember_)}});
  if (!rows) {
    spdlog::warn("webhooks: cannot load seen deliveries: {}", rows.error().message());
    return;
  }
  std::lock_guard<std::mutex> guard{mu_};
  for (auto row = rows->rbegin(); row != rows->rend(); ++row)  // oldest first
    if (auto* s = std::get_if<std::string>(&row->at(0))) remember(*s);
}

void github_webhooks::on(const std::string& event, handler h) {
  handlers_[event] = std::move(h);
}

std::string github_webhooks::signature(const std::string& secret,
                                       const std::string& body) {
  return "sha256=" + hmac_sha256_hex(secret, body);
}

bool github_webhooks::first_delivery(const std::string& delivery,
                                     const std::string& event) {
  {
    std::lock_guard<std::mutex> guard{mu_};
    if (!remember(delivery)) return false;
  }
  if (db_ != nullptr) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    db_->write(
        {"INSERT OR IGNORE INTO webhook_deliveries(delivery, event, received_ms) VALUES "
         "(?, ?, ?)",
         {delivery, event, std::int64_t{now}}});
  }
  return true;
}

void github_webhooks::add_route(http_server& server) {
  server.route(
      "POST", "/webhooks/github",
      [this](const http_request& req, http_responder respond) {
        handle(req, std::move(respond));
      },
      http_access::open);
}

void github_webhooks::handle(const http_request& req, http_responder respond) {
  if (secret_.empty())
    return respond(
        json_error(503, "webhooks_disabled",
                   "no webhook secret configured ([webhooks] github-secret-file)"));
  auto given = req.header("X-Hub-Signature-256").value_or("");
  auto expected = signature(secret_, req.body);
  if (!equal_constant_time(given, expected))
    return respond(json_error(401, "bad_signature",
                              given.empty()
                                  ? "X-Hub-Signature-256 is missing"
                                  : "X-Hub-Signature-256 does not match the body"));
  auto event = req.header("X-GitHub-Event").value_or("");
  auto delivery = req.header("X-GitHub-Delivery").value_or("");
  if (event.empty() || delivery.empty())
    return respond(json_error(400, "bad_request",
                              "X-GitHub-Event and X-GitHub-Delivery are required"));
  auto payload = json::parse(req.body, "webhook " + delivery);
  if (!payload) return respond(json_error(400, "bad_json", payload.error().message()));
  if (!payload->is_object())
    return respond(json_error(400, "bad_json", "the payload must be a JSON object"));
  if (event == "ping") return respond(json_response(R"({"pong":true})"));
  auto h = handlers_.find(event);
  if (h == handlers_.end())
    return respond(json_response("{\"ignored\":" + json_quoted(event) + "}", 202));
  if (!first_delivery(delivery, event))
    return respond(
        json_response("{\"duplicate\":true,\"delivery\":" + json_quoted(delivery) + "}"));
  // A delivery the handler could not take (5xx) is forgotten again, so that
  // GitHub's redelivery under the same id is processed, not dropped as a duplicate.
  auto answer = [this, delivery, respond = std::move(respond)](http_response r) {
    if (r.status >= 500) forget_delivery(delivery);
    respond(std::move(r));
  };
  h->second(*payload, delivery, std::move(answer));
}

void github_webhooks::forget_delivery(const std::string& delivery) {
  {
    std::lock_guard<std::mutex> guard{mu_};
    if (auto i = seen_.find(delivery); i != seen_.end()) {
      by_arrival_.erase(i->second);
      seen_.erase(i);
    }
  }
  if (db_ != nullptr)
    db_->write({"DELETE FROM webhook_deliveries WHERE delivery = ?", {delivery}});
}

}  // namespace troupe
