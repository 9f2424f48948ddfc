// troupe: one program, several commands, one command line parser
// (runtime/app/cli/command_line.hpp; `troupe <command> --help` for each).
//   troupe node [--config-file=PATH] [--section.key=value ...]   run a node
//   troupe scale <pool> <N> --server=URL  scale a runner pool, with progress
//   troupe run <workflow.json> [--param K=V]  run one workflow, print its output
//   troupe bench submit|report|compare ... the bench subsystem's commands
//   troupe probe --node=HOST:PORT       describe a node through CAF's network
//   troupe store check|backup ...       check or copy a node's store
//   troupe version | help [command]
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/app/cli/bench.hpp"
#include "runtime/app/cli/command_line.hpp"
#include "runtime/app/cli/probe.hpp"
#include "runtime/app/cli/run.hpp"
#include "runtime/app/cli/scale.hpp"
#include "runtime/app/cli/store.hpp"
#include "runtime/app/node/node.hpp"
#include "runtime/app/node/signals.hpp"
#include "runtime/services/config/node_config.hpp"

namespace {

int node_command(const std::vector<std::string>& args) {
  auto subsystems = troupe::make_subsystems();
  troupe::node_config cfg;
  auto rc = troupe::configure_node(cfg, subsystems, args);
  if (rc < 0) return troupe::exit_ok;  // --help or --dump-config printed
  if (rc != troupe::exit_ok) return rc;
  return troupe::run_node(cfg, subsystems);
}

// `troupe node`'s options stay CAF's (node_config is an actor_system_config):
// they are the node's configuration, each INI key of config/reference.ini
// also given as --section.key=value, declared by the subsystems at start
// (some sections open-ended, like [fleet.pools]), merged with the INI file
// named by --config-file, then checked and printed (--help, --long-help,
// --dump-config) by CAF. Declaring them to CLI11 too would spell every key
// twice; so CLI11 only chooses `node` and hands on the rest as given.
void add_node(troupe::cli::command_line& cli) {
  cli.add_verbatim("node", "run a node (configuration: config/reference.ini)",
                   node_command)
      ->footer(
          "Its options are CAF's: the node's configuration, [--config-file=PATH]\n"
          "[--section.key=value ...] [--dump-config]; `troupe node --long-help` lists "
          "them all.");
}

// `troupe help [command]`: the program's usage, or the command's.
void add_help(troupe::cli::command_line& cli) {
  auto name = std::make_shared<std::string>();
  const CLI::App& root = cli.root();
  auto command_named = [&root](const std::string& n) {
    auto found =
        root.get_subcommands([&n](const CLI::App* c) { return c->check_name(n); });
    return found.empty() ? nullptr : found.front();
  };
  auto print = [&root, name, command_named] {
    auto* c = command_named(*name);
    // Not root.help(): that is the help of the command chosen, this one.
    auto& program = c ? *c : root;
    std::cout << program.get_formatter()->make_help(
        &program, c ? root.get_name() + " " + c->get_name() : root.get_name(),
        CLI::AppFormatMode::Normal);
    return 0;
  };
  auto* help =
      cli.add_command(cli.root(), "help", "print this usage, or a command's", print);
  help->add_option("command", *name, "the command to describe")
      ->check(CLI::Validator(
          [command_named](std::string& n) {
            return command_named(n) ? std::string() : "no command '" + n + "'";
          },
          "COMMAND"));
}

}  // namespace

int main(int argc, char** argv) {
  troupe::block_shutdown_signals();  // before any thread starts
  troupe::cli::command_line cli("troupe: a node and the commands that talk to one");
  add_node(cli);
  troupe::cli::add_run(cli);
  troupe::cli::add_scale(cli);
  troupe::cli::add_bench(cli);
  troupe::cli::add_probe(cli);
  troupe::cli::add_store(cli);
  cli.add_command(cli.root(), "version", "print troupe's version", [] {
    std::cout << "troupe " << TROUPE_VERSION << "\n";
    return 0;
  });
  cli.root().set_version_flag("--version", "troupe " TROUPE_VERSION);
  add_help(cli);
  cli.root().footer(
      "`troupe <command> --help` describes a command. Exit codes: 0 success, 2 bad\n"
      "arguments (the problem and the usage on stderr); each command says the rest.");
  return cli.run(argc, argv);
}
