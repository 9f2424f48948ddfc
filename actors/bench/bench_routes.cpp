// bench's HTTP endpoints and its GitHub webhook (all with the API token):
//   POST /api/v1/bench/commits          [{sha, parent, time, message, branch}, ...]
//                                       202 once durable; 400 naming the JSON path;
//                                       429 + Retry-After past [bench] intake-queue
//   POST /api/v1/bench/runs             {"branch": B, "sha": S?}  a manual run
//   GET  /api/v1/bench/runs[?limit=N]   newest first (default 100)
//   GET  /api/v1/bench/runs/{id}        one run with its artifacts and gaps
//   GET  /api/v1/bench/regressions      detected steps, newest first
//   GET  /api/v1/bench/status           queue, coverage, platforms, skipped commits;
//                                       ?since=V: a long poll (answered at the next
//                                       change, or after 10 s)
//   GET  /api/v1/bench/history/{platform}   {"version": 2, "runs": [...]}
//   POST /api/v1/bench/compare          {"base", "head", "platforms"?, "rounds"?}
//                                       202 {"id": N} once durable; 400 naming the JSON
//                                       path
//   GET  /api/v1/bench/compare/{id}     one A/B comparison: state, and its result once
//                                       done (bench's status feed changes then)
//   GET  /api/v1/bench/compares[?limit=N]   newest first (default 20)
//   GET  /dashboard                     the dashboard page (HTML)
//   push webhooks: the pushed commits of a branch, as if POSTed.
// While bench (re)starts the answers are 503 with Retry-After.
#include <caf/all.hpp>

#include "actors/bench/bench_subsystem.hpp"
#include "actors/bench/commit_json.hpp"
#include "actors/common/ask.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/services/github/github_webhooks.hpp"
#include "runtime/services/http/error_response.hpp"
#include "runtime/services/http/server.hpp"

namespace troupe::bench {

namespace {

constexpr auto route_timeout = std::chrono::seconds(30);

double percent(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0
                    : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

json to_json(const bench_status& s) {
  json::array_builder platforms, skipped, active;
  for (auto& p : s.platforms)
    platforms.push_back(json::object()
                            .set("name", p.name)
                            .set("state", to_string(p.state))
                            .set("current_run", p.current_run)
                            .set("host", p.host)
                            .set("last_seen", p.last_seen)
                            .set("host_wait_ms", p.host_wait_ms));
  for (auto& k : s.recent_skipped)
    skipped.push_back(json::object()
                          .set("sha", k.sha)
                          .set("branch", k.branch)
                          .set("reason", to_string(k.reason))
                          .set("queue_depth", k.queue_depth)
                          .set("at_ms", k.at_ms)
                          .set("dropped_run", k.dropped_run)
                          .set("superseded_by", k.superseded_by));
  for (auto id : s.active_runs) active.push_back(id);
  auto coverage = json::object()
                      .set("seen", s.seen)
                      .set("benchmarked", s.benchmarked)
                      .set("covered", s.covered)
                      .set("skipped", s.skipped)
                      .set("pending", s.pending)
                      .set("benchmarked_percent", percent(s.benchmarked, s.seen))
                      .set("covered_percent", percent(s.covered, s.seen));
  return json::object()
      .set("version", s.version)
      .set("ready", s.ready)
      .set("queue_depth", s.queue_depth)
      .set("active_runs", active.build())
      .set("coverage", coverage)
      .set("platforms", platforms.build())
      .set("skipped", skipped.build());
}

// Submits `commits` to the scheduler and answers 202 with the intake. For
// a webhook a full queue is a 503, so that the delivery is forgotten and
// GitHub's redelivery is taken later (a 4xx would mark it seen).
void submit(caf::actor_system& sys, const actor_directory& dir,
            std::vector<bench_commit> commits, http_responder respond,
            bool webhook = false) {
  auto scheduler = dir.get(scheduler_key);
  if (!scheduler) return respond(starting_response("bench"));
  ask(
      sys, scheduler, route_timeout,
      [respond](bench_intake& in) {
        respond(json_response(bench::to_json(in).dump(), 202));
      },
      [respond, &sys, webhook](caf::error& e) {
        auto r = error_response(sys, e);
        if (webhook && r.status == 429) r.status = 503;
        respond(std::move(r));
      },
      bench_submit_atom::value, std::move(commits));
}

// Asks the history actor and answers with its text (JSON, or HTML for the dashboard).
template <class... Ts>
void read(caf::actor_system& sys, const actor_directory& dir, http_responder respond,
          bool html, Ts... xs) {
  auto history = dir.get(history_key);
  if (!history) return respond(starting_response("bench"));
  ask(
      sys, history, route_timeout,
      [respond, html](std::string& body) {
        http_response r;
        r.body = std::move(body);
        if (html) r.content_type = "text/html; charset=utf-8";
        respond(std::move(r));
      },
      [respond, &sys](caf::error& e) { respond(error_response(sys, e)); },
      std::move(xs)...);
}

std::optional<std::uint64_t> number(const std::string& s) {
  if (s.empty() || s.size() > 18 ||
      s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(s);
}

// The ?limit= of `req`: `fallback` when absent, nullopt unless 1..`max`.
std::optional<std::uint64_t> limit_of(const http_request& req, std::uint64_t fallback,
                                      std::uint64_t max) {
  auto l = req.query_param("limit");
  if (!l) return fallback;
  auto n = number(*l);
  if (!n || *n == 0 || *n > max) return std::nullopt;
  return n;
}

}  // namespace

void bench_subsystem::routes(http_server& server, node_services& services) {
  auto* sys = services.sys;
  auto* dir = &actor_directory::of(*sys);
  server.route(
      "POST", "/api/v1/bench/commits",
      [sys, dir](const http_request& req, http_responder respond) {
        auto commits = parse_commit_list(req.body);
        if (!commits)
          return respond(json_error(400, "bad_request", commits.error().message()));
        submit(*sys, *dir, std::move(*commits), std::move(respond));
      },
      http_access::operate);
  server.route(
      "POST", "/api/v1/bench/runs",
      [sys, dir](const http_request& req, http_responder respond) {
        auto body = json::parse(req.body, "request body");
        if (!body) return respond(json_error(400, "bad_json", body.error().message()));
        auto& branch = (*body)["branch"];
        auto& sha = (*body)["sha"];
        if (!body->is_object() || !branch.is_string() ||
            !(sha.is_null() || sha.is_string()))
          return respond(
              json_error(400, "bad_request",
                         "expected {\"branch\": \"main\", \"sha\": \"...\" (optional)}"));
        auto scheduler = dir->get(scheduler_key);
        if (!scheduler) return respond(starting_response("bench"));
        ask(
            *sys, scheduler, route_timeout,
            [respond](bench_intake& in) {
              respond(json_response(bench::to_json(in).dump(), 202));
            },
            [respond, sys](caf::error& e) { respond(error_response(*sys, e)); },
            bench_manual_atom::value, std::string(branch.as_string()),
            sha.is_string() ? std::string(sha.as_string()) : std::string());
      },
      http_access::operate);
  server.route(
      "GET", "/api/v1/bench/runs",
      [sys, dir](const http_request& req, http_responder respond) {
        auto limit = limit_of(req, 100, 10000);
        if (!limit)
          return respond(json_error(400, "bad_request", "limit must be 1..10000"));
        read(*sys, *dir, std::move(respond), false, bench_runs_atom::value, *limit);
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/bench/runs/{id}",
      [sys, dir](const http_request& req, http_responder respond) {
        auto id = number(req.param("id"));
        if (!id) return respond(json_error(400, "bad_request", "a run id is a number"));
        read(*sys, *dir, std::move(respond), false, bench_run_atom::value, *id);
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/bench/regressions",
      [sys, dir](const http_request&, http_responder respond) {
        read(*sys, *dir, std::move(respond), false, bench_regressions_atom::value);
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/bench/history/{platform}",
      [sys, dir](const http_request& req, http_responder respond) {
        read(*sys, *dir, std::move(respond), false, bench_history_atom::value,
             req.param("platform"));
      },
      http_access::read);
  server.route(
      "POST", "/api/v1/bench/compare",
      [sys, dir](const http_request& req, http_responder respond) {
        auto request = parse_compare_request(req.body);
        if (!request)
          return respond(json_error(400, "bad_request", request.error().message()));
        auto scheduler = dir->get(scheduler_key);
        if (!scheduler) return respond(starting_response("bench"));
        ask(
            *sys, scheduler, route_timeout,
            [respond](std::uint64_t id) {
              auto url = "/api/v1/bench/compare/" + std::to_string(id);
              respond(json_response(json::object().set("id", id).set("url", url).dump(),
                                    202));
            },
            [respond, sys](caf::error& e) { respond(error_response(*sys, e)); },
            bench_compare_atom::value, std::move(*request));
      },
      http_access::operate);
  server.route(
      "GET", "/api/v1/bench/compare/{id}",
      [sys, dir](const http_request& req, http_responder respond) {
        auto id = number(req.param("id"));
        if (!id)
          return respond(json_error(400, "bad_request", "a comparison id is a number"));
        read(*sys, *dir, std::move(respond), false, bench_compare_atom::value, *id);
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/bench/compares",
      [sys, dir](const http_request& req, http_responder respond) {
        auto limit = limit_of(req, 20, 1000);
        if (!limit)
          return respond(json_error(400, "bad_request", "limit must be 1..1000"));
        read(*sys, *dir, std::move(respond), false, bench_compares_atom::value, *limit);
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/bench/status",
      [sys, dir](const http_request& req, http_responder respond) {
        auto since = since_param(req);
        if (!since)
          return respond(json_error(400, "bad_request", since.error().message()));
        auto scheduler = dir->get(scheduler_key);
        if (!scheduler) return respond(starting_response("bench"));
        auto reply = [respond](bench_status& s) {
          respond(json_response(to_json(s).dump()));
        };
        auto fail = [respond, sys](caf::error& e) { respond(error_response(*sys, e)); };
        if (*since)  // a long poll: answered within 10 s
          return ask(*sys, scheduler, route_timeout, reply, fail, status_atom::value,
                     **since);
        ask(*sys, scheduler, route_timeout, reply, fail, status_atom::value);
      },
      http_access::read);
  server.route(
      "GET", "/dashboard",
      [sys, dir](const http_request&, http_responder respond) {
        auto scheduler = dir->get(scheduler_key);
        if (!scheduler) return respond(starting_response("bench"));
        // The live state when the scheduler answers, the stored data regardless.
        ask(
            *sys, scheduler, route_timeout,
            [sys, dir, respond](bench_status& s) {
              read(*sys, *dir, respond, true, bench_dashboard_atom::value, s);
            },
            [sys, dir, respond](caf::error&) {
              read(*sys, *dir, respond, true, bench_dashboard_atom::value,
                   bench_status{});
            },
            status_atom::value);
      },
      http_access::read);
  if (services.webhooks == nullptr) return;
  services.webhooks->on("push", [sys, dir](const json& payload, const std::string&,
                                           http_responder respond) {
    auto push = commits_of_push(payload);
    if (!push) return respond(json_error(400, "bad_payload", push.error().message()));
    if (!push->ignored.empty())
      return respond(json_response(
          json::object().set("ignored", true).set("reason", push->ignored).dump(), 202));
    submit(*sys, *dir, std::move(push->commits), std::move(respond), true);
  });
}

}  // namespace troupe::bench
