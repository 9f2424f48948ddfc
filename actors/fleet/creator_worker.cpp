#include "actors/fleet/creator_worker.hpp"

#include <caf/all.hpp>

namespace troupe::fleet {

namespace {

using call_done_atom = caf::atom_constant<caf::atom("calldone")>;
using call_timeout_atom = caf::atom_constant<caf::atom("calltmo")>;

}  // namespace

fleet_job_result to_result(const fleet_job& job, const call_report& report,
                           std::chrono::nanoseconds latency) {
  fleet_job_result r;
  r.job = job;
  r.transport = static_cast<std::uint8_t>(report.transport);
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
  report.transport = static_cast<transport_error>(r.transport);
  report.http_status = r.http_status;
  report.retry_after = r.retry_after;
  report.status_reason = r.status_reason;
  report.status_message = r.status_message;
  if (r.status_retry_after_seconds >= 0)
    report.status_retry_after_seconds = r.status_retry_after_seconds;
  return report;
}

caf::behavior creator_worker(caf::event_based_actor* self, worker_context ctx) {
  // The job in flight; `serial` tells a late answer (after a timeout) apart.
  struct current {
    fleet_job job;
    std::chrono::steady_clock::time_point started;
    std::uint64_t serial = 0;
    bool busy = false;
  };
  auto cur = std::make_shared<current>();
  self->send(ctx.pool, ready_atom::value);
  return {
      [self, cur, ctx](fleet_job& job) {
        cur->job = job;
        cur->started = std::chrono::steady_clock::now();
        cur->busy = true;
        auto serial = ++cur->serial;
        caf::actor me = caf::actor_cast<caf::actor>(self);
        auto started = cur->started;
        auto done = [me, serial, job, started](call_report report) {
          auto latency = std::chrono::steady_clock::now() - started;
          caf::anon_send(me, call_done_atom::value, serial, to_result(job, report, latency));
        };
        if (job.kind == 0) {
          runner_spec spec{ctx.pool_name, job.name, job.slot, job.generation, ctx.labels,
                           ctx.owner};
          ctx.provider->create(spec, done);
        } else {
          ctx.provider->remove(ctx.pool_name, job.name, done);
        }
        self->delayed_send(self, ctx.timeout, call_timeout_atom::value, serial);
      },
      [self, cur, ctx](call_done_atom, std::uint64_t serial, fleet_job_result& result) {
        if (!cur->busy || serial != cur->serial) return;  // answered by the timeout
        cur->busy = false;
        self->send(ctx.pool, std::move(result));
      },
      [self, cur, ctx](call_timeout_atom, std::uint64_t serial) {
        if (!cur->busy || serial != cur->serial) return;
        cur->busy = false;
        call_report report;
        report.transport = transport_error::timeout;
        self->send(ctx.pool, to_result(cur->job, report, std::chrono::steady_clock::now() - cur->started));
      },
  };
}

}  // namespace troupe::fleet
