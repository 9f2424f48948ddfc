#include "actors/node_actor.hpp"

#include <caf/all.hpp>
#include <chrono>

namespace troupe {

namespace {

struct node_state {
  node_identity id;
  caf::actor root;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  static inline const char* name = "troupe.node";
};

node_actor::behavior_type node_behavior(node_actor::stateful_pointer<node_state> self,
                                        node_identity id, caf::actor root) {
  self->state.id = std::move(id);
  self->state.root = std::move(root);
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
                  d.supervision.status = "down";
                  rp.deliver(std::move(d));
                });
        return rp;
      },
      [](echo_atom, node_description& x) { return std::move(x); },
  };
}

}  // namespace

node_actor spawn_node_actor(caf::actor_system& sys, node_identity id, caf::actor root) {
  return sys.spawn(node_behavior, std::move(id), std::move(root));
}

}  // namespace troupe
