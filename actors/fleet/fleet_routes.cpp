// fleet's HTTP endpoints and its GitHub webhook:
//   GET  /api/v1/pools                      every pool's status
//   GET  /api/v1/pools/{pool}[?since=V]     one pool; with since, a long poll
//                                           answered once its version passes V
//   POST /api/v1/pools/{pool}/scale         {"replicas": N}
//   GET  /api/v1/pools/{pool}/events        recent pool events
//   workflow_job webhooks: queued raises the matching pool's desired count,
//   in_progress marks the runner busy, completed finishes it and lowers demand.
#include <caf/all.hpp>

#include "actors/common/ask.hpp"
#include "actors/fleet/fleet_json.hpp"
#include "actors/fleet/fleet_subsystem.hpp"
#include "messages/errors.hpp"
#include "runtime/base/json/json_text.hpp"
#include "runtime/services/github/github_webhooks.hpp"
#include "runtime/services/http/error_response.hpp"
#include "runtime/services/http/server.hpp"

namespace troupe::fleet {

namespace {

constexpr auto route_timeout = std::chrono::seconds(15);

// 404 for a pool nobody configured, 503 for one whose actor is (re)starting.
http_response unknown_pool(const pool_directory& dir, const std::string& pool) {
  if (dir.known(pool)) {
    return starting_response("pool '" + pool + "'");
  }
  return json_error(404, "not_found", "no pool named '" + pool + "'");
}

// Asks every pool for its status and answers with the array.
void all_pools(caf::actor_system& sys, std::vector<pool_actor> pools,
               http_responder respond) {
  sys.spawn([pools, respond](caf::event_based_actor* self) {
    auto results = std::make_shared<std::vector<json>>(pools.size());
    auto pending = std::make_shared<std::size_t>(pools.size());
    auto finish = [results, respond] {
      json::array_builder a;
      for (auto& r : *results)
        if (!r.is_null()) a.push_back(r);
      respond(json_response(a.build().dump()));
    };
    if (pools.empty()) return finish();
    for (std::size_t i = 0; i < pools.size(); ++i) {
      auto one = [results, pending, finish, i](json j) {
        (*results)[i] = std::move(j);
        if (--*pending == 0) finish();
      };
      self->request(pools[i], route_timeout, status_atom::value)
          .then([one](pool_status& s) { one(to_json(s)); },
                [one](caf::error&) { one(json()); });
    }
  });
}

}  // namespace

void fleet_subsystem::routes(http_server& server, node_services& services) {
  auto* sys = services.sys;
  auto* dir = &directory_;
  server.route(
      "GET", "/api/v1/pools",
      [sys, dir](const http_request&, http_responder respond) {
        std::vector<pool_actor> pools;
        for (auto& name : dir->names())
          if (auto pool = dir->get(*sys, name)) pools.push_back(pool);
        all_pools(*sys, std::move(pools), std::move(respond));
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/pools/{pool}",
      [sys, dir](const http_request& req, http_responder respond) {
        auto pool = dir->get(*sys, req.param("pool"));
        if (!pool) return respond(unknown_pool(*dir, req.param("pool")));
        auto reply = [respond](pool_status& s) {
          respond(json_response(to_json(s).dump()));
        };
        auto fail = [respond, sys](caf::error& e) { respond(error_response(*sys, e)); };
        auto since = since_param(req);
        if (!since)
          return respond(json_error(400, "bad_request", since.error().message()));
        if (*since)
          return ask(*sys, pool, route_timeout, reply, fail, status_atom::value, **since);
        ask(*sys, pool, route_timeout, reply, fail, status_atom::value);
      },
      http_access::read);
  server.route(
      "POST", "/api/v1/pools/{pool}/scale",
      [sys, dir](const http_request& req, http_responder respond) {
        auto pool = dir->get(*sys, req.param("pool"));
        if (!pool) return respond(unknown_pool(*dir, req.param("pool")));
        auto body = json::parse(req.body, "request body");
        if (!body) return respond(json_error(400, "bad_json", body.error().message()));
        auto* replicas = body->find("replicas");
        if (!body->is_object() || replicas == nullptr || !replicas->is_int() ||
            replicas->as_int() < 0 || replicas->as_int() > UINT32_MAX)
          return respond(
              json_error(400, "bad_request",
                         "expected {\"replicas\": N} with N a non-negative integer"));
        ask(
            *sys, pool, route_timeout,
            [respond](pool_status& s) { respond(json_response(to_json(s).dump(), 202)); },
            [respond, sys](caf::error& e) { respond(error_response(*sys, e)); },
            scale_atom::value, static_cast<std::uint32_t>(replicas->as_int()));
      },
      http_access::operate);
  server.route(
      "GET", "/api/v1/pools/{pool}/events",
      [sys, dir](const http_request& req, http_responder respond) {
        auto pool = dir->get(*sys, req.param("pool"));
        if (!pool) return respond(unknown_pool(*dir, req.param("pool")));
        ask(
            *sys, pool, route_timeout,
            [respond](std::vector<pool_event>& ev) {
              respond(json_response(to_json(ev).dump()));
            },
            [respond, sys](caf::error& e) { respond(error_response(*sys, e)); },
            events_atom::value);
      },
      http_access::read);
  if (services.webhooks == nullptr) return;
  services.webhooks->on("workflow_job", [dir, sys](const json& payload,
                                                   const std::string&,
                                                   http_responder respond) {
    auto delivery = read_workflow_job(payload);
    if (!delivery)
      return respond(json_error(400, "bad_payload", delivery.error().message()));
    auto& ev = delivery->event;
    std::string pool = ev.runner_name.empty() ? "" : dir->owner_of(ev.runner_name);
    if (pool.empty() && (ev.action == "queued" || ev.action == "completed"))
      pool = dir->match(delivery->labels);
    if (pool.empty() ||
        (ev.action != "queued" && ev.action != "in_progress" && ev.action != "completed"))
      return respond(json_response(
          "{\"ignored\":true,\"action\":" + json_quoted(ev.action) + "}", 202));
    auto handle = dir->get(*sys, pool);
    if (!handle)  // the pool's actor is restarting: GitHub redelivers on 503
      return respond(starting_response("pool '" + pool + "'"));
    caf::scoped_actor sender{*sys};  // pools take events from this node's actors only
    sender->send(handle, ev);
    respond(json_response(
        "{\"pool\":" + json_quoted(pool) + ",\"action\":" + json_quoted(ev.action) + "}",
        202));
  });
}

}  // namespace troupe::fleet
