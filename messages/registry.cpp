#include "messages/registry.hpp"

#include "messages/errors.hpp"
#include "messages/node.hpp"
#include "messages/supervisor.hpp"

namespace troupe {

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<child_report>("troupe::child_report");
  cfg.add_message_type<supervisor_report>("troupe::supervisor_report");
  cfg.add_message_type<node_description>("troupe::node_description");
  cfg.add_message_type<node_actor>("troupe::node_actor");
  add_error_category(cfg);
}

}  // namespace troupe
