// What a provider call's result changes in a pool: the model, the
// controller, the breaker, retries, the store, the scale report, metrics.
#include <spdlog/spdlog.h>

#include "actors/fleet/creator_worker.hpp"
#include "actors/fleet/pool_state.hpp"

namespace troupe::fleet {

namespace {

void schedule_retry(pool_self self, const std::string& name, std::uint32_t attempt,
                    const classification& c) {
  auto& st = self->state;
  std::optional<backoff::duration> server_wait;
  if (c.retry_after) server_wait = *c.retry_after;
  auto delay = st.retry->delay(static_cast<int>(attempt), st.rng, server_wait);
  self->delayed_send(self, delay, pool_msg::retry_due{name});
}

void breaker_feedback(pool_self self, const classification& c, clock_point now) {
  auto& st = self->state;
  if (c.api_failure())
    st.breaker->on_failure(now);
  else
    st.breaker->on_success(now);
  std::string state = to_string(st.breaker->state(now));
  if (state != st.breaker_seen) {
    if (state == "open")
      add_event(
          self, "breaker_opened",
          std::to_string(st.breaker->consecutive_failures()) + " consecutive failures");
    else if (state == "closed")
      add_event(self, "breaker_closed", "probe succeeded");
    st.breaker_seen = state;
  }
}

void on_create_result(pool_self self, const fleet_job& job, const classification& c,
                      const call_report& report, double seconds) {
  auto& st = self->state;
  auto& m = st.metrics;
  if (m.creations) m.creations->with({st.ctx.config.name, std::string(c.reason)}).inc();
  if (c.throttled) {
    ++st.throttled;
    if (m.throttled) m.throttled->inc();
  }
  if (c.succeeded()) {
    if (m.creation_seconds) m.creation_seconds->observe(seconds);
    st.model.on_created(job.name);
    if (!st.op.done && st.op.created < st.op.to_create) ++st.op.created;
    auto* r = st.model.find(job.name);
    persist_runner(self, job.name,
                   r && r->state == runner_state::deleting ? "deleting" : "idle");
    return;
  }
  std::string why = std::string(c.reason);
  if (!report.status_message.empty()) why += ": " + report.status_message;
  if (c.outcome == call_outcome::retryable &&
      st.retry->may_retry(static_cast<int>(job.attempt))) {
    ++st.retries;
    if (m.retries) m.retries->inc();
    st.model.on_create_retry(job.name, why, c.uncertain);
    // Wanted: back off and retry. Surplus: dropped, or deleted if it may exist.
    auto* r = st.model.find(job.name);
    if (r == nullptr)
      forget_runner(self, job.name);
    else if (r->state == runner_state::backoff)
      schedule_retry(self, job.name, job.attempt, c);
    else
      persist_runner(self, job.name, "deleting");
    return;
  }
  if (c.outcome == call_outcome::retryable)
    why = "gave up after " + std::to_string(job.attempt) + " attempts: " + why;
  spdlog::warn("pool {}: runner {} failed: {}", st.ctx.config.name, job.name, why);
  note_error(self, job.name + ": " + why);
  if (!st.op.done) {
    ++st.op.failed;
    if (st.op.failures.size() < 100) st.op.failures.push_back(job.name + ": " + why);
  }
  if (c.reason == "quota_exceeded") add_event(self, "quota_exhausted", why);
  st.model.on_create_failed(job.name, why);
  if (st.model.find(job.name) == nullptr)
    forget_runner(self, job.name);
  else
    persist_runner(self, job.name, "deleting");
}

void on_delete_result(pool_self self, const fleet_job& job, const classification& c,
                      const call_report& report) {
  auto& st = self->state;
  bool gone = c.succeeded() || report.http_status == 404;
  if (gone) {
    st.model.on_deleted(job.name);
    forget_runner(self, job.name);
    if (!st.op.done) ++st.op.deleted;
    return;
  }
  std::string why = std::string(c.reason) +
                    (report.status_message.empty() ? "" : ": " + report.status_message);
  if (c.outcome == call_outcome::retryable) {
    ++st.retries;
    schedule_retry(self, job.name, std::min<std::uint32_t>(job.attempt, 16), c);
    return;
  }
  // A permanent refusal to delete: give up on it, loudly (it may be leaked).
  spdlog::error("pool {}: cannot delete runner {}: {}", st.ctx.config.name, job.name,
                why);
  note_error(self, job.name + ": delete failed: " + why);
  add_event(self, "delete_failed", job.name + ": " + why);
  st.model.on_deleted(job.name);
  forget_runner(self, job.name);
}

}  // namespace

void on_job_result(pool_self self, const creator_actor& worker,
                   const fleet_job_result& r) {
  auto& st = self->state;
  auto now = self->clock().now();
  // Idle again, unless its node left the cluster meanwhile (take_idle drops
  // such workers only when membership changes).
  auto* members = st.ctx.members;
  if (worker && (members == nullptr || members->allowed(worker.node(), self->node())))
    st.idle_workers.push_back(worker);
  auto report = to_report(r);
  report.name_owned = st.model.find(r.job.name) != nullptr;  // names troupe persisted
  auto c = classify(report, st.ctx.now());                   // Retry-After may be a date
  if (auto t = st.tickets.find(r.job.name); t != st.tickets.end()) {
    std::optional<concurrency_controller::duration> server_wait;
    if (c.retry_after) server_wait = *c.retry_after;
    st.ctrl->on_result(t->second, now, feedback_of(report, c), server_wait);
    st.tickets.erase(t);
  }
  breaker_feedback(self, c, now);
  double seconds = static_cast<double>(r.latency_ns) / 1e9;
  if (r.job.kind == fleet_job_kind::create)
    on_create_result(self, r.job, c, report, seconds);
  else
    on_delete_result(self, r.job, c, report);
  settle_binding(self, r.job.name);
  dispatch(self);
  touch(self);
}

}  // namespace troupe::fleet
