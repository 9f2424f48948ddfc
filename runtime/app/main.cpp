// troupe: one program, several commands.
//   troupe node [--config-file=PATH] [--section.key=value ...]   run a node
//   troupe scale <pool> <N> --server=URL  scale a runner pool, with progress
//   troupe run <workflow.json> [--param K=V]  run one workflow, print its output
//   troupe bench submit|report ...      commits to bench, a static bench report
//   troupe probe --node=HOST:PORT       describe a node through CAF's network
//   troupe store check|backup ...       check or copy a node's store
//   troupe version | help
#include <iostream>
#include <string>
#include <vector>

#include "actors/workflow/run_command.hpp"
#include "runtime/app/cli/bench.hpp"
#include "runtime/app/cli/probe.hpp"
#include "runtime/app/cli/scale.hpp"
#include "runtime/app/cli/store.hpp"
#include "runtime/app/node/node.hpp"
#include "runtime/app/node/signals.hpp"
#include "runtime/services/config/node_config.hpp"

namespace {

const char* usage =
    "usage: troupe <command> [options]\n"
    "\n"
    "commands:\n"
    "  node   [--config-file=PATH] [--section.key=value ...] [--dump-config] [--help]\n"
    "         run a node (configuration: config/reference.ini)\n"
    "  run    <workflow.json> [--param NAME=VALUE ...] [--params-file=FILE]\n"
    "         run one workflow on an embedded engine; its output as JSON on stdout\n"
    "  scale  <pool> <replicas> --server=http://HOST:PORT [--token-file=FILE]\n"
    "         scale a runner pool and follow it to the end\n"
    "  bench  submit --server=URL [--token-file=F] [--repo=DIR] [--commit=SHA | "
    "--range=A..B] [--branch=B]\n"
    "         send commits of a git repository to bench\n"
    "  bench  report --out=DIR (--server=URL [--token-file=F] | --config-file=INI)\n"
    "         write the bench dashboard and history files into DIR\n"
    "  probe  --node=HOST:PORT\n"
    "         describe a node reached through CAF's network layer\n"
    "  store  check --data-dir=DIR [--full] | backup --data-dir=DIR --out=FILE\n"
    "         check a node's store, or copy it safely while the node runs\n"
    "  version\n";

int node_command(const std::vector<std::string>& args) {
  auto subsystems = troupe::make_subsystems();
  troupe::node_config cfg;
  auto rc = troupe::configure_node(cfg, subsystems, args);
  if (rc < 0) return troupe::exit_ok;  // --help or --dump-config printed
  if (rc != troupe::exit_ok) return rc;
  return troupe::run_node(cfg, subsystems);
}

}  // namespace

int main(int argc, char** argv) {
  troupe::block_shutdown_signals();  // before any thread starts
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "node") return node_command(args);
  if (command == "probe") return troupe::run_probe(args);
  if (command == "scale") return troupe::run_scale(args);
  if (command == "run") return troupe::workflow::run_command(args);
  if (command == "bench") return troupe::run_bench(args);
  if (command == "store") return troupe::run_store(args);
  if (command == "version" || command == "--version") {
    std::cout << "troupe " << TROUPE_VERSION << "\n";
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << usage;
    return 0;
  }
  std::cerr << "troupe: unknown command '" << command << "'\n" << usage;
  return 2;
}
