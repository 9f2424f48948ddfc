// connection's request dispatch: from a parsed request to a response, either
// answered by the server (404, 405, 401, 429, 503, 400) or by a route handler
// through a responder. The I/O side of connection is in connection.cpp.
#include <spdlog/spdlog.h>

#include "runtime/services/http/connection.hpp"

namespace troupe::http_detail {

namespace {

// What a responder shares between its copies. The first call delivers; if no
// copy ever calls, the destructor answers 500 so the client is not left hanging.
class responder_state {
 public:
  responder_state(std::shared_ptr<server_core> core, std::shared_ptr<connection> c)
      : core_(std::move(core)), connection_(std::move(c)) {}
  ~responder_state() {
    if (!done_.load()) {
      respond(json_error(500, "internal", "the handler dropped its responder"));
    }
  }

  void respond(http_response response) {
    if (done_.exchange(true)) return;
    std::shared_ptr<connection> c = std::move(connection_);
    core_->end_handler();
    core_->post_response(c, std::move(response));
  }

 private:
  std::shared_ptr<server_core> core_;
  std::shared_ptr<connection> connection_;  // touched by the first caller only
  std::atomic<bool> done_{false};
};

}  // namespace

void connection::dispatch() {
  auto& message = parser_->get();
  version_ = message.version();
  keep_alive_ = message.keep_alive();
  if (!core_->intake.load()) {
    return reply(json_error(503, "unavailable", "the server is shutting down"), true);
  }
  http_request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.peer = peer_;
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()),
                                 std::string(field.value()));
  }
  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (request.path.empty() || request.path.front() != '/') {
    return reply(
        json_error(400, "bad_request", "the request target must be an absolute path"));
  }
  if (question != std::string::npos) {
    auto query = parse_query(std::string_view(request.target).substr(question + 1));
    if (!query)
      return reply(json_error(400, "bad_request", "query: " + query.error().message()));
    request.query = std::move(*query);
  }
  http_router::match match = core_->router.find(request.method, request.path);
  if (match.found == nullptr) {
    if (match.allowed.empty()) {
      return reply(json_error(404, "not_found", "no route for " + request.path));
    }
    std::string allow;
    for (const auto& method : match.allowed)
      allow += (allow.empty() ? "" : ", ") + method;
    http_response response = json_error(
        405, "method_not_allowed", request.method + " is not allowed on " + request.path);
    response.headers.emplace_back("Allow", allow);
    return reply(std::move(response));
  }
  route_label_ = match.found->pattern;
  for (auto& [name, raw] : match.params) {
    auto value = percent_decode(raw, false);
    if (!value) {
      return reply(json_error(400, "bad_request", "path: " + value.error().message()));
    }
    request.path_params.emplace(name, std::move(*value));
  }
  request.body = std::move(message.body());
  run_handler(*match.found, std::move(request));
}

void connection::run_handler(const http_router::route& route, http_request request) {
  const bool writes = request.method != "GET" && request.method != "HEAD";
  auto verdict = core_->auth.check(request.header("Authorization"), route.access);
  using outcome = bearer_auth::outcome;
  if (verdict.result == outcome::missing || verdict.result == outcome::invalid) {
    const bool missing = verdict.result == outcome::missing;
    http_response response =
        missing ? json_error(401, "unauthorized", "this route needs a bearer token")
                : json_error(401, "unauthorized", "the bearer token is not valid");
    response.headers.emplace_back(
        "WWW-Authenticate", missing ? "Bearer realm=\"troupe\""
                                    : "Bearer realm=\"troupe\", error=\"invalid_token\"");
    return reply(std::move(response));
  }
  if (verdict.result == outcome::forbidden) {
    return reply(json_error(403, "forbidden",
                            std::string(route.method) + " " + route.pattern +
                                " needs the '" + std::string(to_string(route.access)) +
                                "' scope; token '" + verdict.token + "' has '" +
                                std::string(to_string(verdict.scope)) + "'"));
  }
  if (writes && !verdict.token.empty())
    spdlog::info("http: {} {} by token '{}'", request.method, request.path,
                 verdict.token);
  if (core_->options.write_refusal && writes) {
    if (auto why = core_->options.write_refusal(); !why.empty())
      return reply(storage_unavailable(why));
  }
  if (!core_->try_begin_handler()) {
    http_response response =
        json_error(429, "too_many_requests", "too many requests in flight; retry later");
    response.headers.emplace_back("Retry-After", "1");
    return reply(std::move(response));
  }
  auto state = std::make_shared<responder_state>(core_, shared_from_this());
  http_responder responder = [state](http_response response) {
    state->respond(std::move(response));
  };
  try {
    route.handler(request, responder);
  } catch (const std::exception& e) {
    spdlog::error("http: handler for {} {} threw: {}", route.method, route.pattern,
                  e.what());
    responder(json_error(500, "internal", "the handler failed"));
  } catch (...) {
    spdlog::error("http: handler for {} {} threw", route.method, route.pattern);
    responder(json_error(500, "internal", "the handler failed"));
  }
}

}  // namespace troupe::http_detail
