#include "runtime/app/node/node_routes.hpp"

#include <caf/all.hpp>
#include <filesystem>

#include "actors/common/actor_directory.hpp"
#include "actors/common/ask.hpp"
#include "messages/supervisor.hpp"
#include "runtime/app/node/cluster_json.hpp"
#include "runtime/app/node/describe_json.hpp"
#include "runtime/app/node/readiness.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/services/http/error_response.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe {

namespace {

constexpr auto actor_timeout = std::chrono::seconds(5);
constexpr auto long_poll_timeout = std::chrono::seconds(15);  // the actor answers in 10 s

// A worker's GET /api/v1/cluster: its link now, or (`since`) once the
// link's version passes it, from the agent (actors/cluster/agent.hpp).
void worker_link(const node_route_context& ctx, std::optional<std::uint64_t> since,
                 http_responder respond) {
  auto agent = actor_directory::of(*ctx.sys).get(agent_key);
  if (!since || !agent)
    return respond(json_response(to_json(ctx.link->get(), ctx.self).dump()));
  ask(
      *ctx.sys, agent, long_poll_timeout,
      [respond, self = ctx.self](link_status& s) {
        respond(json_response(to_json(s, self).dump()));
      },
      [respond, sys = ctx.sys](caf::error& err) { respond(error_response(*sys, err)); },
      link_atom::value, *since);
}

}  // namespace

std::string write_refusal(const store& db) {
  auto health = db.get_health();
  if (health.writable) return {};
  auto file = std::filesystem::path(db.options().path);
  return "the store " + file.string() + " cannot write: " + health.cause +
         "; free space in " + file.parent_path().string() +
         " (or fix the file system): writes resume by themselves within a second";
}

void add_node_routes(http_server& server, node_route_context ctx) {
  server.route(
      "GET", "/healthz",
      [](const http_request&, http_responder respond) {
        respond(json_response(R"({"status":"ok"})"));
      },
      http_access::open);
  server.route(
      "GET", "/readyz",
      [ctx](const http_request&, http_responder respond) {
        if (ctx.db == nullptr)
          return respond(json_error(503, "not_ready", "store is not open"));
        if (auto why = write_refusal(*ctx.db); !why.empty())
          return respond(json_error(503, "not_ready", why));
        ask(
            *ctx.sys, ctx.root, actor_timeout,
            [respond, ctx](supervisor_report& r) {
              if (r.status != supervisor_status::running)
                return respond(
                    json_error(503, "not_ready",
                               std::string("root supervisor is ") + to_string(r.status)));
              if (auto starting = not_up(*ctx.sys, ctx.readiness); !starting.empty())
                return respond(json_error(503, "not_ready", "starting: " + starting));
              respond(json_response(R"({"status":"ready"})"));
            },
            [respond, sys = ctx.sys](caf::error& err) {
              respond(error_response(*sys, err));
            },
            describe_atom::value);
      },
      http_access::open);
  server.route(
      "GET", "/metrics",
      [metrics = ctx.metrics](const http_request&, http_responder respond) {
        http_response r;
        r.content_type = metrics_registry::content_type;
        r.body = metrics->render();
        respond(std::move(r));
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/node",
      [ctx, &server](const http_request&, http_responder respond) {
        ask(
            *ctx.sys, ctx.node, actor_timeout,
            [respond, routes = server.routes()](node_description& d) {
              respond(json_response(to_json(d, unix_ms(), routes).dump()));
            },
            [respond, sys = ctx.sys](caf::error& err) {
              respond(error_response(*sys, err));
            },
            describe_atom::value);
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/cluster",
      [ctx](const http_request& req, http_responder respond) {
        if (ctx.role != "coordinator" && ctx.role != "worker")
          return respond(json_response(R"({"role":"standalone","members":[]})"));
        auto since = since_param(req);
        if (!since)
          return respond(json_error(400, "bad_request", since.error().message()));
        if (ctx.role == "worker") return worker_link(ctx, *since, std::move(respond));
        auto reply = [respond](cluster_view& v) {
          respond(json_response(to_json(v).dump()));
        };
        auto fail = [respond, sys = ctx.sys](caf::error& err) {
          respond(error_response(*sys, err));
        };
        if (*since)  // a long poll: answered within 10 s
          return ask(*ctx.sys, ctx.node, long_poll_timeout, reply, fail,
                     members_atom::value, **since);
        ask(*ctx.sys, ctx.node, actor_timeout, reply, fail, members_atom::value);
      },
      http_access::read);
}

}  // namespace troupe
