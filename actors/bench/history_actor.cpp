#include "actors/bench/history_actor.hpp"

#include <caf/all.hpp>
#include <set>
#include <spdlog/spdlog.h>

#include "actors/bench/history_read.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/atomic_file.hpp"

namespace troupe::bench {

namespace {

caf::error failed(const status& st) { return make_error(errc::shutting_down, st.message()); }

std::vector<std::string> platform_names(const bench_context& ctx) {
  std::vector<std::string> out;
  for (auto& p : ctx.platforms) out.push_back(p.name);
  return out;
}

caf::behavior history_behavior(caf::event_based_actor*, bench_context ctx) {
  auto c = std::make_shared<bench_context>(std::move(ctx));
  auto& db = *c->db;
  return {
      [&db](bench_load_atom) -> caf::result<bench_snapshot> {
        auto snap = load_snapshot(db);
        if (!snap) return failed(snap.error());
        return std::move(*snap);
      },
      [c, &db](bench_analyze_atom, std::uint64_t run) -> caf::result<std::vector<bench_regression>> {
        auto steps = analyze_run(db, run, detector_options_of(c->settings));
        if (!steps) return failed(steps.error());
        return std::move(*steps);
      },
      [c, &db](bench_export_atom) {
        if (auto st = export_history(db, c->history_dir, platform_names(*c)); !st)
          spdlog::error("bench: history export: {}", st.message());
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
      [&db](bench_regressions_atom) -> caf::result<std::string> {
        auto out = regressions_json(db);
        if (!out) return failed(out.error());
        return out->dump();
      },
      [c, &db](bench_history_atom, std::string& platform) -> caf::result<std::string> {
        bool known = false;
        for (auto& p : c->platforms) known = known || p.name == platform;
        auto out = history_json(db, platform);
        if (!out) return failed(out.error());
        if (!known && (*out)["runs"].empty()) return make_error(errc::not_found, "no platform named '" + platform + "'");
        return out->dump();
      },
      [c, &db](bench_dashboard_atom, bench_status& live) -> caf::result<std::string> {
        auto data = load_dashboard(db, live.ready ? &live : nullptr, platform_names(*c));
        if (!data) return failed(data.error());
        return render_dashboard(*data);
      },
  };
}

}  // namespace

status export_history(store& db, const std::string& dir, const std::vector<std::string>& platforms) {
  auto names = history_platforms(db);
  if (!names) return names.error();
  std::set<std::string> all(names->begin(), names->end());
  all.insert(platforms.begin(), platforms.end());
  for (auto& p : all) {
    auto doc = history_json(db, p);
    if (!doc) return doc.error();
    if (auto st = write_file_atomically(dir + "/history-" + p + ".json", doc->dump(2) + "\n"); !st) return st;
  }
  return status::ok();
}

caf::actor spawn_history(caf::actor_system& sys, bench_context ctx) {
  auto* directory = ctx.directory;
  auto handle = sys.spawn<caf::detached>(history_behavior, std::move(ctx));
  directory->put("history", handle);
  return handle;
}

}  // namespace troupe::bench
