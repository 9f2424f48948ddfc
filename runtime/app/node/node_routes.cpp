#include "runtime/app/node/node_routes.hpp"

#include <caf/all.hpp>
#include <filesystem>

#include "actors/common/ask.hpp"
#include "messages/supervisor.hpp"
#include "runtime/app/node/cluster_json.hpp"
#include "runtime/app/node/describe_json.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/services/http/error_response.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe {

namespace {

constexpr auto actor_timeout = std::chrono::seconds(5);
constexpr auto long_poll_timeout = std::chrono::seconds(15);  // the actor answers in 10 s

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
            [respond](supervisor_report& r) {
              if (r.status == supervisor_status::running)
                respond(json_response(R"({"status":"ready"})"));
              else
                respond(
                    json_error(503, "not_ready",
                               std::string("root supervisor is ") + to_string(r.status)));
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
        if (ctx.role == "worker")
          return respond(json_response(to_json(ctx.link->get(), ctx.self).dump()));
        if (ctx.role != "coordinator")
          return respond(json_response(R"({"role":"standalone","members":[]})"));
        auto since = since_param(req);
        if (!since)
          return respond(json_error(400, "bad_request", since.error().message()));
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
