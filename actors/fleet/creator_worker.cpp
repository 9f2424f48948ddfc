#include "actors/fleet/creator_worker.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "messages/errors.hpp"

namespace troupe::fleet {

namespace {

// Internal messages (not in the type registry: no other node can send one).
// The provider answered call `serial`.
struct call_done {
  std::uint64_t serial = 0;
  fleet_job_result result;
};
// Call `serial` outlasted its timeout.
struct call_expired {
  std::uint64_t serial = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_done& x) {
  return f(caf::meta::type_name("creator::call_done"), x.serial, x.result);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_expired& x) {
  return f(caf::meta::type_name("creator::call_expired"), x.serial);
}

using creator_impl =
    creator_actor::extend<caf::reacts_to<call_done>, caf::reacts_to<call_expired>>;

constexpr auto enlist_timeout = std::chrono::seconds(10);

// A remote worker joins its pool before pulling, and ends with it.
void enlist(creator_impl::pointer self, const worker_context& ctx) {
  self->monitor(ctx.pool);
  self->set_down_handler([self, pool = ctx.pool](caf::down_msg& dm) {
    if (dm.source == pool.address()) self->quit();  // its job's result has no taker
  });
  self->request(ctx.pool, enlist_timeout, enlist_atom::value)
      .then([self, pool = ctx.pool](bool) { self->send(pool, ready_atom::value); },
            [self, name = ctx.pool_name](caf::error& err) {
              spdlog::warn("fleet: pool {} refused this node's creator: {}", name,
                           is(err, errc::not_a_member) ? error_context(err)
                                                       : self->system().render(err));
              self->quit();
            });
}

}  // namespace

fleet_job_result to_result(const fleet_job& job, const call_report& report,
                           std::chrono::nanoseconds latency) {
  fleet_job_result r;
  r.job = job;
  r.transport = report.transport;
  r.http_status = report.http_status;
  r.retry_after = report.retry_after;
  r.status_reason = report.status_reason;
  r.status_message = report.status_message;
  r.status_retry_after_seconds = report.status_retry_after_seconds.value_or(-1);
  r.latency_ns = latency.count();
  return r;
}

call_report to_report(const fleet_job_result& r) {
  call_report report;
  report.transport = r.transport;
  report.http_status = r.http_status;
  report.retry_after = r.retry_after;
  report.status_reason = r.status_reason;
  report.status_message = r.status_message;
  if (r.status_retry_after_seconds >= 0)
    report.status_retry_after_seconds = r.status_retry_after_seconds;
  return report;
}

namespace {

creator_impl::behavior_type creator_worker(creator_impl::pointer self,
                                           worker_context ctx) {
  // The job in flight; `serial` tells a late answer (after a timeout) apart.
  struct current {
    fleet_job job;
    std::chrono::steady_clock::time_point started;
    std::uint64_t serial = 0;
    bool busy = false;
  };
  auto cur = std::make_shared<current>();
  if (ctx.remote)
    enlist(self, ctx);
  else
    self->send(ctx.pool, ready_atom::value);
  if (ctx.work)  // a job in hand when the worker ends is given up, not completed
    self->attach_functor([cur, work = ctx.work] {
      if (cur->busy) work->abandoned();
    });
  // Ends the job in hand: answers the pool, and counts it for heartbeats.
  auto finish = [self, cur, ctx](fleet_job_result result) {
    cur->busy = false;
    if (ctx.work) ctx.work->finished();
    self->send(ctx.pool, std::move(result));
  };
  return {
      [self, cur, ctx](fleet_job& job) {
        cur->job = job;
        cur->started = std::chrono::steady_clock::now();
        cur->busy = true;
        if (ctx.work) ctx.work->started();
        auto serial = ++cur->serial;
        auto me = caf::actor_cast<creator_impl>(self);
        auto started = cur->started;
        auto done = [me, serial, job, started](call_report report) {
          auto latency = std::chrono::steady_clock::now() - started;
          caf::anon_send(me, call_done{serial, to_result(job, report, latency)});
        };
        if (job.kind == fleet_job_kind::create) {
          runner_spec spec{ctx.pool_name,  job.name,   job.slot,
                           job.generation, ctx.labels, ctx.owner};
          ctx.provider->create(spec, done);
        } else {
          ctx.provider->remove(ctx.pool_name, job.name, done);
        }
        self->delayed_send(self, ctx.timeout, call_expired{serial});
      },
      [cur, finish](call_done& m) {
        if (!cur->busy || m.serial != cur->serial) return;  // answered by the timeout
        finish(std::move(m.result));
      },
      [cur, finish](call_expired& m) {
        if (!cur->busy || m.serial != cur->serial) return;
        call_report report;
        report.transport = transport_error::timeout;
        finish(
            to_result(cur->job, report, std::chrono::steady_clock::now() - cur->started));
      },
  };
}

}  // namespace

creator_actor spawn_creator(caf::actor_system& sys, worker_context ctx) {
  return sys.spawn(creator_worker, std::move(ctx));
}

}  // namespace troupe::fleet
