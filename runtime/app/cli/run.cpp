#include "runtime/app/cli/run.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "actors/workflow/action_core.hpp"
#include "actors/workflow/embedded_engine.hpp"
#include "runtime/services/log/log.hpp"

namespace troupe::cli {

namespace {

struct run_options {
  std::string file;
  std::vector<std::string> params;        // NAME=VALUE (checked), in command line order
  std::vector<std::string> params_files;  // JSON objects of parameters
  std::size_t runners = 16;
  std::string log_level = "error";
};

// The workflow's parameters: each --param (a later one wins over an earlier
// one of the same name), then what the --params-files add (the first file
// naming a parameter wins). VALUE is read as JSON when it is JSON (3, true,
// ["a"]) and as a string otherwise.
result<json> parameters_of(const run_options& o) {
  auto params = json::object();
  for (auto& p : o.params) {
    auto eq = p.find('=');
    auto text = p.substr(eq + 1);
    auto parsed = json::parse(text);
    params = params.set(p.substr(0, eq), parsed ? *parsed : json(text));
  }
  for (auto& file : o.params_files) {
    auto doc = json::parse_file(file);
    if (!doc) return doc.error();
    if (!doc->is_object())
      return status::error(file + ": expected a JSON object of parameters");
    for (auto m : doc->members())
      if (!params.contains(m.key)) params = params.set(m.key, m.value);
  }
  return params;
}

// "tasks 3/5 · items 120/1000" on one terminal line, rewritten in place.
void show_progress(const run_status& s) {
  std::fprintf(stderr, "\r\033[K%s %s: tasks %llu/%llu", s.workflow.c_str(),
               s.state.c_str(), static_cast<unsigned long long>(s.tasks_done),
               static_cast<unsigned long long>(s.tasks_total));
  if (s.items_total > 0)
    std::fprintf(stderr, " · items %llu/%llu",
                 static_cast<unsigned long long>(s.items_done),
                 static_cast<unsigned long long>(s.items_total));
  std::fflush(stderr);
}

int run(const run_options& o) {
  auto params = parameters_of(o);
  if (!params) return std::cerr << "troupe run: " << params.error().message() << "\n", 2;
  log_settings log;
  log.level = o.log_level;
  init_logging("run", log);
  // Validate before starting anything: exit 2 names the problem.
  auto dir = std::filesystem::path(o.file).parent_path().string();
  auto catalog = workflow::core_actions(dir);
  auto def = workflow::read_definition(o.file, catalog);
  if (!def) return std::cerr << "troupe run: " << def.error().message() << "\n", 2;
  if (auto p = workflow::bind_parameters(**def, *params); !p)
    return std::cerr << "troupe run: " << o.file << ": " << p.error().message() << "\n",
           2;
  workflow::embedded_options options;
  options.runners = o.runners;
  // core.workflow finds other workflows by name beside this one.
  options.workflows_dir = dir.empty() ? "." : dir;
  workflow::embedded_engine engine(options);
  auto started = engine.start({o.file, (*def)->document, *params, {}});
  if (!started)
    return std::cerr << "troupe run: " << started.error().message() << "\n", 2;
  bool tty = isatty(STDERR_FILENO) != 0;
  run_status now = *started;
  while (now.state == "running" || now.state == "paused") {
    if (tty) show_progress(now);
    auto next = engine.status(now.id, now.version);
    if (!next) break;  // it ended between two polls: wait() below has it
    now = std::move(*next);
  }
  auto done = engine.wait(now.id);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!done) return std::cerr << "troupe run: " << done.error().message() << "\n", 1;
  if (done->state != "succeeded") {
    std::cerr << "troupe run: workflow " << done->workflow << " " << done->state << "\n";
    for (auto& e : done->errors) std::cerr << "  " << e << "\n";
    return 1;
  }
  std::cout << done->output.dump(2) << "\n";
  return 0;
}

}  // namespace

void add_run(command_line& cli) {
  auto o = std::make_shared<run_options>();
  auto* cmd =
      cli.add_command(cli.root(), "run",
                      "run one workflow on an embedded engine, print its output as JSON",
                      [o] { return run(*o); });
  cmd->add_option("workflow", o->file,
                  "the workflow definition: YAML (.yaml, .yml) or JSON (any other name)")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--param", o->params,
                  "a parameter (repeatable); VALUE is read as JSON when it is JSON")
      ->type_name("NAME=VALUE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false)
      ->check(CLI::Validator(
          [](std::string& text) {
            auto eq = text.find('=');  // a NAME, then '='
            return eq == std::string::npos || eq == 0
                       ? "expected NAME=VALUE, got '" + text + "'"
                       : std::string();
          },
          "NAME=VALUE"));
  cmd->add_option("--params-file", o->params_files,
                  "a JSON object of parameters (repeatable); --param wins over it")
      ->type_name("FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false)
      ->check(CLI::ExistingFile);
  cmd->add_option("--action-runners", o->runners, "actions that may run at once")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
      ->capture_default_str();
  cmd->add_option("--log-level", o->log_level, "the log's level (logs go to stderr)")
      ->type_name("LEVEL")
      ->capture_default_str();
  cmd->footer(
      "Exit: 0 succeeded, 1 failed or canceled, 2 invalid definition, parameters or "
      "usage.");
}

}  // namespace troupe::cli
