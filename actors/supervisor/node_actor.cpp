#include "actors/supervisor/node_actor.hpp"

#include <caf/all.hpp>
#include <chrono>

#include "messages/errors.hpp"

namespace troupe {

namespace {

struct node_state {
  node_identity id;
  supervisor_actor root;
  membership_actor membership;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  static inline const char* name = "troupe.node";
};

node_actor::behavior_type node_behavior(node_actor::stateful_pointer<node_state> self,
                                        node_identity id, supervisor_actor root,
                                        caf::actor membership) {
  self->state.id = std::move(id);
  self->state.root = std::move(root);
  self->state.membership = caf::actor_cast<membership_actor>(membership);
  // The cluster's requests go to the membership actor; the sender (the
  // joining node's agent) stays the sender, so membership sees its node.
  auto not_coordinator = [self] {
    return make_error(errc::not_a_member,
                      "'" + self->state.id.name + "' is not a coordinator");
  };
  return {
      [self](describe_atom) -> caf::result<node_description> {
        auto rp = self->make_response_promise<node_description>();
        node_description d;
        auto& st = self->state;
        d.name = st.id.name;
        d.role = st.id.role;
        d.version = st.id.version;
        d.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - st.started)
                          .count();
        self->request(st.root, std::chrono::seconds(5), describe_atom::value)
            .then(
                [rp, d](supervisor_report& r) mutable {
                  d.supervision = std::move(r);
                  rp.deliver(std::move(d));
                },
                [rp, d](caf::error&) mutable {
                  d.supervision.name = "root";
                  d.supervision.status = supervisor_status::down;
                  rp.deliver(std::move(d));
                });
        return rp;
      },
      [](echo_atom, node_description& x) { return std::move(x); },
      [=](join_atom a, std::string& name) -> caf::result<std::string> {
        if (!self->state.membership) return not_coordinator();
        return self->delegate(self->state.membership, a, std::move(name));
      },
      [=](join_atom a, member_info& info, std::string& proof,
          std::string& nonce) -> caf::result<std::string, std::string> {
        if (!self->state.membership) return not_coordinator();
        return self->delegate(self->state.membership, a, std::move(info),
                              std::move(proof), std::move(nonce));
      },
      [=](heartbeat_atom a, std::string& name,
          member_load load) -> caf::result<std::int64_t> {
        if (!self->state.membership) return not_coordinator();
        return self->delegate(self->state.membership, a, std::move(name), load);
      },
      [=](lookup_atom a, caf::atom_value name) -> caf::result<caf::actor> {
        if (!self->state.membership) return not_coordinator();
        return self->delegate(self->state.membership, a, name);
      },
      [=](members_atom a) -> caf::result<cluster_view> {
        if (!self->state.membership) return not_coordinator();
        return self->delegate(self->state.membership, a);
      },
      [=](members_atom a, std::uint64_t since) -> caf::result<cluster_view> {
        if (!self->state.membership) return not_coordinator();
        return self->delegate(self->state.membership, a, since);
      },
  };
}

}  // namespace

node_actor spawn_node_actor(caf::actor_system& sys, node_identity id,
                            supervisor_actor root, caf::actor membership) {
  return sys.spawn(node_behavior, std::move(id), std::move(root), std::move(membership));
}

}  // namespace troupe
