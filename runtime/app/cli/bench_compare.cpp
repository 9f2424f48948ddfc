// troupe bench compare: an A/B comparison through a node's API, as a CI gate.
//
//   troupe bench compare --server=URL --base=A --head=B [--platform=P ...]
//       [--rounds=N] [--fail-above=PCT] [--json | --markdown] [--repo=DIR]
//       [--timeout=SECONDS] [--token-file=F]
//
// A and B are commits; names git knows in --repo (default ".": branches,
// tags, HEAD~1) are resolved to their shas first. POSTs the comparison,
// follows it until it is done (between two GETs it waits on bench's status
// feed, GET /api/v1/bench/status?since=V, a long poll), and prints it as a table
// (default), the comparison's JSON (--json), or Markdown fit for a pull
// request comment (--markdown). Exit codes: 0 no significant regression
// beyond --fail-above (percent, default 0); 1 there is one; 2 bad arguments;
// 3 the comparison is incomplete (a platform missing or a failure) or the
// node could not be asked.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "runtime/app/cli/bench_cli.hpp"
#include "runtime/app/cli/options.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/process/process_service.hpp"

namespace troupe::cli {

namespace {

// exit_usage (2) is every command's (runtime/app/cli/command_line.hpp).
constexpr int exit_regression = 1, exit_incomplete = 3;

struct compare_options {
  api_options api;
  std::string base, head, repo = ".";
  std::vector<std::string> platforms;
  int rounds = 10;
  double fail_above = 0, timeout_s = 7200;
  bool as_json = false, as_markdown = false;  // the output (else a table)
};

std::string percent(double fraction) {
  if (!std::isfinite(fraction)) return "?";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", fraction * 100);
  return buf;
}

std::string value(const json& v, const std::string& unit) {
  if (!v.is_number()) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4g %s", v.as_double(), unit.c_str());
  return buf;
}

std::string interval(const json& b) {
  if (!b["low"].is_number() || !b["high"].is_number()) return "-";
  return percent(b["low"].as_double()) + " .. " + percent(b["high"].as_double());
}

// A sha as given, or what git makes of a name in `repo`.
result<std::string> resolve(process_service& ps, const std::string& repo,
                            const std::string& name) {
  auto out = git(ps, repo, {"rev-parse", "--verify", "--quiet", name + "^{commit}"});
  if (out) return out->substr(0, out->find('\n'));
  bool hex = name.size() >= 4 && name.size() <= 64 &&
             name.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (hex) return name;
  return status::error("'" + name + "' is neither a commit git knows in " + repo +
                       " nor a sha");
}

struct row {
  std::string platform, benchmark;
  const json* b;
};

std::vector<row> rows_of(const json& result) {
  std::vector<row> out;
  for (auto p : result.members())
    for (auto b : p.value["benchmarks"].members())
      out.push_back({std::string(p.key), std::string(b.key), &b.value});
  return out;
}

void print_table(std::ostream& os, const json& c, const std::vector<row>& rows,
                 double confidence) {
  os << "comparison " << c["id"].as_int() << ": " << c["head"].as_string() << " against "
     << c["base"].as_string() << ", " << c["rounds"].as_int() << " rounds\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-14s %-32s %14s %14s %9s %21s %7s  %s\n", "platform",
                "benchmark", "base", "head", "change",
                (std::to_string(int(confidence * 100)) + "% interval").c_str(), "noise",
                "verdict");
  os << line;
  for (auto& r : rows) {
    auto& b = *r.b;
    auto unit = std::string(b["unit"].as_string());
    std::snprintf(
        line, sizeof line, "%-14s %-32s %14s %14s %9s %21s %7s  %s\n", r.platform.c_str(),
        r.benchmark.c_str(), value(b["base"], unit).c_str(),
        value(b["head"], unit).c_str(), percent(b["change"].as_double()).c_str(),
        interval(b).c_str(), percent(b["noise"].as_double()).substr(1).c_str(),
        b["significant"].as_bool() ? std::string(b["verdict"].as_string()).c_str()
                                   : "same");
    os << line;
  }
}

void print_markdown(std::ostream& os, const json& c, const std::vector<row>& rows) {
  auto shorten = [](const json& sha) {
    return std::string(sha.as_string()).substr(0, 10);
  };
  os << "### troupe bench compare: `" << shorten(c["head"]) << "` against `"
     << shorten(c["base"]) << "` (" << c["rounds"].as_int() << " rounds, interleaved)\n\n"
     << "| platform | benchmark | base | head | change | 99% interval | noise | verdict "
        "|\n"
     << "|---|---|---:|---:|---:|---|---:|---|\n";
  for (auto& r : rows) {
    auto& b = *r.b;
    auto unit = std::string(b["unit"].as_string());
    bool significant = b["significant"].as_bool();
    auto verdict = std::string(b["verdict"].as_string());
    os << "| " << r.platform << " | `" << r.benchmark << "` | " << value(b["base"], unit)
       << " | " << value(b["head"], unit) << " | " << (significant ? "**" : "")
       << percent(b["change"].as_double()) << (significant ? "**" : "") << " | "
       << interval(b) << " | " << percent(b["noise"].as_double()).substr(1) << " | "
       << (!significant              ? "same"
           : verdict == "regression" ? "🔴 regression"
                                     : "🟢 improvement")
       << " |\n";
  }
}

int compare(const compare_options& o) {
  process_service ps;
  auto base = resolve(ps, o.repo, o.base);
  auto head = resolve(ps, o.repo, o.head);
  for (auto* r : {&base, &head})
    if (!*r)
      return std::cerr << "troupe bench compare: " << r->error().message() << "\n",
             exit_usage;
  auto api = connect(o.api, std::chrono::seconds(60), "troupe bench");
  if (!api) return exit_usage;

  json::array_builder names;
  for (auto& p : o.platforms) names.push_back(p);
  auto body =
      json::object().set("base", *base).set("head", *head).set("rounds", o.rounds);
  if (!o.platforms.empty()) body = body.set("platforms", names.build());
  auto posted = api->call("POST", "/api/v1/bench/compare", body.dump());
  auto answer = posted.ok() && posted.status == 202
                    ? json::parse(posted.body)
                    : result<json>(status::error(describe_failure(posted)));
  if (!answer)
    return std::cerr << "troupe bench compare: " << answer.error().message() << "\n",
           exit_incomplete;
  auto id = (*answer)["id"].as_int();
  std::cerr << "comparison " << id << ": " << *head << " against " << *base << " ("
            << o.rounds << " rounds)\n";
  auto until =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(o.timeout_s);
  json c;
  std::int64_t seen = 0;  // bench's status version last answered
  for (std::string last;;) {
    auto got = api->call("GET", "/api/v1/bench/compare/" + std::to_string(id));
    auto doc = got.ok() && got.status == 200
                   ? json::parse(got.body)
                   : result<json>(status::error(describe_failure(got)));
    if (!doc)
      return std::cerr << "troupe bench compare: " << doc.error().message() << "\n",
             exit_incomplete;
    auto state = std::string((*doc)["state"].as_string());
    if (state == "done") {
      c = *doc;
      break;
    }
    if (state != last) std::cerr << "comparison " << id << ": " << state << "\n";
    last = state;
    if (std::chrono::steady_clock::now() > until)
      return std::cerr << "troupe bench compare: not done within --timeout\n",
             exit_incomplete;
    // Answered at bench's next change (or after 10 s). While bench restarts
    // (503, Retry-After: 1) it waits the second the node asks for.
    auto feed = api->call("GET", "/api/v1/bench/status?since=" + std::to_string(seen));
    auto f = feed.ok() && feed.status == 200 ? json::parse(feed.body)
                                             : result<json>(status::error("no status"));
    if (f && (*f)["version"].is_int())
      seen = (*f)["version"].as_int();
    else
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }

  auto& result = c["result"];
  auto rows = rows_of(result["platforms"]);
  if (o.as_json)
    std::cout << c.dump() << "\n";
  else if (o.as_markdown)
    print_markdown(std::cout, c, rows);
  else
    print_table(std::cout, c, rows, 0.99);
  bool incomplete = !result["missing"].empty() || rows.empty();
  for (auto p : result["platforms"].members())
    incomplete = incomplete || !p.value["failures"].empty();
  bool regression = false;
  for (auto& r : rows) {
    auto& b = *r.b;
    if (b["significant"].as_bool() && b["verdict"].as_string() == "regression" &&
        std::fabs(b["change"].as_double()) * 100 > o.fail_above)
      regression = true;
  }
  if (incomplete) {
    for (auto& m : result["missing"].items())
      std::cerr << "missing platform: " << m.as_string() << "\n";
    for (auto p : result["platforms"].members())
      for (auto& f : p.value["failures"].items())
        std::cerr << "failure on " << p.key << ": " << f["step"].as_string() << ": "
                  << f["message"].as_string() << "\n";
  }
  if (regression) return exit_regression;
  return incomplete ? exit_incomplete : 0;
}

// A finite number for which `ok` holds, `what` in the usage and errors:
// CLI11's ranges let NaN through, and a NaN --fail-above would pass every
// regression.
CLI::Validator number_where(const std::string& what, bool (*ok)(double)) {
  return CLI::Validator(
      [what, ok](std::string& text) {
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        bool good = !text.empty() && *end == '\0' && std::isfinite(v) && ok(v);
        return good ? std::string() : "expected a " + what + ", got '" + text + "'";
      },
      what);
}

}  // namespace

void add_bench_compare(command_line& cli, CLI::App& bench) {
  auto o = std::make_shared<compare_options>();
  auto* cmd = cli.add_command(
      bench, "compare",
      "compare two commits through a node's bench (a CI gate: exit 1 on a regression, 3 "
      "when incomplete)",
      [o] { return compare(*o); });
  add_api_options(*cmd, o->api);
  cmd->add_option("--base", o->base,
                  "the commit compared against (a sha or a name git knows in --repo)")
      ->type_name("A")
      ->required();
  cmd->add_option("--head", o->head, "the commit compared")->type_name("B")->required();
  cmd->add_option("--platform", o->platforms,
                  "a platform to compare on (repeatable; default all)")
      ->type_name("P")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  cmd->add_option("--rounds", o->rounds, "interleaved rounds per commit")
      ->check(CLI::Range(2, 100))
      ->capture_default_str();
  cmd->add_option("--fail-above", o->fail_above,
                  "a regression fails only when above this change, in percent")
      ->type_name("PCT")
      ->check(number_where("NUMBER >= 0", [](double v) { return v >= 0; }))
      ->capture_default_str();
  auto* as_json = cmd->add_flag("--json", o->as_json, "print the comparison's JSON");
  cmd->add_flag("--markdown", o->as_markdown,
                "print Markdown fit for a pull request comment")
      ->excludes(as_json);
  add_repo_option(*cmd, o->repo);
  cmd->add_option("--timeout", o->timeout_s, "give up when not done within this time")
      ->type_name("SECONDS")
      ->check(number_where("NUMBER > 0", [](double v) { return v > 0; }))
      ->capture_default_str();
}

}  // namespace troupe::cli
