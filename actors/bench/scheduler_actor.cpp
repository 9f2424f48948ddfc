#include <spdlog/spdlog.h>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/placement.hpp"
#include "actors/bench/scheduler_state.hpp"
#include "messages/errors.hpp"

namespace troupe::bench {

namespace {

// Why new work is refused now: still restoring, or past the intake bound.
std::optional<caf::error> refusal(scheduler_self self) {
  auto& st = self->state;
  if (!st.windows)
    return make_error(errc::shutting_down, "bench is starting (restoring its state)");
  auto load = st.windows->queue_depth() + st.unsaved;
  if (load >= st.ctx.settings.intake_queue)
    return make_error(
        errc::queue_full,
        "bench intake is full: " + std::to_string(st.windows->queue_depth()) +
            " runs queued, " + std::to_string(st.unsaved) +
            " commits being saved (intake-queue " +
            std::to_string(st.ctx.settings.intake_queue) + ")");
  return std::nullopt;
}

// Why the current sender may not pull `platform`'s work (placement.hpp).
caf::error refused(scheduler_self self, const std::string& platform) {
  auto sender = self->current_sender();
  if (!sender) return make_error(errc::not_a_member, "an anonymous pull");
  auto why = placement_refusal(self->state.ctx.members, sender->node(), self->node(),
                               self->state.ctx.platforms, platform);
  if (why)
    spdlog::warn("bench: refused a pull of platform {}: {}", platform,
                 self->system().render(why));
  return why;
}

// A platform actor ended. A job it held is handed again to the next actor
// of that platform that pulls (a worker that died mid-job: its run is
// retried); until then, or past the collector's deadline, the run waits.
void platform_down(scheduler_self self, const std::string& name, platform_slot& slot) {
  if (!slot.waiting && slot.current_run != 0 && !slot.comparing) {
    for (auto& a : self->state.active)
      if (a.job.run_id == slot.current_run && a.started.erase(name) > 0)
        spdlog::warn(
            "bench: platform {} ended during run {}; the run is handed again to its next "
            "pull",
            name, slot.current_run);
  }
  compare_platform_down(self, name);
  slot.down = true;
  if (slot.waiting_since)
    slot.host_wait += std::chrono::steady_clock::now() - *slot.waiting_since;
  slot.waiting_since.reset();
  slot.waiting.reset();
  slot.actor = nullptr;
  slot.current_run = 0;
  if (slot.standby.empty()) return status_changed(self);
  auto next = std::move(slot.standby.front());
  slot.standby.pop_front();
  spdlog::info("bench: platform {} continues on host {}", name, next.host);
  slot.actor = next.actor;
  slot.waiting = std::move(next.answer);
  slot.host = next.host;
  slot.last_seen = now_ms(self) / 1000;
  slot.down = false;
  dispatch(self);
}

// Answers a submitter once its commits are durable.
scheduler_state::on_saved answer_when_saved(scheduler_self self,
                                            caf::typed_response_promise<bench_intake> rp,
                                            bench_intake intake) {
  return [self, rp, intake](const caf::error& err) mutable {
    auto& unsaved = self->state.unsaved;
    unsaved -= std::min<std::size_t>(unsaved, intake.accepted);
    if (err) {
      rp.deliver(err);
      return;
    }
    rp.deliver(intake);
  };
}

caf::result<bench_intake> submit(scheduler_self self,
                                 std::vector<bench_commit>& commits) {
  if (auto no = refusal(self)) return *no;
  auto& st = self->state;
  for (std::size_t i = 0; i < commits.size(); ++i)
    if (commits[i].sha.empty() || commits[i].branch.empty())
      return make_error(errc::invalid_argument,
                        "commit " + std::to_string(i) + " needs a sha and a branch");
  bench_intake intake;
  std::vector<store_record> records;
  auto now = st.ctx.now();
  auto ms = to_ms(now);
  for (auto& c : commits) {
    if (st.windows->seen(c.sha)) {
      ++intake.duplicates;
      continue;
    }
    commit one{c.sha, c.parent, time_point(std::chrono::seconds(c.time)), c.message,
               c.branch};
    auto changes = st.windows->add(one, now);
    records.push_back(insert_commit(one, ms));
    append_changes(records, *changes);
    note_changes(self, *changes, &intake);
    ++intake.accepted;
  }
  st.unsaved += intake.accepted;
  intake.queue_depth = static_cast<std::uint32_t>(st.windows->queue_depth());
  auto rp = self->make_response_promise<bench_intake>();
  persist(self, std::move(records), answer_when_saved(self, rp, intake));
  dispatch(self);
  arm_timer(self);
  return rp;
}

caf::result<bench_intake> manual(scheduler_self self, const std::string& branch,
                                 const std::string& sha) {
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
  persist(self, std::move(records), answer_when_saved(self, rp, intake));
  dispatch(self);
  arm_timer(self);
  return rp;
}

void apply_changes(scheduler_self self, const scheduler_changes& changes) {
  if (changes.empty()) return;
  std::vector<store_record> records;
  append_changes(records, changes);
  note_changes(self, changes, nullptr);
  persist(self, std::move(records));
  dispatch(self);
}

scheduler_impl::behavior_type scheduler_behavior(scheduler_self self, bench_context ctx) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.metrics = bench_metrics::make(st.ctx.metrics);
  for (auto& p : st.ctx.platforms) st.platforms[p.name];
  self->set_down_handler([self](caf::down_msg& dm) {
    for (auto& [name, slot] : self->state.platforms) {
      auto& sb = slot.standby;
      sb.erase(
          std::remove_if(sb.begin(), sb.end(),
                         [&](const standby_pull& p) { return p.actor == dm.source; }),
          sb.end());
      if (slot.actor == dm.source) platform_down(self, name, slot);
    }
  });
  self->request(actor_directory::of(self->system()).get(history_key), caf::infinite,
                bench_load_atom::value)
      .then([self](bench_snapshot& snap) { restore(self, snap); },
            [self](caf::error& err) {
              spdlog::error("bench: cannot restore the scheduler: {}",
                            self->system().render(err));
              self->quit(err);
            });
  if (st.ctx.settings.scheduled_interval.count() > 0)
    self->delayed_send(self, st.ctx.settings.scheduled_interval,
                       scheduler_msg::scheduled_due{});
  // Everything but the pull side (bench_pull_actor) comes from this node's
  // actors only: a member's handle can be cast to the whole scheduler.
  auto local = [self] { return from_this_node(self->current_sender(), self->node()); };
  auto not_local = [] {
    return make_error(errc::not_a_member, "only this node's actors may ask this");
  };
  return {
      [self, local, not_local](bench_submit_atom, std::vector<bench_commit>& commits)
          -> caf::result<bench_intake> {
        if (!local()) return not_local();
        return submit(self, commits);
      },
      [self, local, not_local](bench_manual_atom, std::string& branch,
                               std::string& sha) -> caf::result<bench_intake> {
        if (!local()) return not_local();
        return manual(self, branch, sha);
      },
      [self, local, not_local](status_atom) -> caf::result<bench_status> {
        if (!local()) return not_local();
        return make_status(self);
      },
      [self, local, not_local](status_atom,
                               std::uint64_t since) -> caf::result<bench_status> {
        if (!local()) return not_local();
        auto& st = self->state;
        return st.polls.answer(self, st.version, since,
                               [self] { return make_status(self); });
      },
      [self](long_polls_due& due) {
        self->state.polls.expire(due, [self] { return make_status(self); });
      },
      [self](bench_next_atom, std::string& platform,
             std::string& host) -> caf::result<bench_job> {
        auto& st = self->state;
        if (auto no = refused(self, platform)) return no;
        auto& slot = st.platforms[platform];
        // Before make_response_promise, which takes the sender out of the
        // current message.
        auto sender = self->current_sender();
        auto from = caf::actor_cast<caf::actor_addr>(sender);
        auto rp = self->make_response_promise<bench_job>();
        if (slot.actor && slot.actor != from) {
          // Another actor (node) runs this platform: this one stands by.
          spdlog::info("bench: a second actor of platform {} (host {}) stands by",
                       platform, host);
          slot.standby.push_back({rp, from, host});
          self->monitor(sender);
          return rp;
        }
        slot.waiting = rp;
        slot.current_run = 0;
        slot.host = host;
        slot.last_seen = now_ms(self) / 1000;
        slot.down = false;
        if (slot.actor != from) {
          slot.actor = from;
          self->monitor(sender);
        }
        dispatch(self);
        return rp;
      },
      [self](bench_host_atom, std::string& platform, bool waiting) {
        auto& st = self->state;
        auto i = st.platforms.find(platform);
        // Only the actor that runs the platform reports its waits.
        if (i == st.platforms.end() ||
            i->second.actor != caf::actor_cast<caf::actor_addr>(self->current_sender()))
          return;
        auto& slot = i->second;
        auto now = std::chrono::steady_clock::now();
        if (waiting && !slot.waiting_since) slot.waiting_since = now;
        if (!waiting && slot.waiting_since) {
          slot.host_wait += now - *slot.waiting_since;
          slot.waiting_since.reset();
        }
        status_changed(self);
      },
      [self, local, not_local](bench_compare_atom, bench_compare_request& request)
          -> caf::result<std::uint64_t> {
        if (!local()) return not_local();
        return queue_compare(self, request);
      },
      [self](bench_compared_atom, bench_compare_result& result) -> caf::result<bool> {
        if (auto no = refused(self, result.platform)) return no;
        return receive_compare(self, result);
      },
      [self](bench_platform_atom,
             std::string& platform) -> caf::result<bench_platform_def> {
        if (auto no = refused(self, platform)) return no;
        auto& st = self->state;
        for (auto& p : st.ctx.platforms)
          if (p.name == platform) return to_definition(p, st.ctx.settings);
        return make_error(errc::not_found, "no platform named '" + platform + "'");
      },
      [self, local](bench_appended_atom, std::uint64_t run) {
        if (!local()) return;  // from this node's collector only
        if (!self->state.windows) self->state.appended_early.insert(run);
        auto& active = self->state.active;
        active.erase(
            std::remove_if(active.begin(), active.end(),
                           [run](const active_run& a) { return a.job.run_id == run; }),
            active.end());
        dispatch(self);
      },
      [self, local](bench_received_atom, std::uint64_t run, const std::string& platform) {
        if (!local()) return;        // from this node's collector only
        if (!self->state.windows) {  // not restored yet
          self->state.received_early[run].insert(platform);
          return;
        }
        for (auto& a : self->state.active)
          if (a.job.run_id == run) a.started.insert(platform);
        status_changed(self);
      },
      [self](scheduler_msg::window_due) {
        auto& st = self->state;
        st.timer_at.reset();
        if (!st.windows) return;
        apply_changes(self, st.windows->advance(st.ctx.now()));
        arm_timer(self);
      },
      [self](scheduler_msg::scheduled_due) {
        auto& st = self->state;
        self->delayed_send(self, st.ctx.settings.scheduled_interval,
                           scheduler_msg::scheduled_due{});
        if (!st.windows) return;
        apply_changes(self, st.windows->scheduled(st.ctx.now()));
        arm_timer(self);
      },
      [self](scheduler_msg::compare_expired& m) { compare_deadline(self, m.id); },
      [self](durable_written& m) {
        auto err = m.err;
        auto& writes = self->state.writes;
        writes.done(m);
        if (!err) return;
        // Memory is ahead of the store now: every waiting submitter
        // learns, and the restart reloads what the store holds.
        spdlog::error("bench: a scheduler write failed ({}); restarting from the store",
                      self->system().render(err));
        writes.fail_all(err);
        self->quit(err);
      },
  };
}

}  // namespace

bench_scheduler_actor spawn_scheduler(caf::actor_system& sys, bench_context ctx) {
  auto scope = ctx.scope;
  bench_scheduler_actor handle = sys.spawn(scheduler_behavior, std::move(ctx));
  // Put now for the routes (they answer "starting"), and again, up, once
  // restored (scheduler_dispatch.cpp).
  actor_directory::of(sys).put_starting(scheduler_key, handle, scope);
  return handle;
}

}  // namespace troupe::bench
