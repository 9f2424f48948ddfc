#include "runtime/app/cli/bench.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>

#include "actors/bench/bench_subsystem.hpp"
#include "actors/bench/history_actor.hpp"
#include "actors/bench/history_read.hpp"
#include "runtime/app/cli/bench_cli.hpp"
#include "runtime/app/cli/options.hpp"
#include "runtime/app/node/migrations.hpp"
#include "runtime/app/node/node.hpp"
#include "runtime/base/atomic_file.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/github/github_webhooks.hpp"
#include "runtime/services/http/client.hpp"
#include "runtime/services/process/process_service.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::cli {

namespace {

struct submit_options {
  api_options api;
  std::string repo = ".", commit, range, branch;
};

struct report_options {
  api_options api;
  std::string out, config_file;
  bool from_server = false;  // --server given (else --config-file)
};

int submit(const submit_options& o) {
  auto a = connect(o.api, std::chrono::seconds(60), "troupe bench");
  if (!a) return exit_usage;
  auto& repo = o.repo;
  process_service ps;
  auto branch = o.branch;
  if (branch.empty()) {
    auto head = git(ps, repo, {"rev-parse", "--abbrev-ref", "HEAD"});
    if (!head) return std::cerr << "troupe bench: " << head.error().message() << "\n", 1;
    branch = head->substr(0, head->find('\n'));
  }
  std::vector<std::string> log{"log", "--format=%H%x1f%P%x1f%ct%x1f%B%x1e"};
  if (!o.range.empty())
    log.insert(log.end(), {"--reverse", o.range});
  else
    log.insert(log.end(), {"-1", o.commit.empty() ? "HEAD" : o.commit});
  auto out = git(ps, repo, log);
  if (!out) return std::cerr << "troupe bench: " << out.error().message() << "\n", 1;
  json::array_builder commits;
  std::size_t start = 0, count = 0;
  for (auto end = out->find('\x1e'); end != std::string::npos;
       start = end + 1, end = out->find('\x1e', start)) {
    auto record = out->substr(start, end - start);
    record.erase(0, record.find_first_not_of('\n'));
    std::vector<std::string> f;
    for (std::size_t s = 0, e;
         f.size() < 3 && (e = record.find('\x1f', s)) != std::string::npos; s = e + 1) {
      f.push_back(record.substr(s, e - s));
      if (f.size() == 3) f.push_back(record.substr(e + 1));
    }
    if (f.size() != 4) continue;
    auto parent = f[1].substr(0, f[1].find(' '));
    commits.push_back(json::object()
                          .set("sha", f[0])
                          .set("parent", parent)
                          .set("time", std::stoll(f[2].empty() ? "0" : f[2]))
                          .set("message", f[3])
                          .set("branch", branch));
    ++count;
  }
  if (count == 0) return std::cerr << "troupe bench: no commits to submit\n", 1;
  auto r = a->call("POST", "/api/v1/bench/commits", commits.build().dump());
  if (!r.ok() || r.status != 202)
    return std::cerr << "troupe bench: " << describe_failure(r) << "\n", 1;
  std::cerr << "submitted " << count << " commit(s) of " << branch << "\n";
  std::cout << r.body << "\n";
  return 0;
}

int report_from_server(api_client& a, const std::string& out) {
  auto page = a.call("GET", "/dashboard");
  if (!page.ok() || page.status != 200)
    return std::cerr << "troupe bench: /dashboard: " << describe_failure(page) << "\n", 1;
  if (auto st = write_file_atomically(out + "/index.html", page.body); !st)
    return std::cerr << st.message() << "\n", 1;
  auto s = a.call("GET", "/api/v1/bench/status");
  auto status = s.ok() && s.status == 200
                    ? json::parse(s.body)
                    : result<json>(status::error(describe_failure(s)));
  if (!status)
    return std::cerr << "troupe bench: status: " << status.error().message() << "\n", 1;
  for (auto& p : (*status)["platforms"].items()) {
    auto name = std::string(p["name"].as_string());
    auto h = a.call("GET", "/api/v1/bench/history/" + name);
    if (!h.ok() || h.status != 200)
      return std::cerr << "troupe bench: history " << name << ": " << describe_failure(h)
                       << "\n",
             1;
    if (auto st = write_file_atomically(out + "/history-" + name + ".json", h.body); !st)
      return std::cerr << st.message() << "\n", 1;
  }
  return 0;
}

int report_from_store(const std::string& config_file, const std::string& out) {
  auto subsystems = make_subsystems();
  node_config cfg;
  auto rc = configure_node(cfg, subsystems, {"--config-file=" + config_file});
  if (rc != exit_ok) return rc < 0 ? 0 : rc;
  auto migrations = node_migrations();
  migrations.push_back(github_webhooks::table());
  std::vector<std::string> platforms;
  bench::detector_options detection;
  for (auto& s : subsystems) {
    for (auto& m : s->migrations()) migrations.push_back(m);
    if (auto* b = dynamic_cast<bench::bench_subsystem*>(s.get())) {
      for (auto& p : b->platforms()) platforms.push_back(p.name);
      detection = bench::detector_options_of(b->settings());
    }
  }
  std::sort(migrations.begin(), migrations.end(),
            [](auto& x, auto& y) { return x.version < y.version; });
  store_options so;
  so.path = (std::filesystem::path(cfg.node.data_dir) / "troupe.db").string();
  auto db = store::open(so, migrations);
  if (!db) return std::cerr << "troupe bench: " << db.error().message() << "\n", 1;
  auto data = bench::load_dashboard(**db, nullptr, platforms, detection);
  if (!data) return std::cerr << "troupe bench: " << data.error().message() << "\n", 1;
  if (auto st =
          write_file_atomically(out + "/index.html", bench::render_dashboard(*data));
      !st)
    return std::cerr << st.message() << "\n", 1;
  if (auto st = bench::export_history(**db, out, platforms, detection); !st)
    return std::cerr << st.message() << "\n", 1;
  return 0;
}

int report(const report_options& o) {
  int rc;
  if (o.from_server) {
    auto a = connect(o.api, std::chrono::seconds(60), "troupe bench");
    if (!a) return exit_usage;
    rc = report_from_server(*a, o.out);
  } else {
    rc = report_from_store(o.config_file, o.out);
  }
  if (rc == 0) std::cerr << "wrote " << o.out << "/index.html and the history files\n";
  return rc;
}

void add_submit(command_line& cli, CLI::App& bench) {
  auto o = std::make_shared<submit_options>();
  auto* cmd =
      cli.add_command(bench, "submit", "send commits of a git repository to bench",
                      [o] { return submit(*o); });
  add_api_options(*cmd, o->api);
  add_repo_option(*cmd, o->repo);
  auto* commit =
      cmd->add_option("--commit", o->commit, "the one commit to send (default HEAD)")
          ->type_name("SHA");
  cmd->add_option("--range", o->range, "the commits of A..B, oldest first")
      ->type_name("A..B")
      ->excludes(commit);
  cmd->add_option("--branch", o->branch,
                  "the commits' branch (default: the repository's current branch)")
      ->type_name("NAME");
}

void add_report(command_line& cli, CLI::App& bench) {
  auto o = std::make_shared<report_options>();
  auto* cmd = cli.add_command(
      bench, "report", "write the bench dashboard and history files into a directory",
      [o] { return report(*o); });
  cmd->add_option("--out", o->out,
                  "the directory for index.html and history-<platform>.json")
      ->type_name("DIR")
      ->required();
  auto* server = add_api_options(*cmd, o->api, false);
  server->description("read from a running node's HTTP API, http://HOST:PORT");
  auto* config =
      cmd->add_option("--config-file", o->config_file,
                      "read straight from the store of the node this configuration runs")
          ->type_name("INI")
          ->excludes(server);
  cmd->callback([o, server, config] {
    if (server->count() == 0 && config->count() == 0)
      throw CLI::RequiredError("--server or --config-file");
    o->from_server = server->count() > 0;
  });
}

}  // namespace

void add_bench(command_line& cli) {
  auto* bench = cli.add_group(cli.root(), "bench", "the bench subsystem's commands");
  add_submit(cli, *bench);
  add_report(cli, *bench);
  add_bench_compare(cli, *bench);
}

}  // namespace troupe::cli
