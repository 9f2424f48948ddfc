#include "actors/workflow/workflow_service.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <deque>
#include <optional>
#include <random>
#include <vector>

#include "actors/workflow/workflow_records.hpp"
#include "messages/errors.hpp"
#include "messages/workflow.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::workflow {

namespace {

// Internal messages (not in the type registry: no other node can send one).
// The detached loader rebuilt stored execution `id` as `actor`.
struct execution_resumed {
  std::string id;
  execution_actor actor;
};
// The loader is done: every stored execution that could resume did.
struct resume_done {};
// Store lookup `n` found (or not) its execution, as `status`.
struct lookup_done {
  std::uint64_t n = 0;
  run_status status;
  bool found = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, execution_resumed& x) {
  return f(caf::meta::type_name("workflow_service::execution_resumed"), x.id, x.actor);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resume_done&) {
  return f(caf::meta::type_name("workflow_service::resume_done"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_done& x) {
  return f(caf::meta::type_name("workflow_service::lookup_done"), x.n, x.status, x.found);
}

// The service's own type: its interface, the owner side its workflow actors
// report to, and its internal messages.
using service_impl = workflow_service_actor::extend_with<execution_owner_actor>::extend<
    caf::reacts_to<execution_resumed>, caf::reacts_to<resume_done>,
    caf::reacts_to<lookup_done>>;

struct service_state {
  static inline const char* name = "workflow-service";
  engine_services services;
  service_options options;
  std::map<std::string, execution_actor> live;
  std::map<caf::actor_addr, std::string> id_of;
  std::uint64_t next_lookup = 1;
  struct lookup {
    caf::response_promise rp;
    std::string id;
    bool ended_is_error = false;  // for cancel/pause/resume: 409, not the status
    // For a run_request with an id: started when the store has no such execution.
    std::optional<run_request> start;
  };
  std::map<std::uint64_t, lookup> lookups;  // store reads in flight
  // While the stored executions are being resumed (start-up): run_requests
  // for an id stored as live but not resumed yet, answered when it is.
  bool resuming = false;
  std::map<std::string, std::vector<caf::response_promise>> awaiting_resume;
  // The latest ended executions, so that a wait or status right after the
  // end (or any, without a store) is answered; bounded, oldest dropped.
  std::map<std::string, run_status> ended;
  std::deque<std::string> ended_order;
};

constexpr std::size_t ended_kept = 1000;

using service_actor = service_impl::stateful_base<service_state>;

// Rebuilds one stored execution; an error names it.
result<execution> rebuild(stored_execution& s, const engine_services& services,
                          const std::vector<sql_row>& task_rows) {
  auto def = load_definition(s.definition, s.source, *services.actions);
  if (!def) return status::error("execution " + s.id + ": " + def.error().message());
  if (auto st = read_tasks(task_rows, def->get(), s); !st) return st;
  auto state = parse_execution_state(s.state);
  if (!state) return status::error("execution " + s.id + ": " + state.error().message());
  return execution::restore(*def, s.id, s.parameters, s.started_ms, *state, s.engine,
                            std::move(s.tasks));
}

// Reads the unfinished executions, spawns their workflow actors and hands
// each to the service.
void resume_each(caf::blocking_actor* self, const service_impl& service,
                 const engine_services& services) {
  auto rows = services.db->query_now(select_unfinished());
  if (!rows)
    return spdlog::error("workflow: cannot read executions to resume: {}",
                         rows.error().message());
  auto stored = read_executions(*rows);
  if (!stored)
    return spdlog::error("workflow: cannot resume: {}", stored.error().message());
  for (auto& s : *stored) {
    auto tasks = services.db->query_now(select_tasks(s.id));
    result<execution> e =
        tasks ? rebuild(s, services, *tasks) : result<execution>(tasks.error());
    if (!e) {
      spdlog::error("workflow: cannot resume: {}; marking it failed",
                    e.error().message());
      services.db->write(
          {"UPDATE wf_executions SET state = 'failed', errors = ?, finished_ms = ?"
           " WHERE id = ?",
           {json::array().push_back(json("not resumable: " + e.error().message())).dump(),
            unix_ms(services.now()), s.id}},
          durability::durable);
      continue;
    }
    spdlog::info("workflow {}: resuming execution {} ({} task executions stored)",
                 s.workflow, s.id, e->tasks().size());
    auto a =
        spawn_workflow_actor(self->system(), services, std::move(*e), s.source, service);
    self->send(service, execution_resumed{s.id, a});
  }
}

// Detached: resumes the stored executions, then tells the service it is done
// (restored_atom alone), whatever happened.
void resume_stored(caf::blocking_actor* self, service_impl service,
                   engine_services services) {
  resume_each(self, service, services);
  self->send(service, resume_done{});
}

void track(service_actor* self, const std::string& id, const execution_actor& a) {
  self->monitor(a);
  self->link_to(a);  // workflow actors end with the service (see workflow_actor.cpp)
  self->state.live[id] = a;
  self->state.id_of[a.address()] = id;
}

// Answers `rp` with the status of the live execution `id`.
void live_status(service_actor* self, const std::string& id, caf::response_promise rp) {
  self->request(self->state.live.at(id), caf::infinite, status_atom::value)
      .then([rp](run_status& s) mutable { rp.deliver(std::move(s)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

// Validates `req` and starts it as execution `id` (a live one of that id
// answers instead); `rp` gets its first status or why it did not start.
void start(service_actor* self, const run_request& req, const std::string& id,
           caf::response_promise rp) {
  auto& st = self->state;
  if (st.live.count(id)) return live_status(self, id, rp);
  if (st.live.size() >= st.options.max_executions)
    return rp.deliver(
        make_error(errc::queue_full, std::to_string(st.live.size()) +
                                         " executions are running (workflow."
                                         "max-executions); retry later"));
  auto def = load_definition(req.definition, req.source, *st.services.actions);
  if (!def) return rp.deliver(make_error(errc::invalid_argument, def.error().message()));
  auto params =
      bind_parameters(**def, req.parameters.is_null() ? json::object() : req.parameters);
  if (!params)
    return rp.deliver(make_error(errc::invalid_argument, params.error().message()));
  execution e(*def, id, *params, unix_ms(st.services.now()));
  auto a = spawn_workflow_actor(self->system(), st.services, std::move(e), req.source,
                                caf::actor_cast<execution_owner_actor>(self));
  track(self, id, a);
  spdlog::info("workflow {}: execution {} started", (*def)->name, id);
  self->request(a, caf::infinite, run_atom::value)
      .then([rp](run_status& s) mutable { rp.deliver(std::move(s)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

// Answers `rp` from the store: the execution `id` and its tasks, or (with
// `ended_is_error`) the error that it has ended. With `start`, an execution
// the store does not have is started as `id` (see run_request::id).
void lookup_stored(service_actor* self, const std::string& id, caf::response_promise rp,
                   bool ended_is_error = false,
                   std::optional<run_request> start_if_missing = std::nullopt) {
  auto& st = self->state;
  if (!st.services.db) {
    if (start_if_missing) return start(self, *start_if_missing, id, rp);
    return rp.deliver(make_error(errc::not_found, "no execution " + id));
  }
  auto n = st.next_lookup++;
  st.lookups.emplace(n, service_state::lookup{std::move(rp), id, ended_is_error,
                                              std::move(start_if_missing)});
  auto me = caf::actor_cast<service_impl>(self);
  auto* db = st.services.db;
  db->query(select_execution(id), [me, db, id, n](result<std::vector<sql_row>> rows) {
    auto found = rows ? read_executions(*rows)
                      : result<std::vector<stored_execution>>(rows.error());
    if (!found || found->empty()) {
      caf::anon_send(me, lookup_done{n, run_status{}, false});
      return;
    }
    auto e = std::make_shared<stored_execution>(std::move(found->front()));
    db->query(select_tasks(id), [me, n, e](result<std::vector<sql_row>> task_rows) {
      if (task_rows) (void)read_tasks(*task_rows, nullptr, *e);
      caf::anon_send(me, lookup_done{n, describe(*e), true});
    });
  });
}

service_impl::behavior_type workflow_service(service_actor* self,
                                             engine_services services,
                                             service_options options) {
  self->state.services = services;
  self->state.options = options;
  self->state.resuming = options.resume && services.db;
  if (self->state.resuming)
    self->spawn<caf::detached>(resume_stored, caf::actor_cast<service_impl>(self),
                               services);
  // A workflow actor that ends is seen through its monitor; anything else
  // that exits (the supervisor stopping us) takes the service down.
  self->set_exit_handler([=](caf::exit_msg& em) {
    if (self->state.id_of.count(em.source)) return;
    if (em.reason) self->quit(em.reason);
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    auto i = st.id_of.find(dm.source);
    if (i == st.id_of.end()) return;
    st.live.erase(i->second);
    st.id_of.erase(i);
  });
  // Asks the live actor of execution `id`, or answers from the ended ones
  // and the store (`live_only`: an error when it is not live). An actor that
  // ended while the request was on its way sent (ended_atom) before it quit,
  // so the fallback finds it.
  auto route = [=](const std::string& id, auto... xs) -> caf::result<run_status> {
    auto& st = self->state;
    auto rp = self->make_response_promise<run_status>();
    auto fallback = [=]() mutable {
      auto& st = self->state;
      if (auto i = st.ended.find(id); i != st.ended.end())
        rp.deliver(i->second);
      else
        lookup_stored(self, id, rp);
    };
    if (auto i = st.live.find(id); i != st.live.end())
      self->request(i->second, caf::infinite, xs...)
          .then([=](run_status& s) mutable { rp.deliver(std::move(s)); },
                [=](caf::error&) mutable { fallback(); });
    else
      fallback();
    return rp;
  };
  auto route_live = [=](const std::string& id, auto atom) -> caf::result<run_status> {
    auto& st = self->state;
    if (st.live.count(id)) return route(id, atom);
    if (st.ended.count(id))
      return make_error(errc::conflict, "execution " + id + " has ended");
    auto rp = self->make_response_promise<run_status>();
    lookup_stored(self, id, rp, true);
    return rp;
  };
  return {
      [=](run_request& req) -> caf::result<run_status> {
        auto& st = self->state;
        auto rp = self->make_response_promise<run_status>();
        auto id = req.id;  // before req moves into the lookup
        if (id.empty())
          start(self, req, make_execution_id(), rp);
        else if (auto e = st.ended.find(id); e != st.ended.end())
          rp.deliver(e->second);
        else if (st.live.count(id))
          live_status(self, id, rp);
        else
          lookup_stored(self, id, rp, false, std::move(req));
        return rp;
      },
      [=](ended_atom, run_status& s) {
        auto& st = self->state;
        if (st.ended.emplace(s.id, s).second) st.ended_order.push_back(s.id);
        if (st.ended_order.size() > ended_kept) {
          st.ended.erase(st.ended_order.front());
          st.ended_order.pop_front();
        }
      },
      [=](execution_resumed& m) {
        auto& id = m.id;
        auto& a = m.actor;
        track(self, id, a);
        self->send(a, restored_atom::value);
        auto waiting = self->state.awaiting_resume.find(id);
        if (waiting == self->state.awaiting_resume.end()) return;
        for (auto& rp : waiting->second) live_status(self, id, rp);
        self->state.awaiting_resume.erase(waiting);
      },
      [=](resume_done) {  // every stored execution that could resume did
        auto& st = self->state;
        st.resuming = false;
        for (auto& [id, promises] : st.awaiting_resume)
          for (auto& rp : promises)
            rp.deliver(make_error(errc::invalid_argument,
                                  "execution " + id + " could not be resumed"));
        st.awaiting_resume.clear();
      },
      [=](lookup_done& m) {
        auto& s = m.status;
        auto found = m.found;
        auto i = self->state.lookups.find(m.n);
        if (i == self->state.lookups.end()) return;
        auto& l = i->second;
        // Stored as live: being resumed at start-up, or live by now.
        bool stored_live = found && (s.state == "running" || s.state == "paused");
        bool live = self->state.live.count(l.id) > 0;
        if (l.start && !found)
          start(self, *l.start, l.id, l.rp);
        else if (!found)
          l.rp.deliver(make_error(errc::not_found, "no execution " + l.id));
        else if (stored_live && l.start && live)
          live_status(self, l.id, l.rp);
        else if (stored_live && l.start && self->state.resuming)
          self->state.awaiting_resume[l.id].push_back(l.rp);
        else if (stored_live && (l.start || l.ended_is_error))
          l.rp.deliver(make_error(errc::shutting_down,
                                  "execution " + l.id + " is being resumed; retry"));
        else if (l.ended_is_error)
          l.rp.deliver(make_error(errc::conflict, "execution " + l.id + " has ended"));
        else
          l.rp.deliver(std::move(s));
        self->state.lookups.erase(i);
      },
      [=](status_atom a, std::string& id) { return route(id, a); },
      [=](status_atom a, std::string& id, std::uint64_t since) {
        return route(id, a, since);
      },
      [=](wait_atom a, std::string& id) { return route(id, a); },
      [=](cancel_atom a, std::string& id) { return route_live(id, a); },
      [=](pause_atom a, std::string& id) { return route_live(id, a); },
      [=](resume_atom a, std::string& id) { return route_live(id, a); },
  };
}

}  // namespace

std::string make_execution_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%012llx-%04x",
                static_cast<unsigned long long>(unix_ms()),
                static_cast<unsigned>(rng() & 0xffff));
  return buf;
}

workflow_service_actor spawn_workflow_service(caf::actor_system& sys,
                                              engine_services services,
                                              service_options options) {
  return sys.spawn(workflow_service, std::move(services), options);
}

}  // namespace troupe::workflow
