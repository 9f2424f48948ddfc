#include "runtime/app/cli/command_line.hpp"

#include <iostream>

namespace troupe::cli {

namespace {

// The command the parse chose: the deepest subcommand it selected (the
// root when none).
const CLI::App* chosen(const CLI::App& root) {
  const CLI::App* at = &root;
  for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands())
    at = subs.front();
  return at;
}

// "troupe bench submit": the names from the root down to `app`.
std::string path_of(const CLI::App* app) {
  std::string path = app->get_name();
  for (auto* p = app->get_parent(); p != nullptr; p = p->get_parent())
    path = p->get_name() + " " + path;
  return path;
}

// The problem, then the chosen command's usage (the root's help() shows the
// help of the subcommands it selected), on stderr.
int usage_error(const CLI::App& root, const std::string& what) {
  std::cerr << path_of(chosen(root)) << ": " << what << "\n\n" << root.help();
  return exit_usage;
}

}  // namespace

command_line::command_line(const std::string& about) : root_(about, "troupe") {
  // A value given twice: the last counts (subcommands inherit the default).
  root_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // At most one command: a second command name is an unexpected argument.
  root_.require_subcommand(0, 1);
}

CLI::App* command_line::add_command(CLI::App& parent, const std::string& name,
                                    const std::string& about, action run) {
  auto* app = parent.add_subcommand(name, about);
  actions_.emplace(app, std::move(run));
  return app;
}

CLI::App* command_line::add_group(CLI::App& parent, const std::string& name,
                                  const std::string& about) {
  auto* app = parent.add_subcommand(name, about);
  // Not require_subcommand(1): an unknown command must be named as the
  // unexpected argument it is, and CLI11 checks the requirement first.
  app->require_subcommand(0, 1);
  return app;
}

CLI::App* command_line::add_verbatim(const std::string& name, const std::string& about,
                                     verbatim_action run) {
  auto* app = root_.add_subcommand(name, about);
  app->set_help_flag();  // --help is one of its arguments
  verbatim_.emplace(app, std::move(run));
  return app;
}

int command_line::run(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc), verbatim_args;
  for (auto& [app, _] : verbatim_)
    if (!args.empty() && app->check_name(args.front())) {
      verbatim_args.assign(args.begin() + 1, args.end());
      args.resize(1);
    }
  try {
    root_.parse(std::vector<std::string>(args.rbegin(), args.rend()));  // last first
  } catch (const CLI::Success& e) {  // --help, --version
    return root_.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(root_, e.what());
  }
  auto* at = chosen(root_);
  if (auto v = verbatim_.find(at); v != verbatim_.end()) return v->second(verbatim_args);
  auto a = actions_.find(at);
  if (a == actions_.end()) return usage_error(root_, "a command is required");
  return a->second();
}

}  // namespace troupe::cli
