#include "actors/cluster/agent.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "actors/common/long_polls.hpp"
#include "messages/errors.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/base/hmac.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace troupe {

namespace {

using namespace std::chrono_literals;

constexpr auto first_backoff = 100ms;
constexpr auto max_backoff = 5000ms;

struct agent_state {
  static inline const char* name = "cluster.agent";
  agent_options opts;
  node_actor coordinator;     // valid while joined
  std::uint64_t session = 0;  // bumped on every join and every loss
  std::chrono::milliseconds backoff = first_backoff;
  std::map<caf::actor_addr, std::size_t> parts;  // attached actor → subsystem index
  std::set<std::size_t> attaching;   // subsystems whose attach round is under way
  std::optional<caf::error> ending;  // told to exit; waits for those rounds
  cluster_session current;
  long_polls<link_status> polls{std::chrono::seconds(10)};  // (link_atom, since)
  counter* sessions = nullptr;
  gauge* connected = nullptr;
};

// What one attach round started, per subsystem index, for the agent's
// `session`; `heartbeats`: the join's round, after which heartbeats start.
// Only the agent's own helper sends it (not in the type registry).
struct attached_parts {
  std::uint64_t session = 0;
  bool heartbeats = false;
  std::vector<std::pair<std::size_t, std::vector<caf::actor>>> parts;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attached_parts& x) {
  return f(caf::meta::type_name("attached_parts"), x.session, x.heartbeats, x.parts);
}

// The agent's own messages beside its protocol: reconnect, the heartbeat
// of a session, re-attach (session, subsystem index), an attach round's
// actors, a long poll round's expiry.
using agent_impl = worker_link_actor::extend<
    caf::reacts_to<reconnect_atom>, caf::reacts_to<heartbeat_atom, std::uint64_t>,
    caf::reacts_to<std::uint64_t, std::size_t>, caf::reacts_to<attached_parts>,
    caf::reacts_to<long_polls_due>>;
using self_ptr = agent_impl::stateful_pointer<agent_state>;

// Changes the worker's link status and answers the held long polls.
template <class F>
void set_link(self_ptr self, F&& f) {
  auto& st = self->state;
  st.opts.status->update(std::forward<F>(f));
  st.polls.answer_all([&st] { return st.opts.status->get(); });
}

std::chrono::milliseconds request_timeout(self_ptr self) {
  return std::max(self->state.opts.heartbeat_interval * 4,
                  std::chrono::milliseconds(2000));
}

void retry_later(self_ptr self, const std::string& why) {
  auto& st = self->state;
  set_link(self, [&](link_status& s) {
    if (s.state != "refused") s.state = "connecting";
    s.last_error = why;
    ++s.failed_attempts;
  });
  self->delayed_send(self, st.backoff, reconnect_atom::value);
  st.backoff = std::min(st.backoff * 2, max_backoff);
}

void lose(self_ptr self, const std::string& why) {
  auto& st = self->state;
  if (!st.coordinator) return;
  spdlog::warn("cluster: lost coordinator {} ({}); reconnecting",
               st.opts.coordinator.text(), why);
  self->demonitor(st.coordinator.address());
  st.coordinator = nullptr;
  ++st.session;
  st.connected->set(0);
  st.backoff = first_backoff;
  retry_later(self, why);
}

bool has_parts(self_ptr self, std::size_t index) {
  for (auto& [addr, i] : self->state.parts)
    if (i == index) return true;
  return false;
}

// Runs the attach functions of the subsystems in `indices` that have no
// actors and no round under way. They may block on a round trip to the
// coordinator (handing it kept replies, fetching a platform's definition),
// so a detached helper runs them, hands the actors they started back as
// attached_parts, and ends.
void attach(self_ptr self, const std::vector<std::size_t>& indices, bool heartbeats) {
  auto& st = self->state;
  attached_parts round{st.session, heartbeats, {}};
  std::vector<std::size_t> todo;
  for (auto i : indices)
    if (!has_parts(self, i) && st.attaching.insert(i).second) todo.push_back(i);
  if (todo.empty()) return self->send(self, std::move(round));
  self->spawn<caf::detached>(
      [agent = caf::actor_cast<caf::actor>(self), todo, round, fns = st.opts.subsystems,
       session = st.current](caf::event_based_actor* helper) mutable {
        for (auto i : todo) round.parts.emplace_back(i, fns[i](session));
        helper->send(agent, std::move(round));
        helper->quit();
      });
}

// Looks up every name of opts.lookups on the coordinator at once, points
// the session's lookup at the answers, then runs `then` (unless the link
// was lost meanwhile). Names the coordinator does not have stay absent.
template <class F>
void with_lookups(self_ptr self, F then) {
  auto& st = self->state;
  auto session = st.session;
  auto found = std::make_shared<std::map<caf::atom_value, caf::actor>>();
  auto pending = std::make_shared<std::size_t>(st.opts.lookups.size());
  auto finish = [self, session, found, then] {
    auto& st = self->state;
    if (session != st.session || !st.coordinator) return;
    st.current.lookup = [found](caf::atom_value name) {
      auto i = found->find(name);
      return i == found->end() ? caf::actor{} : i->second;
    };
    then();
  };
  if (*pending == 0) return finish();
  for (auto& text : st.opts.lookups) {
    auto name = caf::atom_from_string(text);
    self->request(st.coordinator, request_timeout(self), lookup_atom::value, name)
        .then(
            [=](caf::actor& a) {
              (*found)[name] = std::move(a);
              if (--*pending == 0) finish();
            },
            [=](caf::error& err) {
              spdlog::warn("cluster: lookup of '{}' failed: {}", text,
                           self->system().render(err));
              if (--*pending == 0) finish();
            });
  }
}

// The coordinator admitted us: attach what is not running, start heartbeats.
void joined(self_ptr self, const std::string& coordinator) {
  auto& st = self->state;
  ++st.session;
  st.backoff = first_backoff;
  st.sessions->inc();
  st.connected->set(1);
  self->monitor(st.coordinator.address());
  st.current.self = st.opts.self;
  st.current.coordinator = coordinator;
  st.current.work = st.opts.work;
  set_link(self, [&](link_status& s) {
    s.state = "joined";
    s.coordinator = coordinator;
    s.last_error.clear();
    s.joined_ms = s.last_heartbeat_ms = unix_ms();
    s.sessions += 1;
  });
  spdlog::info("cluster: joined coordinator '{}' at {}", coordinator,
               st.opts.coordinator.text());
  with_lookups(self, [self] {
    std::vector<std::size_t> all(self->state.opts.subsystems.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    attach(self, all, true);
  });
}

// The refused state: the coordinator (or whoever answers at its address)
// failed the challenge, or refused ours; retried at the longest backoff.
void refused(self_ptr self, const std::string& why) {
  spdlog::error("cluster: {}", why);
  set_link(self, [](link_status& s) { s.state = "refused"; });
  self->state.backoff = max_backoff;
  retry_later(self, why);
}

// The challenge, both ways (messages/cluster.hpp): prove the secret for the
// coordinator's nonce, then check its proof for ours before taking work.
void join(self_ptr self, node_actor node) {
  auto& st = self->state;
  auto timeout = request_timeout(self);
  self->request(node, timeout, join_atom::value, st.opts.self.name)
      .then(
          [self, node, timeout](std::string& nonce) {
            auto& st = self->state;
            auto ours = random_hex(32);
            auto proof = hmac_sha256_hex(st.opts.secret,
                                         join_proof_text("join", nonce, st.opts.self.name,
                                                         caf::to_string(self->node())));
            self->request(node, timeout, join_atom::value, st.opts.self, proof, ours)
                .then(
                    [self, node, ours](std::string& coordinator, std::string& theirs) {
                      auto& st = self->state;
                      auto expected = hmac_sha256_hex(
                          st.opts.secret,
                          join_proof_text("admit", ours, st.opts.self.name,
                                          caf::to_string(node.node())));
                      if (!equal_constant_time(theirs, expected))
                        return refused(self, "the node at " + st.opts.coordinator.text() +
                                                 " did not prove the cluster secret; not "
                                                 "taking work from it");
                      st.coordinator = node;
                      joined(self, coordinator);
                    },
                    [self](caf::error& err) {
                      if (is(err, errc::not_a_member))
                        return refused(self, "the coordinator refused this node: " +
                                                 error_context(err));
                      retry_later(self, self->system().render(err));
                    });
          },
          [self](caf::error& err) { retry_later(self, self->system().render(err)); });
}

agent_impl::behavior_type agent(self_ptr self, agent_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  auto& m = *st.opts.metrics;
  st.sessions = &m.counter_family("troupe_cluster_sessions_total",
                                  "Times this worker joined its coordinator", {})
                     .with({});
  st.connected = &m.gauge_family("troupe_cluster_connected",
                                 "1 while this worker is joined to its coordinator", {})
                      .with({});
  set_link(self,
           [&](link_status& s) { s.coordinator_address = st.opts.coordinator.text(); });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (st.coordinator && dm.source == st.coordinator.address())
      return lose(self, "unreachable: " + self->system().render(dm.reason));
    auto i = st.parts.find(dm.source);
    if (i == st.parts.end()) return;
    auto index = i->second;
    st.parts.erase(i);
    // A subsystem whose actors all ended while the link is up (its actors
    // on the coordinator restarted) is attached again.
    if (st.coordinator && !has_parts(self, index)) {
      spdlog::info("cluster: re-attaching subsystem {} after its actors ended", index);
      self->delayed_send(self, 500ms, st.session, index);
    }
  });
  // Ends what it attached; actors an attach round is starting right now are
  // ended when the round hands them over (so none outlives the agent).
  self->set_exit_handler([self](caf::exit_msg& em) {
    auto& st = self->state;
    for (auto& [addr, index] : st.parts)
      if (auto part = caf::actor_cast<caf::actor>(addr)) self->send_exit(part, em.reason);
    if (st.attaching.empty()) return self->quit(em.reason);
    st.ending = em.reason;
  });
  self->send(self, reconnect_atom::value);
  return {
      [self](link_atom, std::uint64_t since) -> caf::result<link_status> {
        auto& st = self->state;
        auto now = st.opts.status->get();
        return st.polls.answer(self, now.version, since, [&now] { return now; });
      },
      [self](long_polls_due& due) {
        auto& st = self->state;
        st.polls.expire(due, [&st] { return st.opts.status->get(); });
      },
      [self](reconnect_atom) {
        auto& st = self->state;
        if (st.coordinator || st.ending) return;
        auto& at = st.opts.coordinator;
        self->request(connector_of(self->system(), at), request_timeout(self),
                      caf::connect_atom::value, at.host, at.port)
            .then(
                [self](caf::node_id&, caf::strong_actor_ptr& published,
                       std::set<std::string>&) {
                  auto node =
                      published_node(std::move(published), self->state.opts.coordinator);
                  if (!node)
                    return retry_later(self, self->system().render(node.error()));
                  join(self, std::move(*node));
                },
                [self](caf::error& err) {
                  retry_later(self, self->system().render(err));
                });
      },
      [self](heartbeat_atom, std::uint64_t session) {
        auto& st = self->state;
        if (session != st.session || !st.coordinator || st.ending) return;
        self->request(st.coordinator, request_timeout(self), heartbeat_atom::value,
                      st.opts.self.name, st.opts.work->load())
            .then(
                [self](std::int64_t) {
                  set_link(self, [](link_status& s) { s.last_heartbeat_ms = unix_ms(); });
                },
                [self, session](caf::error& err) {
                  if (session == self->state.session && is(err, errc::not_a_member))
                    lose(self, "the coordinator no longer knows this node");
                });
        self->delayed_send(self, st.opts.heartbeat_interval, heartbeat_atom::value,
                           session);
      },
      [self](std::uint64_t session, std::size_t index) {
        auto& st = self->state;
        if (session != st.session || !st.coordinator || has_parts(self, index)) return;
        // Its actors on the coordinator may have restarted: look up again.
        with_lookups(self, [self, index] { attach(self, {index}, false); });
      },
      [self](attached_parts& round) {
        auto& st = self->state;
        for (auto& [index, parts] : round.parts) {
          st.attaching.erase(index);
          for (auto& part : parts) {
            if (!part) continue;
            if (st.ending) {
              self->send_exit(part, *st.ending);
              continue;
            }
            self->monitor(part);
            st.parts.emplace(part.address(), index);
          }
        }
        if (st.ending) {
          if (st.attaching.empty()) self->quit(*st.ending);
          return;
        }
        if (round.heartbeats && round.session == st.session && st.coordinator)
          self->send(self, heartbeat_atom::value, st.session);
      },
  };
}

}  // namespace

worker_link_actor spawn_agent(caf::actor_system& sys, agent_options options) {
  worker_link_actor handle = sys.spawn(agent, std::move(options));
  actor_directory::of(sys).put(agent_key, handle);
  return handle;
}

}  // namespace troupe
