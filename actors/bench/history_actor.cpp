#include "actors/bench/history_actor.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <caf/all.hpp>
#include <set>

#include "actors/bench/history_export.hpp"
#include "actors/bench/history_read.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/base/atomic_file.hpp"
#include "runtime/services/process/host_lock.hpp"

namespace troupe::bench {

namespace {

caf::error failed(const status& st) {
  return make_error(errc::shutting_down, st.message());
}

std::vector<std::string> platform_names(const bench_context& ctx) {
  std::vector<std::string> out;
  for (auto& p : ctx.platforms) out.push_back(p.name);
  return out;
}

// Internal message (not in the type registry, not in bench_history_actor):
// the shared lease of the host asked for is granted.
struct lease_granted {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_granted&) {
  return f(caf::meta::type_name("history::lease_granted"));
}

// The history actor's own type: its interface and its internal message.
using history_impl = bench_history_actor::extend<caf::reacts_to<lease_granted>>;

// Analysis and exports load the host: they run under a shared lease of it,
// so never while a benchmark measures there. Reads for the API do not wait.
struct history_state {
  std::shared_ptr<bench_context> ctx;
  std::vector<std::function<void()>> heavy;  // waiting for the lease
  // The lease asked for or held (0: none); shared with the exit hook.
  std::shared_ptr<std::atomic<std::uint64_t>> lease =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  std::shared_ptr<history_exporter> exporter;
  static inline const char* name = "troupe.bench.history";
};

using history_self = history_impl::stateful_pointer<history_state>;

void when_host_allows(history_self self, std::function<void()> work) {
  auto& st = self->state;
  auto* lock = st.ctx->lock;
  if (lock == nullptr) return work();
  st.heavy.push_back(std::move(work));
  if (st.lease->load() != 0) return;
  auto me = caf::actor_cast<history_impl>(self);
  // The grant may come before acquire() returns: the ticket is stored first
  // thing in the granted handler's turn, which runs after this one.
  *st.lease = lock->acquire(host_use::shared, "bench history (analysis, export)",
                            [me] { caf::anon_send(me, lease_granted{}); });
}

history_impl::behavior_type history_behavior(history_self self, bench_context ctx) {
  self->state.ctx = std::make_shared<bench_context>(std::move(ctx));
  self->state.exporter = std::make_shared<history_exporter>(self->state.ctx->history_dir);
  auto c = self->state.ctx;
  auto& db = *c->db;
  self->attach_functor([c, lease = self->state.lease](const caf::error&) {
    if (auto ticket = lease->exchange(0)) c->lock->release(ticket);
  });
  return {
      [&db](bench_load_atom) -> caf::result<bench_snapshot> {
        auto snap = load_snapshot(db);
        if (!snap) return failed(snap.error());
        return std::move(*snap);
      },
      [self, c, &db](bench_analyze_atom,
                     std::uint64_t run) -> caf::result<std::vector<bench_regression>> {
        auto rp = self->make_response_promise<std::vector<bench_regression>>();
        when_host_allows(self, [c, &db, run, rp]() mutable {
          auto steps = analyze_run(db, run, detector_options_of(c->settings));
          if (steps)
            rp.deliver(std::move(*steps));
          else
            rp.deliver(failed(steps.error()));
        });
        return rp;
      },
      [self, c, &db](bench_export_atom) {
        when_host_allows(self, [c, &db, exporter = self->state.exporter] {
          for (auto& p : c->platforms)
            if (auto st = exporter->update(db, p.name); !st)
              spdlog::error("bench: history export: {}", st.message());
        });
      },
      [self](lease_granted) {
        auto& st = self->state;
        for (auto& work : std::exchange(st.heavy, {})) work();
        st.ctx->lock->release(st.lease->exchange(0));
      },
      [&db](bench_runs_atom, std::uint64_t limit) -> caf::result<std::string> {
        auto out = runs_json(db, limit);
        if (!out) return failed(out.error());
        return out->dump();
      },
      [&db](bench_run_atom, std::uint64_t id) -> caf::result<std::string> {
        auto out = run_json(db, id);
        if (!out) return failed(out.error());
        if (!*out) return make_error(errc::not_found, "no run " + std::to_string(id));
        return (*out)->dump();
      },
      [&db](bench_compares_atom, std::uint64_t limit) -> caf::result<std::string> {
        auto out = compares_json(db, limit);
        if (!out) return failed(out.error());
        return out->dump();
      },
      [&db](bench_compare_atom, std::uint64_t id) -> caf::result<std::string> {
        auto out = compare_json(db, id);
        if (!out) return failed(out.error());
        if (!*out)
          return make_error(errc::not_found, "no comparison " + std::to_string(id));
        return (*out)->dump();
      },
      [&db](bench_regressions_atom) -> caf::result<std::string> {
        auto out = regressions_json(db);
        if (!out) return failed(out.error());
        return out->dump();
      },
      [c, &db](bench_history_atom, std::string& platform) -> caf::result<std::string> {
        bool known = false;
        for (auto& p : c->platforms) known = known || p.name == platform;
        auto out = history_json(db, platform, detector_options_of(c->settings));
        if (!out) return failed(out.error());
        if (!known && (*out)["runs"].empty())
          return make_error(errc::not_found, "no platform named '" + platform + "'");
        return out->dump();
      },
      [c, &db](bench_dashboard_atom, bench_status& live) -> caf::result<std::string> {
        auto data = load_dashboard(db, live.ready ? &live : nullptr, platform_names(*c),
                                   detector_options_of(c->settings));
        if (!data) return failed(data.error());
        return render_dashboard(*data);
      },
  };
}

}  // namespace

status export_history(store& db, const std::string& dir,
                      const std::vector<std::string>& platforms,
                      const detector_options& options) {
  auto names = history_platforms(db);
  if (!names) return names.error();
  std::set<std::string> all(names->begin(), names->end());
  all.insert(platforms.begin(), platforms.end());
  for (auto& p : all) {
    auto doc = history_json(db, p, options);
    if (!doc) return doc.error();
    if (auto st =
            write_file_atomically(dir + "/history-" + p + ".json", doc->dump(2) + "\n");
        !st)
      return st;
  }
  return status::ok();
}

bench_history_actor spawn_history(caf::actor_system& sys, bench_context ctx) {
  bench_history_actor handle = sys.spawn<caf::detached>(history_behavior, std::move(ctx));
  actor_directory::of(sys).put(history_key, handle);
  return handle;
}

}  // namespace troupe::bench
