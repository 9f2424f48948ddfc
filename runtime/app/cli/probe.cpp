#include "runtime/app/cli/probe.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <iostream>

#include "messages/node.hpp"
#include "messages/registry.hpp"
#include "runtime/app/node/describe_json.hpp"
#include "runtime/services/cluster/transport.hpp"
#include "runtime/services/http/listen_address.hpp"

namespace troupe {

int run_probe(const std::vector<std::string>& args) {
  std::string target;
  for (auto& a : args) {
    if (a.rfind("--node=", 0) == 0) {
      target = a.substr(7);
    } else {
      std::cerr << "troupe probe: unknown argument '" << a << "'\n"
                << "usage: troupe probe --node=HOST:PORT\n";
      return 2;
    }
  }
  auto addr = parse_listen_address(target);
  if (target.empty() || !addr) {
    std::cerr << "troupe probe: --node=HOST:PORT is required"
              << (addr ? "" : ": " + addr.error().message()) << "\n";
    return 2;
  }
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

}  // namespace troupe
