#include "actors/bench/platform_actor.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <caf/all.hpp>
#include <memory>
#include <optional>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/platform_state.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/services/process/cpu_activity.hpp"
#include "runtime/services/process/host_lock.hpp"
#include "runtime/services/process/process_service.hpp"

namespace troupe::bench {

namespace {

platform_msg::step_done to_message(std::uint64_t job, std::uint32_t step,
                                   const process_result& r) {
  platform_msg::step_done m;
  m.job = job;
  m.step = step;
  m.spawn_failed = r.spawn_failed;
  m.timed_out = r.timed_out;
  m.cancelled = r.cancelled;
  m.exit_code = r.exit_code;
  m.term_signal = r.term_signal;
  m.error = r.error;
  m.out = r.out;
  m.err = r.err;
  m.out_truncated = r.out_truncated;
  m.duration_ns = r.duration.count();
  m.cpu_ns = r.cpu.count();
  return m;
}

process_result from_message(const platform_msg::step_done& m) {
  process_result r;
  r.spawn_failed = m.spawn_failed;
  r.timed_out = m.timed_out;
  r.cancelled = m.cancelled;
  r.exit_code = m.exit_code;
  r.term_signal = m.term_signal;
  r.error = m.error;
  r.out = m.out;
  r.err = m.err;
  r.out_truncated = m.out_truncated;
  r.duration = std::chrono::nanoseconds(m.duration_ns);
  r.cpu = std::chrono::nanoseconds(m.cpu_ns);
  return r;
}

void set_running(platform_self self, bool on) {
  auto& st = self->state;
  if (st.metrics.platform_running)
    st.metrics.platform_running->with({st.platform.name}).set(on ? 1 : 0);
}

constexpr auto artifact_retry = std::chrono::seconds(2);

void deliver_artifact(platform_self self);

void fail(platform_self self, const char* what, const caf::error& err) {
  spdlog::error("bench: platform {}: {}: {}", self->state.platform.name, what,
                self->system().render(err));
  self->quit(err);
}

void ask_next(platform_self self);

bench_pull_actor scheduler_of(platform_self self) {
  auto& st = self->state;
  if (st.upstream) return st.upstream->scheduler;
  return actor_directory::of(self->system()).get(scheduler_key);
}

bench_artifact_actor collector_of(platform_self self) {
  auto& st = self->state;
  if (st.upstream) return st.upstream->collector;
  return actor_directory::of(self->system()).get(collector_key);
}

void set_holding(platform_self self, bool on) {
  auto& st = self->state;
  if (st.holding->exchange(on) == on || !st.upstream) return;
  if (on)
    st.upstream->work->started();
  else
    st.upstream->work->finished();
}

// On a worker whose collector is gone: the artifact waits for the next one.
void keep_and_end(platform_self self, bench_artifact msg) {
  auto& st = self->state;
  spdlog::warn(
      "bench: platform {} keeps the artifact of run {} until the coordinator is back",
      st.platform.name, msg.run_id);
  st.upstream->kept->keep(std::move(msg));
  set_holding(self, false);
  self->quit();
}

// A comparison's rounds go to the scheduler, which analyses them.
void end_comparison(platform_self self) {
  auto& st = self->state;
  bench_compare_result msg{st.run_id, st.platform.name, st.comparing->finish().dump()};
  st.comparing.reset();
  set_running(self, false);
  spdlog::info("bench: platform {} finished comparison {}", st.platform.name, msg.id);
  self->request(scheduler_of(self), caf::infinite, bench_compared_atom::value,
                std::move(msg))
      .then(
          [self](bool) {
            set_holding(self, false);
            if (self->state.closing) return self->quit();
            ask_next(self);
          },
          [self](caf::error& err) { fail(self, "scheduler", err); });
}

void finish_job(platform_self self) {
  auto& st = self->state;
  if (st.comparing) return end_comparison(self);
  auto done = st.outcome->finish(to_ms(st.ctx.now()));
  st.outcome.reset();
  set_running(self, false);
  spdlog::info("bench: platform {} finished run {}: {} benchmark(s), {} failure(s)",
               st.platform.name, done.run_id, done.results.size(), done.failures.size());
  bench_artifact msg{done.run_id, st.platform.name, to_json(done).dump()};
  if (st.orphaned) return keep_and_end(self, std::move(msg));
  st.unacknowledged = std::move(msg);
  deliver_artifact(self);
}

// Sends st.unacknowledged to the collector until it is on the collector's
// disk. While the store cannot write, the artifact stays here and goes again
// every few seconds: a measurement is not thrown away for a full disk.
void deliver_artifact(platform_self self) {
  auto& st = self->state;
  // No timeout: on a worker the collector is monitored (watch_upstream).
  self->request(collector_of(self), caf::infinite, *st.unacknowledged)
      .then(
          [self](bool) {
            self->state.unacknowledged.reset();
            set_holding(self, false);
            if (self->state.closing) return self->quit();
            ask_next(self);
          },
          [self](caf::error& err) {
            if (!is(err, errc::storage_unavailable)) return fail(self, "collector", err);
            spdlog::warn("bench: platform {} keeps the artifact of run {}: {}",
                         self->state.platform.name, self->state.unacknowledged->run_id,
                         self->system().render(err));
            self->delayed_send(self, artifact_retry, platform_msg::redeliver_due{});
          });
}

// Tells the scheduler (and the metrics) whether the platform waits for its host.
void set_waiting(platform_self self, bool on) {
  auto& st = self->state;
  if (on == st.waiting_since.has_value()) return;
  if (on) {
    st.waiting_since = std::chrono::steady_clock::now();
  } else {
    auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                *st.waiting_since)
                      .count();
    st.waiting_since.reset();
    if (st.metrics.host_wait_seconds)
      st.metrics.host_wait_seconds->with({st.platform.name}).inc(waited);
  }
  if (st.metrics.platform_waiting)
    st.metrics.platform_waiting->with({st.platform.name}).set(on ? 1 : 0);
  if (auto scheduler = scheduler_of(self))
    self->send(scheduler, bench_host_atom::value, st.platform.name, on);
}

void release_lease(platform_self self) {
  auto& st = self->state;
  if (auto ticket = st.lease->exchange(0)) st.ctx.lock->release(ticket);
}

// Starts the step in hand. A suite's CPUs are watched while it runs (see
// measure()).
void start_step(platform_self self) {
  auto& st = self->state;
  auto index = static_cast<std::uint32_t>(st.next_step);
  auto me = caf::actor_cast<platform_impl>(self);
  auto job = st.job;
  auto running = st.running;
  bool suite = !st.steps[index].suite.empty();
  auto cpus = st.platform.cpus;
  auto before = suite ? read_cpu_ticks() : cpu_ticks{};
  auto id = st.ctx.processes->start(st.steps[index].spec, [me, job, index, running, suite,
                                                           cpus,
                                                           before](process_result r) {
    running->store(0);
    auto m = to_message(job, index, r);
    if (suite) {
      m.busy_ns =
          static_cast<std::int64_t>(busy_seconds(before, read_cpu_ticks(), cpus) * 1e9);
    }
    caf::anon_send(me, std::move(m));
  });
  std::uint64_t none = 0;
  running->compare_exchange_strong(none, id);  // unless it already ended
}

// How a suite command was measured. Foreign CPU is everything busy on its
// CPUs but itself, less the kernel's accounting resolution (a tick per CPU
// watched): what the host lock could not hold back.
artifact_measurement measure(platform_self self, const job_step& step,
                             const platform_msg::step_done& m) {
  auto& st = self->state;
  artifact_measurement out;
  out.suite = step.suite;
  out.repetition = step.repetition;
  out.seconds = static_cast<double>(m.duration_ns) / 1e9;
  out.cpu_seconds = static_cast<double>(m.cpu_ns) / 1e9;
  auto watched = st.platform.cpus.empty()
                     ? st.ctx.host.cpu_count
                     : static_cast<std::uint32_t>(st.platform.cpus.size());
  double resolution = cpu_tick_seconds() * std::max<std::uint32_t>(1, watched);
  out.foreign_cpu_seconds =
      std::max(0.0, static_cast<double>(m.busy_ns) / 1e9 - out.cpu_seconds - resolution);
  out.attempts = st.attempt;
  return out;
}

// True when a suite command that succeeded was disturbed and may be
// measured again (isolation "host" only: "off" measures whatever runs).
bool measure_again(platform_self self, const artifact_measurement& m,
                   const platform_msg::step_done& r) {
  auto& st = self->state;
  if (st.ctx.settings.isolation == "off") return false;
  bool disturbed = m.disturbance() > st.ctx.settings.max_disturbance;
  if (st.metrics.foreign_cpu_seconds)
    st.metrics.foreign_cpu_seconds->with({st.platform.name}).inc(m.foreign_cpu_seconds);
  bool again = disturbed && r.exit_code == 0 && r.term_signal == 0 && !r.timed_out &&
               st.attempt <= st.ctx.settings.disturbance_retries;
  if (st.metrics.measurements) {
    auto outcome = !disturbed ? "quiet" : again ? "repeated" : "disturbed";
    st.metrics.measurements->with({st.platform.name, outcome}).inc();
  }
  if (disturbed) {
    spdlog::warn(
        "bench: platform {} {} {} suite {} #{}: disturbed: others used {:.2f} CPUs "
        "beside it (max-disturbance {}){}",
        st.platform.name, st.comparing ? "comparison" : "run", st.run_id, m.suite,
        m.repetition, m.disturbance(), st.ctx.settings.max_disturbance,
        again ? "; measuring again" : "; kept: no retries left");
  }
  return again;
}

// Takes the step's lease of the host (a build shares it, a suite measures
// alone), then starts it; without isolation it starts at once.
void run_step(platform_self self) {
  auto& st = self->state;
  if (st.next_step >= st.steps.size()) return finish_job(self);
  if (st.ctx.lock == nullptr || st.ctx.settings.isolation == "off")
    return start_step(self);
  auto& step = st.steps[st.next_step];
  auto holder = "bench platform " + st.platform.name + ": " +
                (st.comparing ? "comparison " : "run ") + std::to_string(st.run_id) +
                " " + (step.suite.empty() ? "build" : "suite " + step.suite);
  auto me = caf::actor_cast<platform_impl>(self);
  auto job = st.job;
  auto index = static_cast<std::uint32_t>(st.next_step);
  // 0: acquire() has not returned; 1: it has (a grant is a message);
  // 2: granted before it returned (the step starts here).
  auto phase = std::make_shared<std::atomic<int>>(0);
  auto ticket =
      st.ctx.lock->acquire(step.use, std::move(holder), [me, job, index, phase] {
        int before = 0;
        if (!phase->compare_exchange_strong(before, 2))
          caf::anon_send(me, platform_msg::lease_granted{job, index});
      });
  st.lease->store(ticket);
  int before = 0;
  if (!phase->compare_exchange_strong(before, 1)) return start_step(self);
  set_waiting(self, true);
}

void start_job(platform_self self, const bench_job& job) {
  auto& st = self->state;
  artifact header;
  header.run_id = job.run_id;
  header.platform = st.platform.name;
  header.branch = job.branch;
  header.commit = job.sha;
  header.reason = to_string(job.reason);
  header.commit_range = job.commit_range;
  header.skipped_before = job.skipped_before;
  header.host = st.ctx.host;
  header.started_ms = to_ms(st.ctx.now());
  ++st.job;
  st.attempt = 1;
  st.run_id = job.run_id;
  set_holding(self, true);
  st.next_step = 0;
  if (job.rounds > 0) {
    st.steps = plan_compare(st.platform, st.ctx.settings, header, job.base, job.rounds);
    st.comparing.emplace(st.platform.name, job.base, job.sha, job.rounds);
    spdlog::info("bench: platform {} compares {} with {} ({} rounds, {} command(s))",
                 st.platform.name, job.sha, job.base, job.rounds, st.steps.size());
  } else {
    st.steps = plan_job(st.platform, st.ctx.settings, header);
    st.outcome.emplace(std::move(header));
    spdlog::info("bench: platform {} runs run {} ({} on {}, {} command(s))",
                 st.platform.name, job.run_id, job.sha, job.branch, st.steps.size());
  }
  set_running(self, true);
  run_step(self);
}

void ask_next(platform_self self) {
  auto& st = self->state;
  self->request(scheduler_of(self), caf::infinite, bench_next_atom::value,
                st.platform.name, st.ctx.host.hostname)
      .then([self](bench_job& job) { start_job(self, job); },
            [self](caf::error& err) { fail(self, "scheduler", err); });
}

// On a worker: end with the coordinator's actors (see platform_actor.hpp).
void watch_upstream(platform_self self) {
  auto& up = *self->state.upstream;
  self->monitor(up.scheduler);
  self->monitor(up.collector);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    bool collector = dm.source == st.upstream->collector.address();
    spdlog::warn(
        "bench: platform {}: the coordinator's {} ended ({}){}", st.platform.name,
        collector ? "collector" : "scheduler", self->system().render(dm.reason),
        st.holding->load() ? "; finishing run " + std::to_string(st.run_id) + " first"
                           : "");
    if (!st.holding->load()) return self->quit();
    st.closing = true;
    if (!collector) return;
    st.orphaned = true;
    // Sent but not acknowledged: the collector may never have it.
    if (st.unacknowledged) keep_and_end(self, std::move(*st.unacknowledged));
  });
  auto work = up.work;
  self->attach_functor([work, holding = self->state.holding](const caf::error&) {
    if (holding->load()) work->abandoned();
  });
}

platform_impl::behavior_type platform_behavior(
    platform_self self, bench_context ctx, platform_config platform,
    std::optional<platform_upstream> upstream) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.platform = std::move(platform);
  st.metrics = bench_metrics::make(st.ctx.metrics);
  st.upstream = std::move(upstream);
  auto* processes = st.ctx.processes;
  self->attach_functor([processes, running = st.running, lock = st.ctx.lock,
                        lease = st.lease](const caf::error&) {
    if (auto id = running->load()) processes->terminate(id);
    if (auto ticket = lease->exchange(0)) lock->release(ticket);
  });
  if (st.upstream) watch_upstream(self);
  ask_next(self);
  return {
      [self](platform_msg::redeliver_due) {
        if (self->state.unacknowledged) deliver_artifact(self);
      },
      [self](platform_msg::lease_granted m) {
        auto& st = self->state;
        if (m.job != st.job || !(st.outcome || st.comparing) || m.step != st.next_step)
          return;
        set_waiting(self, false);
        start_step(self);
      },
      [self](platform_msg::step_done& m) {
        auto& st = self->state;
        if (m.job != st.job || !(st.outcome || st.comparing) || m.step != st.next_step)
          return;
        auto& step = st.steps[m.step];
        if (!step.suite.empty()) {
          auto measured = measure(self, step, m);
          if (measure_again(self, measured, m)) {
            ++st.attempt;
            return start_step(self);  // the lease is still held
          }
          if (st.outcome) st.outcome->measured(std::move(measured));
        }
        st.attempt = 1;
        ++st.next_step;
        auto r = from_message(m);
        bool go_on = st.comparing ? st.comparing->record(step, r)
                                  : st.outcome->record(step, r);  // parses
        release_lease(self);
        if (!go_on) {
          spdlog::warn("bench: platform {} {} {}: the build failed", st.platform.name,
                       st.comparing ? "comparison" : "run", st.run_id);
          for (; st.next_step < st.steps.size(); ++st.next_step) {
            if (st.comparing)
              st.comparing->skip(st.steps[st.next_step]);
            else
              st.outcome->skip(st.steps[st.next_step]);
          }
        }
        run_step(self);
      },
  };
}

}  // namespace

void kept_artifacts::keep(bench_artifact a) {
  std::lock_guard<std::mutex> guard{mu_};
  artifacts_.push_back(std::move(a));
  if (artifacts_.size() > 64) artifacts_.erase(artifacts_.begin());
}

std::vector<bench_artifact> kept_artifacts::take() {
  std::lock_guard<std::mutex> guard{mu_};
  return std::exchange(artifacts_, {});
}

void kept_artifacts::give_back(std::vector<bench_artifact> undelivered) {
  for (auto& a : undelivered) keep(std::move(a));
}

caf::actor spawn_platform(caf::actor_system& sys, const bench_context& ctx,
                          const platform_config& platform) {
  return caf::actor_cast<caf::actor>(
      sys.spawn(platform_behavior, ctx, platform, std::optional<platform_upstream>{}));
}

caf::actor spawn_remote_platform(caf::actor_system& sys, const bench_context& ctx,
                                 const platform_config& platform,
                                 platform_upstream upstream) {
  return caf::actor_cast<caf::actor>(
      sys.spawn(platform_behavior, ctx, platform,
                std::optional<platform_upstream>{std::move(upstream)}));
}

}  // namespace troupe::bench
