// The scheduler's A/B comparisons (scheduler_state.hpp): queue, dispatch,
// collection of the platforms' rounds, deadline and analysis.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/compare_job.hpp"
#include "actors/bench/scheduler_state.hpp"
#include "messages/errors.hpp"

namespace troupe::bench {

namespace {

active_compare* find_compare(scheduler_self self, std::uint64_t id) {
  for (auto& c : self->state.compares)
    if (c.job.run_id == id) return &c;
  return nullptr;
}

bench_job compare_job_of(std::uint64_t id, const bench_compare_request& r,
                         std::int64_t created_ms) {
  bench_job job;
  job.run_id = id;
  job.sha = r.head;
  job.base = r.base;
  job.reason = bench_run_reason::compare;
  job.rounds = r.rounds;
  job.created_ms = created_ms;
  return job;
}

// Analyses the comparison with what has arrived and stores its result; the
// platforms that never reported are named as missing.
void finish(scheduler_self self, std::uint64_t id) {
  auto& st = self->state;
  auto* c = find_compare(self, id);
  if (c == nullptr) return;
  std::vector<bench_compare_result> results;
  json::array_builder missing;
  for (auto& p : c->platforms) {
    if (auto r = c->results.find(p); r != c->results.end())
      results.push_back(r->second);
    else
      missing.push_back(p);
  }
  auto result = analyse_compare(results, compare_options{});
  auto text = result.set("missing", missing.build()).dump();
  spdlog::info("bench: comparison {} of {} with {} done ({} of {} platform(s))", id,
               c->job.sha, c->job.base, results.size(), c->platforms.size());
  auto& q = st.compares;
  q.erase(std::remove_if(q.begin(), q.end(),
                         [id](const active_compare& a) { return a.job.run_id == id; }),
          q.end());
  // Once its result is stored, GET /api/v1/bench/compare/{id} shows it: the
  // status feed (?since=V) tells whoever follows it.
  persist(self, {finish_compare(id, text, now_ms(self))}, [self](const caf::error& err) {
    if (!err) status_changed(self);
  });
}

}  // namespace

caf::result<std::uint64_t> queue_compare(scheduler_self self,
                                         bench_compare_request& request) {
  auto& st = self->state;
  if (!st.windows)
    return make_error(errc::shutting_down, "bench is starting (restoring its state)");
  if (st.compares.size() >= st.ctx.settings.intake_queue)
    return make_error(errc::queue_full,
                      "bench has " + std::to_string(st.compares.size()) +
                          " comparisons queued (intake-queue " +
                          std::to_string(st.ctx.settings.intake_queue) + ")");
  if (request.base.empty() || request.head.empty() || request.rounds < 2 ||
      request.rounds > 100)
    return make_error(errc::invalid_argument,
                      "a comparison needs base, head and 2..100 rounds");
  if (request.platforms.empty())
    for (auto& p : st.ctx.platforms) request.platforms.push_back(p.name);
  if (request.platforms.empty())
    return make_error(errc::invalid_argument, "no platform is configured");
  for (auto& name : request.platforms)
    if (st.platforms.count(name) == 0)
      return make_error(errc::invalid_argument, "no platform named '" + name + "'");
  auto id = st.next_compare_id++;
  active_compare c;
  c.created_ms = now_ms(self);
  c.job = compare_job_of(id, request, c.created_ms);
  c.platforms = request.platforms;
  st.compares.push_back(std::move(c));
  spdlog::info("bench: comparison {}: {} against {} on {} platform(s), {} rounds", id,
               request.head, request.base, request.platforms.size(), request.rounds);
  auto rp = self->make_response_promise<std::uint64_t>();
  persist(self, {insert_compare(id, request, now_ms(self))},
          [self, rp, id](const caf::error& err) mutable {
            if (err) {
              rp.deliver(err);
              return;
            }
            rp.deliver(id);
            // Only once durable: a platform never measures a comparison the store lacks.
            if (auto* c = find_compare(self, id)) c->saved = true;
            dispatch(self);
          });
  return rp;
}

bool dispatch_compare(scheduler_self self, const std::string& platform,
                      platform_slot& slot) {
  auto& st = self->state;
  for (auto& c : st.compares) {
    if (c.started.count(platform) ||
        std::find(c.platforms.begin(), c.platforms.end(), platform) == c.platforms.end())
      continue;
    if (!c.saved) continue;
    c.started.insert(platform);
    if (!c.deadline_armed) {
      c.deadline_armed = true;
      self->delayed_send(self, st.ctx.settings.collector_deadline,
                         scheduler_msg::compare_expired{c.job.run_id});
    }
    slot.current_run = c.job.run_id;
    slot.comparing = true;
    auto rp = std::move(*slot.waiting);
    slot.waiting.reset();
    rp.deliver(c.job);
    return true;
  }
  return false;
}

caf::result<bool> receive_compare(scheduler_self self, bench_compare_result& result) {
  auto* c = find_compare(self, result.id);
  if (c == nullptr) return true;  // analysed already (a late or repeated report)
  c->results[result.platform] = result;
  c->started.insert(result.platform);
  auto rp = self->make_response_promise<bool>();
  auto id = result.id;
  persist(self, {insert_compare_result(result)},
          [self, rp, id](const caf::error& err) mutable {
            if (err) {
              rp.deliver(err);
              return;
            }
            rp.deliver(true);
            auto* c = find_compare(self, id);
            if (c != nullptr && c->results.size() == c->platforms.size())
              finish(self, id);
          });
  return rp;
}

void compare_deadline(scheduler_self self, std::uint64_t id) {
  if (find_compare(self, id) == nullptr) return;
  spdlog::warn(
      "bench: comparison {} analysed without every platform (collector-deadline)", id);
  finish(self, id);
}

void restore_compares(scheduler_self self, bench_snapshot& snap) {
  auto& st = self->state;
  st.next_compare_id = snap.next_compare_id;
  for (auto& r : snap.compares) {
    active_compare c;
    c.created_ms = r.created_ms;
    c.saved = true;
    c.job = compare_job_of(r.id, r.request, r.created_ms);
    c.platforms = r.request.platforms;
    for (auto& res : r.results) {
      c.started.insert(res.platform);
      c.results[res.platform] = res;
    }
    st.compares.push_back(std::move(c));
    if (st.compares.back().results.size() == st.compares.back().platforms.size())
      finish(self, r.id);
  }
}

void compare_platform_down(scheduler_self self, const std::string& platform) {
  for (auto& c : self->state.compares)
    if (c.results.count(platform) == 0 && c.started.erase(platform) > 0)
      spdlog::warn(
          "bench: platform {} ended during comparison {}; it is handed again to its next "
          "pull",
          platform, c.job.run_id);
}

}  // namespace troupe::bench
