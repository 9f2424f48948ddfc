#include "actors/fleet/fleet_json.hpp"

#include "runtime/base/json/json_fields.hpp"

namespace troupe::fleet {

namespace {

json strings(const std::vector<std::string>& xs) {
  json::array_builder a;
  for (auto& x : xs) a.push_back(x);
  return a.build();
}

}  // namespace

json to_json(const scale_report& r) {
  json::object_builder o;
  o.set("id", r.id);
  o.set("from", r.from);
  o.set("to", r.to);
  o.set("to_create", r.to_create);
  o.set("created", r.created);
  o.set("failed", r.failed);
  o.set("deleted", r.deleted);
  o.set("done", r.done);
  o.set("started_ms", r.started_ms);
  o.set("finished_ms", r.finished_ms);
  o.set("failures", strings(r.failures));
  return o.build();
}

json to_json(const pool_status& s) {
  json::object_builder runners;
  runners.set("queued", s.queued);
  runners.set("backoff", s.backoff);
  runners.set("creating", s.creating);
  runners.set("idle", s.idle);
  runners.set("busy", s.busy);
  runners.set("deleting", s.deleting);
  json::object_builder totals;
  totals.set("created", s.created);
  totals.set("failed", s.failed);
  totals.set("finished", s.finished);
  totals.set("deleted", s.deleted);
  totals.set("cancelled", s.cancelled);
  totals.set("retries", s.retries);
  totals.set("throttled", s.throttled);
  json::object_builder o;
  o.set("name", s.name);
  o.set("provider", s.provider);
  o.set("ready", s.ready);
  o.set("min", s.min);
  o.set("max", s.max);
  o.set("desired", s.desired);
  o.set("pending", s.queued + s.backoff + s.creating);
  o.set("running", s.idle + s.busy);
  o.set("runners", runners.build());
  o.set("totals", totals.build());
  o.set("in_flight", s.in_flight);
  o.set("concurrency", s.concurrency);
  o.set("mode", s.mode);
  o.set("breaker", s.breaker);
  o.set("last_errors", strings(s.last_errors));
  o.set("version", s.version);
  o.set("last_scale", to_json(s.last_scale));
  return o.build();
}

json to_json(const std::vector<pool_event>& events) {
  json::array_builder a;
  for (auto& e : events) {
    json::object_builder o;
    o.set("time_ms", e.time_ms);
    o.set("kind", e.kind);
    o.set("message", e.message);
    a.push_back(o.build());
  }
  return a.build();
}

result<workflow_job_delivery> read_workflow_job(const json& payload) {
  auto& job = payload["workflow_job"];
  if (auto st =
          json_fields().expect(job, json_path().key("workflow_job"), json_type::object);
      !st)
    return st;
  workflow_job_delivery d;
  if (payload["action"].is_string())
    d.event.action = std::string(payload["action"].as_string());
  if (job["runner_name"].is_string())
    d.event.runner_name = std::string(job["runner_name"].as_string());
  if (job["id"].is_int()) d.event.job_id = job["id"].as_int();
  if (auto* labels = job.find("labels"))
    for (auto& l : labels->items())
      if (l.is_string()) d.labels.emplace_back(l.as_string());
  return d;
}

}  // namespace troupe::fleet
