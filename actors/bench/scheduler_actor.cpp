#include <spdlog/spdlog.h>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/scheduler_state.hpp"
#include "messages/errors.hpp"

namespace troupe::bench {

namespace {

// Why new work is refused now: still restoring, or past the intake bound.
std::optional<caf::error> refusal(scheduler_self self) {
  auto& st = self->state;
  if (!st.windows) return make_error(errc::shutting_down, "bench is starting (restoring its state)");
  auto load = st.windows->queue_depth() + st.unsaved;
  if (load >= st.ctx.settings.intake_queue)
    return make_error(errc::queue_full, "bench intake is full: " + std::to_string(st.windows->queue_depth()) +
                                            " runs queued, " + std::to_string(st.unsaved) +
                                            " commits being saved (intake-queue " +
                                            std::to_string(st.ctx.settings.intake_queue) + ")");
  return std::nullopt;
}

caf::result<bench_intake> submit(scheduler_self self, std::vector<bench_commit>& commits) {
  if (auto no = refusal(self)) return *no;
  auto& st = self->state;
  for (std::size_t i = 0; i < commits.size(); ++i)
    if (commits[i].sha.empty() || commits[i].branch.empty())
      return make_error(errc::invalid_argument, "commit " + std::to_string(i) + " needs a sha and a branch");
  bench_intake intake;
  std::vector<store_record> records;
  auto now = st.ctx.now();
  auto ms = to_ms(now);
  for (auto& c : commits) {
    if (st.windows->seen(c.sha)) {
      ++intake.duplicates;
      continue;
    }
    commit one{c.sha, c.parent, time_point(std::chrono::seconds(c.time)), c.message, c.branch};
    auto changes = st.windows->add(one, now);
    records.push_back(insert_commit(one, ms));
    append_changes(records, *changes);
    note_changes(self, *changes, &intake);
    ++intake.accepted;
  }
  st.unsaved += intake.accepted;
  intake.queue_depth = static_cast<std::uint32_t>(st.windows->queue_depth());
  auto rp = self->make_response_promise<bench_intake>();
  persist(self, std::move(records), std::make_pair(rp, intake));
  dispatch(self);
  arm_timer(self);
  return rp;
}

caf::result<bench_intake> manual(scheduler_self self, const std::string& branch, const std::string& sha) {
  // Manual runs are never dropped by sampling, but they still count against
  // the intake bound: the queue must not grow without limit.
  if (auto no = refusal(self)) return *no;
  auto& st = self->state;
  auto changes = st.windows->manual(branch, st.ctx.now(), sha);
  if (!changes) return make_error(errc::not_found, changes.error().message());
  bench_intake intake;
  std::vector<store_record> records;
  append_changes(records, *changes);
  note_changes(self, *changes, &intake);
  intake.queue_depth = static_cast<std::uint32_t>(st.windows->queue_depth());
  auto rp = self->make_response_promise<bench_intake>();
  persist(self, std::move(records), std::make_pair(rp, intake));
  dispatch(self);
  arm_timer(self);
  return rp;
}

void apply(scheduler_self self, const scheduler_changes& changes) {
  if (changes.empty()) return;
  std::vector<store_record> records;
  append_changes(records, changes);
  note_changes(self, changes, nullptr);
  persist(self, std::move(records));
  dispatch(self);
}

caf::behavior scheduler_behavior(scheduler_self self, bench_context ctx) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.metrics = bench_metrics::make(st.ctx.metrics);
  for (auto& p : st.ctx.platforms) st.platforms[p.name];
  self->set_down_handler([self](caf::down_msg& dm) {
    for (auto& [name, slot] : self->state.platforms) {
      if (slot.actor != dm.source) continue;
      slot.down = true;
      slot.waiting.reset();
      slot.actor = nullptr;
    }
  });
  self->request(st.ctx.directory->get("history"), caf::infinite, bench_load_atom::value)
      .then([self](bench_snapshot& snap) { restore(self, snap); },
            [self](caf::error& err) {
              spdlog::error("bench: cannot restore the scheduler: {}", self->system().render(err));
              self->quit(err);
            });
  if (st.ctx.settings.scheduled_interval.count() > 0)
    self->delayed_send(self, st.ctx.settings.scheduled_interval, bench_scheduled_atom::value);
  return {
      [self](bench_submit_atom, std::vector<bench_commit>& commits) { return submit(self, commits); },
      [self](bench_manual_atom, std::string& branch, std::string& sha) { return manual(self, branch, sha); },
      [self](status_atom) { return make_status(self); },
      [self](bench_next_atom, std::string& platform, std::string& host) -> caf::result<bench_job> {
        auto& st = self->state;
        auto i = st.platforms.find(platform);
        if (i == st.platforms.end()) return make_error(errc::not_found, "no platform named '" + platform + "'");
        auto& slot = i->second;
        auto rp = self->make_response_promise<bench_job>();
        slot.waiting = rp;
        slot.current_run = 0;
        slot.host = host;
        slot.last_seen = now_ms(self) / 1000;
        slot.down = false;
        auto sender = self->current_sender();
        if (sender && slot.actor != caf::actor_cast<caf::actor_addr>(sender)) {
          slot.actor = caf::actor_cast<caf::actor_addr>(sender);
          self->monitor(sender);
        }
        dispatch(self);
        return rp;
      },
      [self](bench_appended_atom, std::uint64_t run) {
        if (!self->state.windows) self->state.appended_early.insert(run);
        auto& active = self->state.active;
        active.erase(std::remove_if(active.begin(), active.end(),
                                    [run](const active_run& a) { return a.job.run_id == run; }),
                     active.end());
        dispatch(self);
      },
      [self](bench_tick_atom) {
        auto& st = self->state;
        st.timer_at.reset();
        if (!st.windows) return;
        apply(self, st.windows->advance(st.ctx.now()));
        arm_timer(self);
      },
      [self](bench_scheduled_atom) {
        auto& st = self->state;
        self->delayed_send(self, st.ctx.settings.scheduled_interval, bench_scheduled_atom::value);
        if (!st.windows) return;
        apply(self, st.windows->scheduled(st.ctx.now()));
        arm_timer(self);
      },
      [self](bench_saved_atom, std::uint64_t id, bool ok) {
        auto& st = self->state;
        auto i = st.saving.find(id);
        if (i == st.saving.end()) return;
        auto answer = std::move(i->second);
        st.saving.erase(i);
        if (!ok) {
          spdlog::error("bench: a scheduler write failed; restarting from the store");
          return self->quit(make_error(errc::shutting_down, "bench store write failed"));
        }
        if (answer) {
          st.unsaved -= std::min<std::size_t>(st.unsaved, answer->second.accepted);
          answer->first.deliver(answer->second);
        }
      },
  };
}

}  // namespace

caf::actor spawn_scheduler(caf::actor_system& sys, bench_context ctx) {
  auto* directory = ctx.directory;
  auto handle = sys.spawn(scheduler_behavior, std::move(ctx));
  directory->put("scheduler", handle);
  return handle;
}

}  // namespace troupe::bench
