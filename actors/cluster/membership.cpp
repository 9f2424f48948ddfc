#include "actors/cluster/membership.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <deque>
#include <map>

#include "actors/common/actor_directory.hpp"
#include "actors/common/long_polls.hpp"
#include "messages/errors.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/base/hmac.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace troupe {

namespace {

struct member_entry {
  member_state state;
  caf::node_id node;
  caf::actor_addr agent;  // the member's cluster agent, monitored
  bool heard = false;     // a heartbeat came since the join
  // When the last heartbeat came, on the steady clock: silence is measured
  // on it, so a wall-clock jump declares no member down (last_heartbeat_ms
  // is the timestamp shown).
  std::chrono::steady_clock::time_point heard_at;
  gauge* in_flight = nullptr;  // its troupe_cluster_member_in_flight child
};

struct membership_state {
  static inline const char* name = "cluster.membership";
  membership_options opts;
  std::map<std::string, member_entry> by_name;
  std::map<std::string, std::string> nonces;  // "<node id>/<name>" → nonce
  std::deque<std::string> nonce_order;        // keys, oldest first
  counter* joins = nullptr;
  counter* downs = nullptr;
  counter* heartbeats = nullptr;
  gauge* up = nullptr;
  gauge* down = nullptr;
  metric_family<gauge>* in_flight = nullptr;
  std::uint64_t version = 1;  // grows at every join, down and change of a member's load
  long_polls<cluster_view> polls{std::chrono::seconds(10)};
};

using membership_ptr = caf::stateful_actor<membership_state>*;

std::string challenge_key(const caf::node_id& node, const std::string& name) {
  return caf::to_string(node) + "/" + name;
}

// A member's load gauge, from the entry (a heartbeat's work must not grow
// with the number of members).
void publish_load(membership_ptr self, const std::string& name, member_entry& m) {
  if (m.in_flight == nullptr) m.in_flight = &self->state.in_flight->with({name});
  m.in_flight->set(m.state.state == "up" ? m.state.load.in_flight : 0);
}

// Every member's state and load: after a join or a down, not per heartbeat.
void publish_counts(membership_ptr self) {
  auto& st = self->state;
  double up = 0, down = 0;
  for (auto& [name, m] : st.by_name) {
    (m.state.state == "up" ? up : down) += 1;
    publish_load(self, name, m);
  }
  st.up->set(up);
  st.down->set(down);
}

cluster_view view_of(membership_ptr self) {
  cluster_view v;
  v.coordinator = self->state.opts.coordinator;
  for (auto& [name, m] : self->state.by_name) v.members.push_back(m.state);
  v.version = self->state.version;
  return v;
}

// A member joined, went down or reported a new load: long polls learn it.
void changed(membership_ptr self) {
  ++self->state.version;
  self->state.polls.answer_all([self] { return view_of(self); });
}

void declare_down(membership_ptr self, member_entry& m, const std::string& why) {
  if (m.state.state != "up") return;
  m.state.state = "down";
  m.state.down_ms = unix_ms();
  self->state.opts.members->remove(m.node);
  self->state.downs->inc();
  spdlog::warn("cluster: member '{}' is down ({})", m.state.info.name, why);
  publish_counts(self);
  changed(self);
}

caf::behavior membership(membership_ptr self, membership_options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  auto& m = *st.opts.metrics;
  st.joins = &m.counter_family("troupe_cluster_joins_total",
                               "Joins admitted by this coordinator", {})
                  .with({});
  st.downs = &m.counter_family("troupe_cluster_downs_total", "Members declared down", {})
                  .with({});
  st.heartbeats = &m.counter_family("troupe_cluster_heartbeats_total",
                                    "Heartbeats received from members", {})
                       .with({});
  auto& members = m.gauge_family("troupe_cluster_members",
                                 "Members of the cluster by state", {"state"});
  st.up = &members.with({"up"});
  st.down = &members.with({"down"});
  st.in_flight = &m.gauge_family("troupe_cluster_member_in_flight",
                                 "Work a member has in hand (last heartbeat)", {"node"});
  publish_counts(self);
  self->set_down_handler([self](caf::down_msg& dm) {
    for (auto& [name, m] : self->state.by_name)
      if (m.agent == dm.source)
        declare_down(self, m, "connection lost: " + self->system().render(dm.reason));
  });
  auto sweep_every = std::max(st.opts.down_after / 4, std::chrono::milliseconds(50));
  self->delayed_send(self, sweep_every, sweep_atom::value);
  return {
      [self](join_atom, const std::string& name) -> caf::result<std::string> {
        auto sender = self->current_sender();
        if (!sender) return make_error(errc::invalid_argument, "anonymous join");
        auto nonce = random_hex(32);
        auto& st = self->state;
        auto key = challenge_key(sender->node(), name);
        if (st.nonces.emplace(key, nonce).second) {
          st.nonce_order.push_back(key);
        } else {
          st.nonces[key] = nonce;
        }
        // Bounded: the oldest open challenges go first, so a flood of step-1
        // requests cannot crowd out a worker's challenge for long.
        while (st.nonce_order.size() > 1024) {
          st.nonces.erase(st.nonce_order.front());
          st.nonce_order.pop_front();
        }
        return nonce;
      },
      [self](join_atom, member_info& info, const std::string& proof,
             const std::string& worker_nonce) -> caf::result<std::string, std::string> {
        auto& st = self->state;
        auto sender = self->current_sender();
        if (!sender) return make_error(errc::invalid_argument, "anonymous join");
        auto key = challenge_key(sender->node(), info.name);
        auto i = st.nonces.find(key);
        if (i == st.nonces.end())
          return make_error(errc::not_a_member,
                            "no challenge was issued to '" + info.name + "'");
        auto expected = hmac_sha256_hex(st.opts.secret,
                                        join_proof_text("join", i->second, info.name,
                                                        caf::to_string(sender->node())));
        st.nonces.erase(i);
        if (!equal_constant_time(proof, expected)) {
          spdlog::warn("cluster: refused '{}' from {}: wrong proof for the challenge",
                       info.name, caf::to_string(sender->node()));
          return make_error(errc::not_a_member,
                            "the challenge's proof is wrong (cluster secret)");
        }
        auto& m = st.by_name[info.name];
        // A second process with the same name and the secret replaces the
        // first (it restarted before the first was declared down).
        if (m.state.state == "up" && m.node != sender->node())
          declare_down(self, m, "replaced by a new join");
        if (m.agent && m.agent != sender->address()) self->demonitor(m.agent);
        m.node = sender->node();
        m.agent = sender->address();
        self->monitor(sender);
        m.state.info = std::move(info);
        m.state.state = "up";
        m.state.address = caf::to_string(m.node);
        m.state.joined_ms = m.state.last_heartbeat_ms = unix_ms();
        m.state.down_ms = 0;
        m.heard = false;
        m.state.joins += 1;
        st.opts.members->admit(m.node, m.state.info);
        st.joins->inc();
        spdlog::info("cluster: member '{}' joined (roles {}, platform '{}')",
                     m.state.info.name, fmt::join(m.state.info.roles, ","),
                     m.state.info.platform);
        publish_counts(self);
        changed(self);
        auto admit = hmac_sha256_hex(
            st.opts.secret, join_proof_text("admit", worker_nonce, m.state.info.name,
                                            caf::to_string(self->node())));
        return caf::result<std::string, std::string>(st.opts.coordinator,
                                                     std::move(admit));
      },
      [self](heartbeat_atom, const std::string& name,
             const member_load& load) -> caf::result<std::int64_t> {
        auto& st = self->state;
        auto sender = self->current_sender();
        auto i = st.by_name.find(name);
        if (!sender || i == st.by_name.end() || i->second.state.state != "up" ||
            i->second.node != sender->node())
          return make_error(errc::not_a_member,
                            "'" + name + "' is not a member; join again");
        i->second.state.last_heartbeat_ms = unix_ms();
        i->second.heard = true;
        i->second.heard_at = std::chrono::steady_clock::now();
        auto& was = i->second.state.load;
        bool moved = was.in_flight != load.in_flight || was.completed != load.completed;
        was = load;
        st.heartbeats->inc();
        publish_load(self, name, i->second);
        if (moved) changed(self);
        return i->second.state.last_heartbeat_ms;
      },
      [self](lookup_atom, caf::atom_value name) -> caf::result<caf::actor> {
        auto sender = self->current_sender();
        if (!sender || !self->state.opts.members->allowed(sender->node(), self->node()))
          return make_error(errc::not_a_member, "lookup by a node that has not joined");
        auto found =
            actor_directory::of(self->system()).find_published(caf::to_string(name));
        if (!found)
          return make_error(errc::not_found,
                            "no actor named '" + caf::to_string(name) + "'");
        return found;
      },
      [self](members_atom) { return view_of(self); },
      [self](members_atom, std::uint64_t since) -> caf::result<cluster_view> {
        auto& st = self->state;
        return st.polls.answer(self, st.version, since, [self] { return view_of(self); });
      },
      [self](long_polls_due due) {
        self->state.polls.expire(due, [self] { return view_of(self); });
      },
      [self, sweep_every](sweep_atom) {
        auto now = std::chrono::steady_clock::now();
        for (auto& [name, m] : self->state.by_name) {
          // Silence counts from the first heartbeat: a worker attaches its
          // subsystems (which may take a while) before it beats, and until
          // then CAF's connection timeout alone watches it.
          auto silent =
              std::chrono::duration_cast<std::chrono::milliseconds>(now - m.heard_at);
          if (m.state.state == "up" && m.heard && silent > self->state.opts.down_after)
            declare_down(self, m,
                         "no heartbeat for " + std::to_string(silent.count()) + " ms");
        }
        self->delayed_send(self, sweep_every, sweep_atom::value);
      },
  };
}

}  // namespace

caf::actor spawn_membership(caf::actor_system& sys, membership_options options) {
  return sys.spawn(membership, std::move(options));
}

}  // namespace troupe
