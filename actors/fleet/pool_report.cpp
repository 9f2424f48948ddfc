// What a pool tells the world: its status, events, metrics, progress lines
// and the summary of each scale operation.
#include <spdlog/spdlog.h>

#include "actors/fleet/pool_state.hpp"

namespace troupe::fleet {

namespace {

constexpr std::size_t max_events = 100;
constexpr std::size_t max_errors = 10;
constexpr const char* states[] = {"queued", "backoff", "creating",
                                  "idle",   "busy",    "deleting"};
constexpr const char* breaker_states[] = {"closed", "open", "half_open"};

const char* mode_name(const pool_config& p) {
  return p.sequential ? "sequential" : p.adaptive ? "adaptive" : "fixed";
}

void update_metrics(pool_self self, const pool_status& s) {
  auto& m = self->state.metrics;
  if (m.runners.empty()) return;
  std::uint32_t values[] = {s.queued, s.backoff, s.creating, s.idle, s.busy, s.deleting};
  for (std::size_t i = 0; i < std::size(states); ++i)
    m.runners[states[i]]->set(values[i]);
  m.concurrency->set(s.concurrency);
  m.in_flight->set(s.in_flight);
  for (auto* b : breaker_states) m.breaker[b]->set(s.breaker == b ? 1 : 0);
}

// "created 50/100 runners for pool linux-x64" every tenth of the way, and one
// summary line when the operation is over.
void report_progress(pool_self self, const pool_status& s) {
  auto& st = self->state;
  auto& op = st.op;
  if (op.done) return;
  auto step = std::max<std::uint32_t>(1, op.to_create / 10);
  if (op.to_create > 0 && op.created >= st.op_logged + step &&
      op.created < op.to_create) {
    st.op_logged = op.created - op.created % step;
    spdlog::info("created {}/{} runners for pool {}", op.created, op.to_create, s.name);
  }
  if (s.queued + s.backoff + s.creating + s.deleting > 0 || !st.recovered) return;
  op.done = true;
  op.finished_ms = now_ms(self);
  if (op.from == op.to && op.to_create == 0 && op.deleted == 0) return;
  auto seconds = static_cast<double>(op.finished_ms - op.started_ms) / 1000.0;
  spdlog::info(
      "scaled pool {} {} -> {}: created {} of {}, {} failed, {} deleted in {:.2f} s "
      "({} retries, {} throttled so far)",
      s.name, op.from, op.to, op.created, op.to_create, op.failed, op.deleted, seconds,
      st.retries, st.throttled);
}

}  // namespace

std::int64_t now_ms(pool_self self) {
  return unix_ms(self->state.ctx.now());
}

pool_status make_status(pool_self self) {
  auto& st = self->state;
  auto& cfg = st.ctx.config;
  auto now = self->clock().now();
  auto c = st.model.counts();
  pool_status s;
  s.name = cfg.name;
  s.provider = cfg.provider;
  s.ready = st.recovered;
  s.min = cfg.min;
  s.max = cfg.max;
  s.desired = st.model.desired();
  s.queued = c.queued;
  s.backoff = c.backoff;
  s.creating = c.creating;
  s.idle = c.idle;
  s.busy = c.busy;
  s.deleting = c.deleting;
  s.created = c.created;
  s.failed = c.failed;
  s.finished = c.finished;
  s.deleted = c.deleted;
  s.cancelled = c.cancelled;
  s.retries = st.retries;
  s.throttled = st.throttled;
  s.in_flight = static_cast<std::uint32_t>(st.tickets.size());
  s.concurrency = static_cast<std::uint32_t>(st.ctrl->limit(now));
  s.mode = mode_name(cfg);
  s.breaker = to_string(st.breaker->state(now));
  s.last_errors.assign(st.last_errors.begin(), st.last_errors.end());
  s.version = st.version;
  s.last_scale = st.op;
  return s;
}

void touch(pool_self self) {
  auto& st = self->state;
  ++st.version;
  auto s = make_status(self);
  report_progress(self, s);
  s.last_scale = st.op;
  update_metrics(self, s);
  st.polls.answer_all([&s] { return s; });
}

void add_event(pool_self self, std::string kind, std::string message) {
  auto& ev = self->state.events;
  spdlog::info("pool {}: {}: {}", self->state.ctx.config.name, kind, message);
  ev.push_back({now_ms(self), std::move(kind), std::move(message)});
  while (ev.size() > max_events) ev.pop_front();
}

void note_error(pool_self self, std::string error) {
  auto& errors = self->state.last_errors;
  errors.push_back(std::move(error));
  while (errors.size() > max_errors) errors.pop_front();
}

void init_metrics(pool_self self) {
  auto& st = self->state;
  auto* reg = st.ctx.metrics;
  if (reg == nullptr) return;
  auto& pool = st.ctx.config.name;
  auto& m = st.metrics;
  auto& runners = reg->gauge_family("troupe_fleet_runners", "Runners by pool and state",
                                    {"pool", "state"});
  for (auto* s : states) m.runners[s] = &runners.with({pool, s});
  m.creation_seconds = &reg->histogram_family("troupe_fleet_creation_duration_seconds",
                                              "Duration of successful runner creations",
                                              {"pool"}, default_duration_buckets())
                            .with({pool});
  m.creations =
      &reg->counter_family("troupe_fleet_creations_total",
                           "Runner creation calls by outcome", {"pool", "outcome"});
  m.retries = &reg->counter_family("troupe_fleet_retries_total", "Provider calls retried",
                                   {"pool"})
                   .with({pool});
  m.throttled = &reg->counter_family("troupe_fleet_throttled_total",
                                     "Provider calls answered 429 (throttled)", {"pool"})
                     .with({pool});
  m.concurrency =
      &reg->gauge_family("troupe_fleet_concurrency",
                         "Current limit on provider calls in flight", {"pool"})
           .with({pool});
  m.in_flight =
      &reg->gauge_family("troupe_fleet_inflight", "Provider calls in flight", {"pool"})
           .with({pool});
  auto& breaker = reg->gauge_family("troupe_fleet_breaker_state",
                                    "1 for the pool's current circuit breaker state",
                                    {"pool", "state"});
  for (auto* b : breaker_states) m.breaker[b] = &breaker.with({pool, b});
}

}  // namespace troupe::fleet
