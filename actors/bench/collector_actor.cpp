#include "actors/bench/collector_actor.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/collector_alerts.hpp"
#include "actors/bench/collector_state.hpp"
#include "actors/bench/placement.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::bench {

namespace {

void appended(collector_self self, std::uint64_t run,
              std::chrono::steady_clock::time_point started, const caf::error& err);
void saved(collector_self self, bench_artifact& msg,
           caf::typed_response_promise<bool>& answer, const caf::error& err);

void watch(collector_self self, std::uint64_t run) {
  auto& st = self->state;
  if (st.runs.count(run)) return;
  st.runs[run];
  self->delayed_send(self, st.ctx.settings.collector_deadline,
                     collector_msg::deadline_due{run});
}

void append(collector_self self, std::uint64_t run, bool deadline) {
  auto& st = self->state;
  auto i = st.runs.find(run);
  if (i == st.runs.end() || i->second.appending) return;
  auto& c = i->second;
  std::vector<artifact> artifacts;
  std::vector<run_gap> gaps;
  for (auto& p : st.ctx.platforms) {
    auto a = c.artifacts.find(p.name);
    if (a != c.artifacts.end()) {
      if (a->second.results.empty())
        gaps.push_back({p.name, "failed",
                        a->second.failures.empty()
                            ? "no results"
                            : a->second.failures.front().step + ": " +
                                  a->second.failures.front().message});
      artifacts.push_back(a->second);
    } else if (auto bad = c.invalid.find(p.name); bad != c.invalid.end()) {
      gaps.push_back({p.name, "invalid", bad->second});
    } else {
      gaps.push_back({p.name, "deadline", "no artifact within collector-deadline"});
    }
  }
  auto missing = std::count_if(gaps.begin(), gaps.end(),
                               [](const run_gap& g) { return g.reason == "deadline"; });
  if (!deadline && missing > 0) return;
  c.appending = true;
  for (auto& g : gaps)
    if (g.reason == "deadline")
      spdlog::warn("bench: run {} appended without platform {} (deadline)", run,
                   g.platform);
  auto records = append_run(run, artifacts, gaps, to_ms(st.ctx.now()),
                            st.ctx.settings.retention_runs);
  auto me = caf::actor_cast<collector_impl>(self);
  auto started = std::chrono::steady_clock::now();
  st.writes.write(
      st.ctx.db, me, std::move(records), "bench append",
      [self, run, started](const caf::error& err) { appended(self, run, started, err); });
}

// Run `run`'s append is durable, or failed with `err`.
void appended(collector_self self, std::uint64_t run,
              std::chrono::steady_clock::time_point started, const caf::error& err) {
  auto& st = self->state;
  if (auto* histogram = st.metrics.append_seconds)
    histogram->observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
            .count());
  if (err) {
    // The restart finds the run's artifacts in the store and appends again.
    spdlog::error("bench: append of run {}: {}", run, self->system().render(err));
    return self->quit(err);
  }
  st.runs.erase(run);
  st.metrics.run_event("appended");
  spdlog::info("bench: run {} appended to history", run);
  if (auto scheduler = actor_directory::of(self->system()).get(scheduler_key))
    self->send(scheduler, bench_appended_atom::value, run);
  after_append(self, st.ctx, run);
}

void on_saved(collector_self self, bench_artifact& msg) {
  auto& st = self->state;
  auto i = st.runs.find(msg.run_id);
  if (i == st.runs.end() || i->second.appending) {
    spdlog::info("bench: late artifact of run {} from {} kept, not appended", msg.run_id,
                 msg.platform);
    if (st.metrics.artifacts) st.metrics.artifacts->with({msg.platform, "late"}).inc();
    return;
  }
  auto parsed =
      parse_artifact(msg.document, "artifact of run " + std::to_string(msg.run_id) +
                                       " from " + msg.platform);
  if (!parsed || parsed->run_id != msg.run_id || parsed->platform != msg.platform) {
    auto why = parsed ? std::string("run or platform does not match its message")
                      : parsed.error().message();
    spdlog::error("bench: {}", why);
    i->second.invalid[msg.platform] = why;
  } else {
    if (st.metrics.artifacts)
      st.metrics.artifacts
          ->with({msg.platform, parsed->results.empty() ? "failed" : "ok"})
          .inc();
    i->second.artifacts[msg.platform] = std::move(*parsed);
  }
  append(self, msg.run_id, false);
}

void receive(collector_self self, bench_artifact msg,
             caf::typed_response_promise<bool> answer) {
  auto& st = self->state;
  auto me = caf::actor_cast<collector_impl>(self);
  auto record =
      insert_artifact(msg.run_id, msg.platform, msg.document, to_ms(st.ctx.now()));
  st.writes.write(st.ctx.db, me, {std::move(record)}, "artifact not saved",
                  [self, answer, msg = std::move(msg)](const caf::error& err) mutable {
                    saved(self, msg, answer, err);
                  });
}

// The platform's answer: only a durable artifact lets it move on.
void saved(collector_self self, bench_artifact& msg,
           caf::typed_response_promise<bool>& answer, const caf::error& err) {
  if (err) {
    answer.deliver(err);
    return;
  }
  // The scheduler learns first, so that it does not hand this platform the
  // run again (an artifact kept through a coordinator restart).
  if (auto scheduler = actor_directory::of(self->system()).get(scheduler_key))
    self->send(scheduler, bench_received_atom::value, msg.run_id, msg.platform);
  answer.deliver(true);
  on_saved(self, msg);
}

void on_restore(collector_self self, bench_snapshot& snap) {
  auto& st = self->state;
  st.restored = true;
  for (auto& r : snap.runs)
    if (r.state == bench_run_state::running) watch(self, r.job.run_id);
  for (auto& a : snap.artifacts) on_saved(self, a);
  for (auto& job : st.held_dispatches) watch(self, job.run_id);
  for (auto& h : st.held_artifacts) receive(self, std::move(h.msg), std::move(h.answer));
  st.held_dispatches.clear();
  st.held_artifacts.clear();
  for (auto& [run, c] : st.runs) append(self, run, false);
}

collector_impl::behavior_type collector_behavior(collector_self self, bench_context ctx) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.metrics = bench_metrics::make(st.ctx.metrics);
  self->request(actor_directory::of(self->system()).get(history_key), caf::infinite,
                bench_load_atom::value)
      .then([self](bench_snapshot& snap) { on_restore(self, snap); },
            [self](caf::error& err) {
              spdlog::error("bench: cannot restore the collector: {}",
                            self->system().render(err));
              self->quit(err);
            });
  // Everything but artifacts (bench_artifact_actor) comes from this node's
  // actors only: a member's handle can be cast to the whole collector.
  auto local = [self] { return from_this_node(self->current_sender(), self->node()); };
  return {
      [self, local](bench_dispatched_atom, bench_job& job, std::vector<std::string>&) {
        if (!local()) return;
        if (!self->state.restored) return self->state.held_dispatches.push_back(job);
        watch(self, job.run_id);
      },
      [self](bench_artifact& msg) -> caf::result<bool> {
        auto& st = self->state;
        auto sender = self->current_sender();
        auto no = sender ? placement_refusal(st.ctx.members, sender->node(), self->node(),
                                             st.ctx.platforms, msg.platform)
                         : make_error(errc::not_a_member, "an anonymous artifact");
        if (no) {
          spdlog::warn("bench: refused an artifact of run {} for platform {}: {}",
                       msg.run_id, msg.platform, self->system().render(no));
          return no;
        }
        auto rp = self->make_response_promise<bool>();
        if (!self->state.restored)
          self->state.held_artifacts.push_back({std::move(msg), rp});
        else
          receive(self, std::move(msg), rp);
        return rp;
      },
      [self](durable_written& m) { self->state.writes.done(m); },
      [self](collector_msg::deadline_due m) { append(self, m.run, true); },
  };
}

}  // namespace

bench_collector_actor spawn_collector(caf::actor_system& sys, bench_context ctx) {
  auto scope = ctx.scope;
  bench_collector_actor handle = sys.spawn(collector_behavior, std::move(ctx));
  actor_directory::of(sys).put(collector_key, handle, scope);
  return handle;
}

}  // namespace troupe::bench
