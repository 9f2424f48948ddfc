#include "runtime/app/cli/probe.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <iostream>
#include <memory>

#include "messages/node.hpp"
#include "messages/registry.hpp"
#include "runtime/app/node/describe_json.hpp"
#include "runtime/services/cluster/transport.hpp"
#include "runtime/services/http/listen_address.hpp"

namespace troupe::cli {

namespace {

int probe(const std::string& target) {
  auto addr = parse_listen_address(target);
  if (!addr)
    return std::cerr << "troupe probe: " << addr.error().message() << "\n", exit_usage;
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
  caf::actor_system sys{cfg};
  // Plain TCP on the node's cluster port; a node serving TLS refuses it.
  auto node =
      connect_node(sys, {addr->host, addr->port, false}, std::chrono::seconds(10));
  if (!node) {
    std::cerr << "troupe probe: cannot reach " << target << ": "
              << sys.render(node.error()) << "\n";
    return 1;
  }
  caf::scoped_actor self{sys};
  int rc = 1;
  self->request(*node, std::chrono::seconds(10), describe_atom::value)
      .receive(
          [&](node_description& d) {
            self->request(*node, std::chrono::seconds(10), echo_atom::value, d)
                .receive(
                    [&](node_description& back) {
                      if (to_json(back) == to_json(d)) {
                        std::cout << to_json(d).dump(2) << "\n";
                        rc = 0;
                      } else {
                        std::cerr
                            << "troupe probe: echo returned a different description\n";
                      }
                    },
                    [&](caf::error& err) {
                      std::cerr << "troupe probe: echo failed: " << sys.render(err)
                                << "\n";
                    });
          },
          [&](caf::error& err) {
            std::cerr << "troupe probe: describe failed: " << sys.render(err) << "\n";
          });
  return rc;
}

}  // namespace

void add_probe(command_line& cli) {
  auto target = std::make_shared<std::string>();
  auto* cmd = cli.add_command(cli.root(), "probe",
                              "describe a node reached through CAF's network layer",
                              [target] { return probe(*target); });
  cmd->add_option("--node", *target, "the node's cluster.listen address")
      ->type_name("HOST:PORT")
      ->required()
      ->check(CLI::Validator(
          [](std::string& text) {
            auto addr = parse_listen_address(text);
            return addr ? std::string() : addr.error().message();
          },
          "HOST:PORT"));
}

}  // namespace troupe::cli
