#include "actors/workflow/run_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "actors/workflow/action_core.hpp"
#include "actors/workflow/embedded_engine.hpp"
#include "runtime/services/log/log.hpp"

namespace troupe::workflow {

namespace {

const char* usage =
    "usage: troupe run <workflow.json> [--param NAME=VALUE ...] [--params-file FILE]\n"
    "                  [--action-runners=N] [--log-level=error]\n"
    "  Runs a workflow on an embedded engine (no store, no HTTP). Progress goes to\n"
    "  stderr on a terminal; stdout gets only the workflow's output as JSON.\n"
    "  VALUE is read as JSON when it is JSON (3, true, [\"a\"]) and as a string\n"
    "  otherwise. Exit: 0 succeeded, 1 failed or canceled, 2 invalid definition,\n"
    "  parameters or usage.\n";

struct run_args {
  std::string file;
  json params = json::object();
  std::size_t runners = 16;
  std::string log_level = "error";
};

// Parses the command line; prints the problem and returns nullopt on error.
std::optional<run_args> parse_args(const std::vector<std::string>& args) {
  run_args out;
  auto fail = [](const std::string& why) {
    std::cerr << "troupe run: " << why << "\n" << usage;
    return std::nullopt;
  };
  std::vector<std::string> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto& a = args[i];
    std::string value;
    if (a == "--param" || a.rfind("--param=", 0) == 0) {
      if (a == "--param") {
        if (i + 1 >= args.size()) return fail("--param needs NAME=VALUE");
        value = args[++i];
      } else {
        value = a.substr(8);
      }
      auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0)
        return fail("--param needs NAME=VALUE, got '" + value + "'");
      auto text = value.substr(eq + 1);
      auto parsed = json::parse(text);
      out.params = out.params.set(value.substr(0, eq), parsed ? *parsed : json(text));
    } else if (a == "--params-file" || a.rfind("--params-file=", 0) == 0) {
      std::string file;
      if (a == "--params-file") {
        if (i + 1 >= args.size()) return fail("--params-file needs a file");
        file = args[++i];
      } else {
        file = a.substr(14);
      }
      auto doc = json::parse_file(file);
      if (!doc) return fail(doc.error().message());
      if (!doc->is_object()) return fail(file + ": expected a JSON object of parameters");
      for (auto m : doc->members())
        if (!out.params.contains(m.key)) out.params = out.params.set(m.key, m.value);
    } else if (a.rfind("--action-runners=", 0) == 0) {
      char* end = nullptr;
      auto n = std::strtoul(a.c_str() + 17, &end, 10);
      if (*end != '\0' || n < 1 || n > 10000)
        return fail("--action-runners expects 1..10000");
      out.runners = n;
    } else if (a.rfind("--log-level=", 0) == 0) {
      out.log_level = a.substr(12);
    } else if (a.rfind("--", 0) == 0) {
      return fail("unknown option " + a);
    } else {
      given.push_back(a);
    }
  }
  if (given.size() != 1) return fail("expected one workflow file");
  out.file = given[0];
  return out;
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

}  // namespace

int run_command(const std::vector<std::string>& args) {
  auto parsed = parse_args(args);
  if (!parsed) return 2;
  log_settings log;
  log.level = parsed->log_level;
  init_logging("run", log);
  // Validate before starting anything: exit 2 names the problem.
  auto catalog = core_actions(std::filesystem::path(parsed->file).parent_path().string());
  auto def = read_definition(parsed->file, catalog);
  if (!def) return std::cerr << "troupe run: " << def.error().message() << "\n", 2;
  if (auto p = bind_parameters(**def, parsed->params); !p)
    return std::cerr << "troupe run: " << parsed->file << ": " << p.error().message()
                     << "\n",
           2;
  embedded_options options;
  options.runners = parsed->runners;
  // core.workflow finds other workflows by name beside this one.
  options.workflows_dir = std::filesystem::path(parsed->file).parent_path().string();
  if (options.workflows_dir.empty()) options.workflows_dir = ".";
  embedded_engine engine(options);
  auto started = engine.start({parsed->file, (*def)->document, parsed->params, {}});
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

}  // namespace troupe::workflow
