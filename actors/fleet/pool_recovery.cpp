// A pool's persistence and its recovery after a restart.
//
// Tables (migration 100, fleet_subsystem.cpp):
//   fleet_pools(name, desired, updated_ms)           the demand to restore
//   fleet_runners(name, pool, slot, generation, state, updated_ms)
// A runner row is written durably in state 'creating' before its create call,
// so after a crash every name that may exist at the provider is known.
//
// Recovery: read the rows and the desired count, list the provider's runners
// owned by this node, then adopt what exists, treat 'creating' rows that are
// not listed as uncertain (re-created under the same name if wanted, where a
// 409 means it exists; deleted otherwise), drop rows of runners that are gone,
// and reconcile to the desired count. Nothing is created before the listing
// answered.
#include <spdlog/spdlog.h>

#include "actors/fleet/placement.hpp"
#include "actors/fleet/pool_state.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::fleet {

namespace {

constexpr auto relist_delay = std::chrono::seconds(2);

std::uint32_t label_u32(const runner_object& o, const char* label) {
  auto i = o.labels.find(label);
  if (i == o.labels.end()) return 0;
  try {
    return static_cast<std::uint32_t>(std::stoul(i->second));
  } catch (...) {
    return 0;
  }
}

void list_provider(pool_self self) {
  auto& st = self->state;
  auto me = caf::actor_cast<pool_impl>(self);
  st.ctx.provider->list(
      st.ctx.config.name, st.ctx.owner,
      [me](bool ok, std::vector<runner_object> objects, call_report report) {
        std::vector<runner_record> records;
        for (auto& o : objects)
          records.push_back({o.name, label_u32(o, slot_label),
                             label_u32(o, generation_label), o.busy ? "busy" : "idle"});
        if (!ok) {
          records.clear();
          records.push_back({report.status_message, 0, 0, "error"});
        }
        caf::anon_send(me, pool_msg::runners_listed{ok, std::move(records)});
      });
}

}  // namespace

void start_recovery(pool_self self) {
  auto& st = self->state;
  auto me = caf::actor_cast<pool_impl>(self);
  if (st.ctx.db == nullptr) {
    caf::anon_send(me, pool_msg::rows_read{});
    return;
  }
  auto pool = st.ctx.config.name;
  auto* db = st.ctx.db;
  db->query(
      {"SELECT desired FROM fleet_pools WHERE name = ?", {pool}},
      [me, db, pool](result<std::vector<sql_row>> desired_rows) {
        std::int64_t desired = -1;
        if (desired_rows && !desired_rows->empty())
          desired = sql_int(desired_rows->at(0).at(0));
        db->query(
            {"SELECT name, slot, generation, state FROM fleet_runners WHERE pool = ?",
             {pool}},
            [me, desired](result<std::vector<sql_row>> rows) {
              std::vector<runner_record> out;
              if (rows)
                for (auto& r : *rows)
                  out.push_back(
                      {sql_text(r.at(0)), static_cast<std::uint32_t>(sql_int(r.at(1))),
                       static_cast<std::uint32_t>(sql_int(r.at(2))), sql_text(r.at(3))});
              caf::anon_send(me, pool_msg::rows_read{std::move(out), desired});
            });
      });
}

void on_stored(pool_self self, std::vector<runner_record>& rows, std::int64_t desired) {
  auto& st = self->state;
  st.stored = std::move(rows);
  if (desired >= 0 && !st.stored_desired)
    st.stored_desired = static_cast<std::uint32_t>(desired);
  list_provider(self);
}

void on_listed(pool_self self, bool ok, std::vector<runner_record>& objects) {
  auto& st = self->state;
  auto& cfg = st.ctx.config;
  if (!ok) {
    auto why = objects.empty() ? std::string{} : objects.front().name;
    spdlog::warn("pool {}: cannot list runners ({}); retrying before creating anything",
                 cfg.name, why);
    note_error(self, "list failed: " + why);
    self->delayed_send(self, relist_delay, pool_msg::relist_due{});
    return;
  }
  std::set<std::string> listed;
  for (auto& o : objects) {
    st.model.adopt(o.name, o.slot, o.generation, o.state == "busy");
    if (runners_live_on_node(cfg.provider))
      st.runner_node[o.name] = self->node();  // ours
    listed.insert(o.name);
  }
  std::size_t uncertain = 0, stale = 0;
  for (auto& row : st.stored) {
    if (listed.count(row.name) > 0) continue;
    if (row.state == "creating") {
      st.model.adopt_uncertain(row.name, row.slot, row.generation);
      ++uncertain;
    } else {
      forget_runner(self, row.name);  // it finished or was deleted while we were away
      ++stale;
    }
  }
  for (auto& o : objects)
    persist_runner(self, o.name, o.state == "busy" ? "busy" : "idle");
  st.stored.clear();
  st.recovered = true;
  auto desired = st.stored_desired.value_or(cfg.desired);
  desired = std::clamp(desired, cfg.min, cfg.max);
  if (!objects.empty() || uncertain > 0 || stale > 0) {
    spdlog::info(
        "pool {}: recovered {} runners, {} uncertain creations, {} stale records",
        cfg.name, objects.size(), uncertain, stale);
    add_event(self, "recovered",
              std::to_string(objects.size()) + " adopted, " + std::to_string(uncertain) +
                  " uncertain");
  }
  set_desired(self, desired, "start");
}

void persist_runner(pool_self self, const std::string& name, const char* state,
                    durable_writes::then_fn then) {
  auto& st = self->state;
  auto* r = st.model.find(name);
  auto me = caf::actor_cast<pool_impl>(self);
  if (st.ctx.db == nullptr || r == nullptr) {
    if (then) st.writes.write(nullptr, me, {}, {}, std::move(then));
    return;
  }
  store_record rec{
      "INSERT OR REPLACE INTO fleet_runners(name, pool, slot, generation, state, "
      "updated_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {name, st.ctx.config.name, std::int64_t{r->slot}, std::int64_t{r->generation},
       std::string(state), now_ms(self)}};
  if (then)
    st.writes.write(st.ctx.db, me, {std::move(rec)}, "runner " + name + " not stored",
                    std::move(then));
  else
    st.ctx.db->write(std::move(rec));
}

void forget_runner(pool_self self, const std::string& name) {
  if (auto* db = self->state.ctx.db)
    db->write({"DELETE FROM fleet_runners WHERE name = ?", {name}});
}

void persist_desired(pool_self self) {
  persist_desired_value(self, self->state.model.desired());
}

void persist_desired_value(pool_self self, std::uint32_t desired,
                           durable_writes::then_fn then) {
  auto& st = self->state;
  auto me = caf::actor_cast<pool_impl>(self);
  if (st.ctx.db == nullptr) {
    if (then) st.writes.write(nullptr, me, {}, {}, std::move(then));
    return;
  }
  store_record rec{
      "INSERT OR REPLACE INTO fleet_pools(name, desired, updated_ms) VALUES (?, ?, ?)",
      {st.ctx.config.name, std::int64_t{desired}, now_ms(self)}};
  if (then)
    st.writes.write(st.ctx.db, me, {std::move(rec)}, "desired size not stored",
                    std::move(then));
  else
    st.ctx.db->write(std::move(rec));
}

}  // namespace troupe::fleet
