#include "actors/bench/collector_alerts.hpp"

#include <spdlog/spdlog.h>

#include "actors/bench/bench_metrics.hpp"
#include "runtime/services/http/client.hpp"

namespace troupe::bench {

json to_json(const bench_regression& r) {
  json::object_builder b;
  b.set("run_id", r.run_id);
  b.set("platform", r.platform);
  b.set("benchmark", r.benchmark);
  b.set("kind", to_string(r.kind));
  b.set("relative_change", r.relative_change);
  b.set("p_value", r.p_value);
  b.set("baseline", r.baseline);
  b.set("candidate", r.candidate);
  b.set("method", r.method);
  b.set("noise", r.noise);
  b.set("commit", r.sha);
  json::array_builder range, skipped;
  for (auto& s : r.commit_range) range.push_back(s);
  for (auto& s : r.skipped_before) skipped.push_back(s);
  b.set("commit_range", range.build());
  b.set("skipped_before", skipped.build());
  return b.build();
}

namespace {

void alert(const bench_context& ctx, const bench_metrics& metrics,
           const bench_regression& r) {
  auto range = r.commit_range.empty()
                   ? r.sha
                   : r.commit_range.front() + ".." + r.commit_range.back();
  spdlog::warn("bench: {} of {:+.1f}% in {} on {} at run {} (commits {}{}; p={:.2g})",
               to_string(r.kind), r.relative_change * 100, r.benchmark, r.platform,
               r.run_id, range,
               r.skipped_before.empty()
                   ? ""
                   : ", " + std::to_string(r.skipped_before.size()) + " skipped before",
               r.p_value);
  if (metrics.regressions)
    metrics.regressions->with({r.platform, r.benchmark, to_string(r.kind)}).inc();
  if (ctx.alerts == nullptr || ctx.settings.alert_webhook.empty()) return;
  http_client_request req;
  req.method = "POST";
  req.url = ctx.settings.alert_webhook;
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = json::object().set("event", "bench_step").set("step", to_json(r)).dump();
  req.timeout = std::chrono::seconds(10);
  auto url = req.url;
  ctx.alerts->request(std::move(req), [url](http_client_response resp) {
    if (!resp.ok() || resp.status >= 300)
      spdlog::warn(
          "bench: alert webhook {}: {}", url,
          resp.ok() ? "HTTP " + std::to_string(resp.status) : resp.error_message);
  });
}

}  // namespace

void after_append(collector_impl::pointer self, const bench_context& ctx,
                  std::uint64_t run) {
  auto history = actor_directory::of(self->system()).get(history_key);
  if (!history) return;
  auto metrics = bench_metrics::make(ctx.metrics);
  self->request(history, caf::infinite, bench_analyze_atom::value, run)
      .then(
          [ctx, metrics](std::vector<bench_regression>& steps) {
            for (auto& r : steps) alert(ctx, metrics, r);
            if (metrics.analyses) metrics.analyses->with({"ok"}).inc();
          },
          [run, metrics](caf::error&) {
            spdlog::error("bench: analysis of run {} failed", run);
            if (metrics.analyses) metrics.analyses->with({"failed"}).inc();
          });
  self->send(history, bench_export_atom::value);
}

}  // namespace troupe::bench
