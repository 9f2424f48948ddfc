#include "actors/fleet/placement_actor.hpp"

#include <caf/all.hpp>

#include "actors/fleet/placement.hpp"
#include "actors/fleet/pool_directory.hpp"
#include "messages/errors.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::fleet {

namespace {

placement_actor::behavior_type placements(placement_actor::pointer self,
                                          placement_context ctx) {
  return {
      [self, ctx](placement_atom) -> caf::result<std::vector<pool_placement>> {
        auto& sender = self->current_sender();
        auto info =
            sender && ctx.members ? ctx.members->find(sender->node()) : std::nullopt;
        if (!info)
          return make_error(errc::not_a_member, "only members learn the cluster's pools");
        std::vector<pool_placement> out;
        for (auto& p : ctx.pools) {
          auto handle = ctx.directory->get(self->system(), p.name);
          if (handle && placement_refusal(p, *info).empty())
            out.push_back(to_placement(p, std::move(handle), ctx.owner));
        }
        return out;
      },
  };
}

}  // namespace

placement_actor spawn_placement(caf::actor_system& sys, placement_context ctx) {
  return sys.spawn(placements, std::move(ctx));
}

}  // namespace troupe::fleet
