// workflow's HTTP endpoints:
//   POST /api/v1/runs                  {"workflow": "<name>" | "definition": {...},
//                                       "parameters": {...}} -> 201 with the run;
//                                       the same shape in YAML with
//                                       Content-Type: application/yaml
//   GET  /api/v1/runs[?state=S&limit=N]  recent runs, newest first (from the store)
//   GET  /api/v1/runs/{id}[?since=V]   one run; with since, a long poll answered
//                                       once its version passes V
//   POST /api/v1/runs/{id}/cancel|pause|resume
//   GET  /api/v1/workflows             the workflows directory, each validated
// Errors (runtime/services/http/error_response.hpp): 400 bad JSON or request
// shape, 422 invalid definition or parameters, 404 unknown run, 409 an action
// on a run that ended, 429 too many live runs, 503 the engine is (re)starting.
#include <caf/all.hpp>

#include "actors/common/ask.hpp"
#include "actors/workflow/definition_document.hpp"
#include "actors/workflow/engine_names.hpp"
#include "actors/workflow/workflow_json.hpp"
#include "actors/workflow/workflow_library.hpp"
#include "actors/workflow/workflow_records.hpp"
#include "actors/workflow/workflow_subsystem.hpp"
#include "messages/errors.hpp"
#include "messages/workflow.hpp"
#include "runtime/base/json/json_fields.hpp"
#include "runtime/base/yaml/yaml_read.hpp"
#include "runtime/services/http/error_response.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::workflow {

namespace {

constexpr auto ask_timeout = std::chrono::seconds(30);

workflow_service_actor engine_of(caf::actor_system& sys) {
  return actor_directory::of(sys).get(workflow_service_key);
}

template <class... Ts>
void ask_engine(caf::actor_system& sys, http_responder respond, int ok_status, Ts... xs) {
  auto engine = engine_of(sys);
  if (!engine) return respond(starting_response("the workflow engine"));
  auto* system = &sys;
  ask(
      sys, engine, ask_timeout,
      [respond, ok_status](run_status& s) {
        respond(json_response(to_json(s).dump(), ok_status));
      },
      [respond, system](caf::error& e) { respond(error_response(*system, e)); },
      std::move(xs)...);
}

// The body of a POST /api/v1/runs: YAML when the request says
// Content-Type: application/yaml, JSON otherwise; the marks of a YAML body
// place the errors found on its JSON form.
result<yaml_document> read_run_body(const http_request& req, std::string_view source) {
  if (req.has_content_type("application/yaml")) return parse_yaml(req.body, source);
  auto doc = json::parse(req.body, source);
  if (!doc) return doc.error();
  return yaml_document{std::move(*doc), {}};
}

// The run_request of a POST /api/v1/runs body. Errors about its shape start
// with "request body" (the route answers them 400; the others 422). A
// definition written in YAML (a YAML body, a YAML file of the directory) is
// validated here, where its marks are, so that its errors name line and
// column; the engine validates every definition again (JSON ones only there).
result<run_request> parse_run_body(const http_request& http, const std::string& dir,
                                   const action_catalog& actions) {
  const json_fields fields("request body");
  auto body = read_run_body(http, fields.source());
  if (!body) return body.error();
  const json& doc = body->value;
  auto placed = [&](const status& st) { return body->marks.place(st, fields.source()); };
  json_path root;
  if (auto st = fields.expect(doc, root, json_type::object); !st) return placed(st);
  if (auto st = fields.known(doc, root, {"workflow", "definition", "parameters"}); !st)
    return placed(st);
  run_request req;
  auto* name = doc.find("workflow");
  auto* inline_def = doc.find("definition");
  if ((name == nullptr) == (inline_def == nullptr))
    return placed(
        fields.error(root, "give exactly one of 'workflow' (a name) and 'definition'"));
  definition_document def;
  if (name) {
    if (auto st = fields.expect(*name, root.key("workflow"), json_type::string); !st)
      return placed(st);
    auto d = read_named_workflow(dir, std::string(name->as_string()));
    if (!d) return d.error();
    def = std::move(*d);
  } else {
    def = {*inline_def, "inline", body->marks.subtree(root.key("definition"))};
  }
  if (!def.marks.empty())
    if (auto loaded = load_definition(def, actions); !loaded) return loaded.error();
  auto parameters = fields.optional_object(doc, root, "parameters");
  if (!parameters) return placed(parameters.error());
  req.source = def.source;
  req.definition = def.document;
  req.parameters = *parameters;
  return req;
}

}  // namespace

void workflow_subsystem::routes(http_server& server, node_services& services) {
  auto* sys = services.sys;
  auto* db = services.db;
  auto dir = settings_.workflows_dir;
  auto actions = actions_;
  server.route(
      "POST", "/api/v1/runs",
      [sys, dir, actions](const http_request& req, http_responder respond) {
        auto run = parse_run_body(req, dir, *actions);
        if (!run) {
          bool shape = run.error().message().rfind("request body", 0) == 0;
          return respond(json_error(shape ? 400 : 422, shape ? "bad_request" : "invalid",
                                    run.error().message()));
        }
        ask_engine(*sys, respond, 201, std::move(*run));
      },
      http_access::operate);
  server.route(
      "GET", "/api/v1/runs",
      [db](const http_request& req, http_responder respond) {
        auto state = req.query_param("state");
        auto limit_text = req.query_param("limit").value_or("100");
        char* end = nullptr;
        auto limit = std::strtoll(limit_text.c_str(), &end, 10);
        if (limit_text.empty() || *end != '\0' || limit < 1 || limit > 10000)
          return respond(json_error(400, "bad_request", "limit must be 1..10000"));
        db->query(list_executions(state, limit),
                  [respond](result<std::vector<sql_row>> rows) {
                    if (!rows)
                      return respond(json_error(503, "store", rows.error().message()));
                    json::array_builder out;
                    for (auto& r : *rows) {
                      json::object_builder b;
                      b.set("id", json(sql_text(r[0])));
                      b.set("workflow", json(sql_text(r[1])));
                      b.set("state", json(sql_text(r[2])));
                      b.set("started", iso_time_json(sql_int(r[3])));
                      b.set("finished", iso_time_json(sql_int(r[4])));
                      out.push_back(b.build());
                    }
                    respond(json_response(out.build().dump()));
                  });
      },
      http_access::read);
  server.route(
      "GET", "/api/v1/runs/{id}",
      [sys](const http_request& req, http_responder respond) {
        auto id = req.param("id");
        auto since = since_param(req);
        if (!since)
          return respond(json_error(400, "bad_request", since.error().message()));
        if (*since)
          return ask_engine(*sys, respond, 200, status_atom::value, id, **since);
        ask_engine(*sys, respond, 200, status_atom::value, id);
      },
      http_access::read);
  server.route(
      "POST", "/api/v1/runs/{id}/{action}",
      [sys](const http_request& req, http_responder respond) {
        auto id = req.param("id");
        auto action = req.param("action");
        if (action == "cancel")
          return ask_engine(*sys, respond, 200, cancel_atom::value, id);
        if (action == "pause")
          return ask_engine(*sys, respond, 200, pause_atom::value, id);
        if (action == "resume")
          return ask_engine(*sys, respond, 200, resume_atom::value, id);
        respond(json_error(404, "not_found",
                           "no action '" + action + "' (cancel, pause, resume)"));
      },
      http_access::operate);
  server.route(
      "GET", "/api/v1/workflows",
      [dir, actions](const http_request&, http_responder respond) {
        respond(json_response(list_workflows(dir, *actions).dump()));
      },
      http_access::read);
}

}  // namespace troupe::workflow
