// The scheduler actor's restore, persistence, dispatch and status.
#include <spdlog/spdlog.h>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/scheduler_state.hpp"
#include "messages/errors.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::bench {

namespace {

constexpr std::size_t recent_skips = 100;

// windows' reasons on the wire and back (a comparison is no planned run).
bench_run_reason to_message(run_reason r) {
  switch (r) {
    case run_reason::push:
      return bench_run_reason::push;
    case run_reason::scheduled:
      return bench_run_reason::scheduled;
    case run_reason::manual:
      return bench_run_reason::manual;
    case run_reason::tagged:
      return bench_run_reason::tagged;
  }
  return bench_run_reason::push;
}

bench_skip_reason to_message(skip_reason r) {
  switch (r) {
    case skip_reason::sampled_out:
      break;
  }
  return bench_skip_reason::sampled_out;
}

run_reason reason_of(bench_run_reason r) {
  switch (r) {
    case bench_run_reason::scheduled:
      return run_reason::scheduled;
    case bench_run_reason::manual:
      return run_reason::manual;
    case bench_run_reason::tagged:
      return run_reason::tagged;
    case bench_run_reason::push:
    case bench_run_reason::compare:
      break;
  }
  return run_reason::push;
}

bench_job job_of(const planned_run& r) {
  bench_job job;
  job.run_id = r.id;
  job.branch = r.branch;
  job.sha = r.sha;
  job.reason = to_message(r.reason);
  job.commit_range = r.commit_range;
  job.skipped_before = r.skipped_before;
  job.created_ms = to_ms(r.created);
  return job;
}

void update_gauges(scheduler_self self) {
  auto& st = self->state;
  if (!st.windows || st.metrics.queue_depth == nullptr) return;
  st.metrics.queue_depth->set(static_cast<double>(st.windows->queue_depth()));
  auto c = st.windows->coverage();
  st.metrics.commits->with({"covered"}).set(static_cast<double>(c.covered));
  st.metrics.commits->with({"skipped"}).set(static_cast<double>(c.skipped));
  st.metrics.commits->with({"pending"}).set(static_cast<double>(c.pending));
}

}  // namespace

std::int64_t now_ms(scheduler_self self) {
  return to_ms(self->state.ctx.now());
}

void restore(scheduler_self self, bench_snapshot& snap) {
  auto& st = self->state;
  scheduler_snapshot s;
  for (auto& c : snap.commits) s.commits.emplace_back(c.sha, c.branch);
  for (auto& r : snap.runs) {
    planned_run p;
    p.id = r.job.run_id;
    p.branch = r.job.branch;
    p.sha = r.job.sha;
    p.reason = reason_of(r.job.reason);
    p.commit_range = r.job.commit_range;
    p.skipped_before = r.job.skipped_before;
    p.created = from_ms(r.job.created_ms);
    p.queue_depth = r.queue_depth;
    s.runs.push_back(std::move(p));
    if (r.state == bench_run_state::queued) s.queued.push_back(r.job.run_id);
  }
  for (auto& sk : snap.skipped) s.skipped.push_back(sk.sha);
  for (auto& w : snap.windows)
    s.windows.push_back(
        {w.branch, true, w.widened, from_ms(w.opened_ms), from_ms(w.closes_ms)});
  s.next_id = snap.next_id;
  auto restored = window_scheduler::restore(window_options_of(st.ctx.settings), s);
  if (!restored) {
    spdlog::error("bench: {}", restored.error().message());
    return self->quit(make_error(errc::invalid_argument, restored.error().message()));
  }
  st.windows.emplace(std::move(*restored));
  restore_compares(self, snap);
  for (auto& r : snap.runs) {
    if (r.state != bench_run_state::running || st.appended_early.count(r.job.run_id))
      continue;
    active_run a{r.job, {}};
    for (auto& art : snap.artifacts)
      if (art.run_id == r.job.run_id) a.started.insert(art.platform);
    if (auto early = st.received_early.find(r.job.run_id);
        early != st.received_early.end())
      a.started.insert(early->second.begin(), early->second.end());
    st.active.push_back(std::move(a));
  }
  st.received_early.clear();
  auto first = snap.skipped.size() > recent_skips ? snap.skipped.end() - recent_skips
                                                  : snap.skipped.begin();
  st.recent_skipped.assign(first, snap.skipped.end());
  auto c = st.windows->coverage();
  spdlog::info(
      "bench: restored {} commits ({} pending, {} skipped), {} runs queued, {} "
      "dispatched",
      c.seen, c.pending, c.skipped, st.windows->queue_depth(), st.active.size());
  update_gauges(self);
  // Up now: whoever waits for bench (ask_when_up) asks again.
  actor_directory::of(self->system())
      .put(scheduler_key, caf::actor_cast<bench_scheduler_actor>(self), st.ctx.scope);
  dispatch(self);
  arm_timer(self);
}

void persist(scheduler_self self, std::vector<store_record> records,
             scheduler_state::on_saved done) {
  auto& st = self->state;
  append_windows(records, st.windows->windows());
  auto me = caf::actor_cast<scheduler_impl>(self);
  st.writes.write(st.ctx.db, me, std::move(records), "bench store write",
                  std::move(done));
  update_gauges(self);
}

void note_changes(scheduler_self self, const scheduler_changes& changes,
                  bench_intake* intake) {
  auto& st = self->state;
  st.metrics.run_event("created", static_cast<double>(changes.created.size()));
  st.metrics.run_event("dropped", static_cast<double>(changes.dropped.size()));
  for (auto& r : changes.created) {
    if (intake) intake->runs.push_back(r.id);
    spdlog::info(
        "bench: run {} of {} on {} ({}): {} commit(s){}", r.id, r.sha, r.branch,
        run_reason_name(r.reason), r.commit_range.size(),
        r.skipped_before.empty()
            ? ""
            : ", " + std::to_string(r.skipped_before.size()) + " skipped before");
  }
  for (auto& s : changes.skipped) {
    spdlog::info(
        "bench: skipped {} on {} ({}, queue depth {}, run {} superseded by run {})",
        s.sha, s.branch, skip_reason_name(s.reason), s.queue_depth, s.dropped_run,
        s.superseded_by);
    st.recent_skipped.push_back({s.sha, s.branch, to_message(s.reason),
                                 static_cast<std::uint32_t>(s.queue_depth), to_ms(s.at),
                                 s.dropped_run, s.superseded_by});
    if (st.recent_skipped.size() > recent_skips) st.recent_skipped.pop_front();
  }
}

static void hand_out(scheduler_self self);

void dispatch(scheduler_self self) {
  hand_out(self);
  status_changed(self);
}

void status_changed(scheduler_self self) {
  auto& st = self->state;
  ++st.version;
  st.polls.answer_all([self] { return make_status(self); });
}

static void hand_out(scheduler_self self) {
  auto& st = self->state;
  if (!st.windows) return;
  for (auto& [name, slot] : st.platforms) {
    if (!slot.waiting || dispatch_compare(self, name, slot)) continue;
    active_run* pick = nullptr;
    for (auto& a : st.active)
      if (a.started.count(name) == 0) {
        pick = &a;
        break;
      }
    if (pick == nullptr && st.active.size() < max_active_runs) {
      auto run = st.windows->take();
      if (!run) continue;
      st.active.push_back({job_of(*run), {}});
      pick = &st.active.back();
      persist(self, {mark_running(run->id, now_ms(self))});
      st.metrics.run_event("dispatched");
      std::vector<std::string> names;
      for (auto& p : st.ctx.platforms) names.push_back(p.name);
      if (auto collector = actor_directory::of(self->system()).get(collector_key))
        self->send(collector, bench_dispatched_atom::value, pick->job, std::move(names));
    }
    if (pick == nullptr) continue;
    pick->started.insert(name);
    slot.current_run = pick->job.run_id;
    slot.comparing = false;
    auto rp = std::move(*slot.waiting);
    slot.waiting.reset();
    rp.deliver(pick->job);
  }
}

void arm_timer(scheduler_self self) {
  auto& st = self->state;
  if (!st.windows) return;
  auto next = st.windows->next_deadline();
  if (!next || (st.timer_at && *st.timer_at <= *next)) return;
  st.timer_at = *next;
  auto wait = *next - st.ctx.now();
  if (wait.count() < 0) wait = wait.zero();
  self->delayed_send(self, std::chrono::duration_cast<std::chrono::nanoseconds>(wait),
                     scheduler_msg::window_due{});
}

bench_status make_status(scheduler_self self) {
  auto& st = self->state;
  bench_status s;
  s.version = st.version;
  s.ready = st.windows.has_value();
  if (st.windows) {
    s.queue_depth = static_cast<std::uint32_t>(st.windows->queue_depth());
    auto c = st.windows->coverage();
    s.seen = c.seen;
    s.benchmarked = c.benchmarked;
    s.covered = c.covered;
    s.skipped = c.skipped;
    s.pending = c.pending;
  }
  for (auto& a : st.active) s.active_runs.push_back(a.job.run_id);
  auto now = std::chrono::steady_clock::now();
  for (auto& [name, slot] : st.platforms) {
    auto state = slot.down            ? bench_platform_phase::down
                 : slot.waiting       ? bench_platform_phase::idle
                 : slot.waiting_since ? bench_platform_phase::waiting_for_host
                                      : bench_platform_phase::running;
    auto waited =
        slot.host_wait + (slot.waiting_since ? now - *slot.waiting_since : now - now);
    s.platforms.push_back(
        {name, state, slot.waiting || slot.down ? 0 : slot.current_run, slot.host,
         slot.last_seen,
         std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()});
  }
  s.recent_skipped.assign(st.recent_skipped.begin(), st.recent_skipped.end());
  return s;
}

}  // namespace troupe::bench
