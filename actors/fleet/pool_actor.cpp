#include <spdlog/spdlog.h>

#include "actors/fleet/creator_worker.hpp"
#include "actors/fleet/pool_directory.hpp"
#include "actors/fleet/pool_state.hpp"
#include "messages/errors.hpp"

namespace troupe::fleet {

namespace {

void intent_stored(pool_self self, const creator_actor& worker, fleet_job& job, bool ok);

controller_options controller_for(const pool_config& p) {
  controller_options o;
  o.mode = p.sequential ? control_mode::sequential
           : p.adaptive ? control_mode::adaptive
                        : control_mode::fixed;
  o.max_limit = p.sequential ? 1 : p.creation_concurrency;
  o.min_limit = 1;
  o.initial_limit = std::min<std::size_t>(o.max_limit, 4);
  return o;
}

// Arms one admission timer for `at` (earlier ones win; max() = a finishing
// call will dispatch anyway).
void schedule_admit(pool_self self, clock_point at) {
  auto& st = self->state;
  if (at == clock_point::max() || at >= st.admit_at) return;
  st.admit_at = at;
  auto now = self->clock().now();
  self->delayed_send(self, at > now ? at - now : std::chrono::nanoseconds{0},
                     pool_msg::admit_due{});
}

void send_job(pool_self self, const creator_actor& worker, const pool_job& job) {
  fleet_job msg{job.kind, job.name, job.slot, job.generation, job.attempt};
  self->state.in_flight[worker.address()] = msg;
  auto& db = self->state.ctx.db;
  if (db == nullptr || job.kind != job_kind::create) {
    self->send(worker, std::move(msg));
    return;
  }
  // The intent is durable before the call: after a crash the name is known.
  persist_runner(self, job.name, "creating",
                 [self, worker, msg](const caf::error& err) mutable {
                   intent_stored(self, worker, msg, !err);
                 });
}

// The create intent for `job` is durable (`ok`) or failed: send it to
// `worker`, or hand the job back as failed.
void intent_stored(pool_self self, const creator_actor& worker, fleet_job& job, bool ok) {
  auto& in_flight = self->state.in_flight;
  if (in_flight.count(worker.address()) == 0) return;  // handed back: it went down
  if (ok) return self->send(worker, std::move(job));
  in_flight.erase(worker.address());
  // Not durable: do not call the provider; retry the job later.
  fleet_job_result r;
  r.job = job;
  r.transport = transport_error::other;
  r.status_message = "store write failed";
  on_job_result(self, worker, r);
}

}  // namespace

void dispatch(pool_self self) {
  auto& st = self->state;
  if (!st.recovered) return;
  auto now = self->clock().now();
  while (!st.idle_workers.empty() && has_assignment(self)) {
    if (!st.breaker->allow(now)) {
      auto wait = st.breaker->time_until_retry(now);
      if (wait != circuit_breaker::duration::max()) schedule_admit(self, now + wait);
      return;
    }
    auto ticket = st.ctrl->try_acquire(now);
    if (!ticket) {
      st.breaker->on_cancel();
      schedule_admit(self, st.ctrl->next_send_time(now));
      return;
    }
    auto pick = take_assignment(self);
    if (!pick) {  // the job waits for a creator on its node
      st.ctrl->on_cancel(*ticket);
      st.breaker->on_cancel();
      continue;
    }
    auto& [worker, job] = *pick;
    st.tickets[job.name] = *ticket;
    send_job(self, worker, job);
  }
}

void set_desired(pool_self self, std::uint32_t desired, const std::string& why) {
  auto& st = self->state;
  if (!st.recovered) {
    // Nothing is decided before the provider was listed: remember the demand.
    st.stored_desired = desired;
    persist_desired_value(self, desired);
    return;
  }
  auto& op = st.op;
  auto before = st.model.actual();
  op = scale_report{};
  op.id = st.version + 1;
  op.from = st.model.desired();
  op.to = desired;
  op.to_create = desired > before ? desired - before : 0;
  op.started_ms = now_ms(self);
  st.op_logged = 0;
  st.model.set_desired(desired);
  persist_desired(self);
  if (op.from != op.to)
    add_event(
        self, "scaled",
        std::to_string(op.from) + " -> " + std::to_string(op.to) + " (" + why + ")");
  if (op.from != op.to || op.to_create > 0)
    spdlog::info("pool {}: desired {} -> {} ({}); {} to create", st.ctx.config.name,
                 op.from, op.to, why, op.to_create);
  dispatch(self);
  touch(self);
}

pool_impl::behavior_type pool_behavior(pool_self self, pool_context ctx) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  auto& cfg = st.ctx.config;
  st.model = pool_model(cfg.name);
  st.ctrl = std::make_unique<concurrency_controller>(controller_for(cfg));
  breaker_options bo;
  bo.failure_threshold = static_cast<int>(st.ctx.settings.breaker_threshold);
  bo.cooldown = std::chrono::duration_cast<std::chrono::milliseconds>(
      st.ctx.settings.breaker_cooldown);
  bo.max_cooldown = std::max(bo.cooldown, std::chrono::milliseconds(60'000));
  st.breaker = std::make_unique<circuit_breaker>(bo);
  backoff_policy bp;
  bp.base =
      std::chrono::duration_cast<std::chrono::milliseconds>(st.ctx.settings.backoff_base);
  bp.cap =
      std::chrono::duration_cast<std::chrono::milliseconds>(st.ctx.settings.backoff_cap);
  bp.max_attempts = static_cast<int>(st.ctx.settings.max_attempts);
  st.retry = std::make_unique<backoff>(bp);
  init_metrics(self);
  auto me = caf::actor_cast<pool_impl>(self);
  st.ctx.provider->on_exit([me](const std::string& name, int code) {
    caf::anon_send(me, runner_exit_atom::value, name, static_cast<std::int32_t>(code));
  });
  worker_context wc{me,           st.ctx.provider,      cfg.name, cfg.labels,
                    st.ctx.owner, cfg.creation_timeout, false,    nullptr};
  auto workers = local_creator_count(cfg);
  self->set_down_handler([self](caf::down_msg& dm) { on_creator_down(self, dm); });
  for (std::size_t i = 0; i < workers; ++i) {
    st.workers.push_back(spawn_creator(self->system(), wc));
    self->link_to(st.workers.back());
  }
  start_recovery(self);
  // Only the pull side (enlist, ready, results, runner exits) may come from
  // other nodes; the rest of pool_actor answers this node's actors only.
  auto local = [self] { return from_this_node(self->current_sender(), self->node()); };
  auto not_local = [] {
    return make_error(errc::not_a_member, "only this node's actors may ask this");
  };
  return {
      [self](enlist_atom) { return on_enlist(self); },
      [self](ready_atom) {
        auto& sender = self->current_sender();
        if (!is_creator(self, sender)) return;
        self->state.idle_workers.push_back(caf::actor_cast<creator_actor>(sender));
        dispatch(self);
      },
      [self](fleet_job_result& r) {
        // Only the worker that holds the job answers it (not a stranger, not
        // a creator whose job was handed back when it went down).
        auto worker = caf::actor_cast<creator_actor>(self->current_sender());
        auto& in_flight = self->state.in_flight;
        auto i = worker ? in_flight.find(worker.address()) : in_flight.end();
        if (i == in_flight.end() || i->second.name != r.job.name) return;
        in_flight.erase(i);
        on_job_result(self, worker, r);
      },
      [self](durable_written& m) { self->state.writes.done(m); },
      [self](pool_msg::rows_read& m) { on_stored(self, m.rows, m.desired); },
      [self](pool_msg::relist_due) {
        auto& st = self->state;
        auto rows = st.stored;
        on_stored(self, rows, st.stored_desired ? std::int64_t{*st.stored_desired} : -1);
      },
      [self](pool_msg::runners_listed& m) { on_listed(self, m.ok, m.objects); },
      [self](pool_msg::admit_due) {
        self->state.admit_at = clock_point::max();
        dispatch(self);
      },
      [self](pool_msg::retry_due& m) {
        auto& name = m.name;
        auto* r = self->state.model.find(name);
        if (r == nullptr) return;
        if (r->state == runner_state::backoff)
          self->state.model.on_retry_due(name);
        else if (r->state == runner_state::deleting)
          self->state.model.on_delete_retry(name, r->last_error);
        dispatch(self);
        touch(self);
      },
      [self, local, not_local](scale_atom,
                               std::uint32_t replicas) -> caf::result<pool_status> {
        if (!local()) return not_local();
        auto& p = self->state.ctx.config;
        if (replicas < p.min || replicas > p.max)
          return make_error(errc::invalid_argument,
                            "replicas " + std::to_string(replicas) +
                                " outside [min, max] = [" + std::to_string(p.min) + ", " +
                                std::to_string(p.max) + "]");
        // The new demand is stored first and acted on once durable: a crash
        // after the answer must not forget it, and a store that cannot write
        // leaves the pool as it was (the caller gets the error).
        auto answer = self->make_response_promise<pool_status>();
        persist_desired_value(self, replicas,
                              [self, answer, replicas](const caf::error& err) mutable {
                                if (err) {
                                  answer.deliver(err);
                                  return;
                                }
                                set_desired(self, replicas, "api");
                                answer.deliver(make_status(self));
                              });
        return answer;
      },
      [self, local, not_local](status_atom) -> caf::result<pool_status> {
        if (!local()) return not_local();
        return make_status(self);
      },
      [self, local, not_local](status_atom,
                               std::uint64_t since) -> caf::result<pool_status> {
        if (!local()) return not_local();
        auto& st = self->state;
        return st.polls.answer(self, st.version, since,
                               [self] { return make_status(self); });
      },
      [self](long_polls_due& due) {
        self->state.polls.expire(due, [self] { return make_status(self); });
      },
      [self, local, not_local](events_atom) -> caf::result<std::vector<pool_event>> {
        if (!local()) return not_local();
        auto& ev = self->state.events;
        return std::vector<pool_event>(ev.begin(), ev.end());
      },
      [self](runner_exit_atom, const std::string& name, std::int32_t code) {
        auto& st = self->state;
        if (!may_report_exit(self, self->current_sender()) ||
            st.model.find(name) == nullptr)
          return;
        spdlog::info("pool {}: runner {} exited ({})", st.ctx.config.name, name, code);
        st.model.on_finished(name, false);
        forget_runner(self, name);
        settle_binding(self, name);
        dispatch(self);
        touch(self);
      },
      [self, local](job_event& ev) {
        if (!local()) return;  // not_a_member has no taker: a message, not a request
        auto& st = self->state;
        auto& p = st.ctx.config;
        if (ev.action == "queued") {
          if (st.model.desired() < p.max)
            set_desired(self, st.model.desired() + 1, "workflow_job queued");
        } else if (ev.action == "in_progress") {
          st.model.on_job_started(ev.runner_name);
          persist_runner(self, ev.runner_name, "busy");
          touch(self);
        } else if (ev.action == "completed") {
          // The runner ran its one job: it is finished; its object goes.
          bool keeps_object = p.provider != "process";
          if (st.model.find(ev.runner_name) != nullptr) {
            st.model.on_finished(ev.runner_name, keeps_object);
            if (!keeps_object) forget_runner(self, ev.runner_name);
            settle_binding(self, ev.runner_name);
          }
          if (st.model.desired() > p.min)
            set_desired(self, st.model.desired() - 1, "workflow_job completed");
          else
            dispatch(self), touch(self);
        }
      },
  };
}

pool_actor spawn_pool(caf::actor_system& sys, pool_context ctx) {
  auto name = ctx.config.name;
  auto handle = sys.spawn(pool_behavior, std::move(ctx));
  actor_directory::of(sys).put(pool_key(name), handle);  // before it first runs
  return handle;
}

}  // namespace troupe::fleet
