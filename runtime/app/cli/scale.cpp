#include "runtime/app/cli/scale.hpp"

#include <unistd.h>

#include <iostream>
#include <limits>
#include <memory>

#include "runtime/app/cli/options.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::cli {

namespace {

struct scale_options {
  std::string pool;
  std::int64_t replicas = 0;
  api_options api;
};

void draw(const json& s, bool tty, double seconds, std::int64_t& last_tenth) {
  auto& op = s["last_scale"];
  auto want = op["to_create"].as_int(), made = op["created"].as_int(),
       failed = op["failed"].as_int();
  if (tty) {
    constexpr int width = 30;
    int filled = want > 0 ? static_cast<int>(width * (made + failed) / want) : width;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '-')
              << "] created " << made << "/" << want << "  failed " << failed
              << "  in flight " << s["in_flight"].as_int() << "  concurrency "
              << s["concurrency"].as_int() << "  "
              << static_cast<int>(seconds * 10) / 10.0 << "s   " << std::flush;
    return;
  }
  auto tenth = want > 0 ? 10 * made / want : 10;
  if (tenth > last_tenth) {
    last_tenth = tenth;
    std::cerr << "created " << made << "/" << want << " runners\n";
  }
}

int scale(const scale_options& o) {
  auto client = connect(o.api, std::chrono::seconds(30), "troupe scale");
  if (!client) return exit_usage;
  auto& a = *client;
  auto& pool = o.pool;
  auto replicas = o.replicas;
  auto started = std::chrono::steady_clock::now();
  auto r = a.call("POST", "/api/v1/pools/" + pool + "/scale",
                  "{\"replicas\":" + std::to_string(replicas) + "}");
  if (!r.ok() || r.status != 202)
    return std::cerr << "troupe scale: " << describe_failure(r) << "\n", 1;
  auto s = *json::parse(r.body);
  auto op_id = s["last_scale"]["id"].as_int();
  bool tty = isatty(STDERR_FILENO) != 0;
  std::int64_t last_tenth = -1;
  for (;;) {
    auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    draw(s, tty, seconds, last_tenth);
    auto& op = s["last_scale"];
    if (op["id"].as_int() != op_id) {
      std::cerr << "\ntroupe scale: another scale operation replaced this one\n";
      return 1;
    }
    if (op["done"].as_bool()) break;
    r = a.call("GET", "/api/v1/pools/" + pool +
                          "?since=" + std::to_string(s["version"].as_int()));
    if (!r.ok() || r.status != 200)
      return std::cerr << "\ntroupe scale: " << describe_failure(r) << "\n", 1;
    s = *json::parse(r.body);
  }
  auto& op = s["last_scale"];
  auto seconds =
      static_cast<double>(op["finished_ms"].as_int() - op["started_ms"].as_int()) /
      1000.0;
  if (tty) std::cerr << "\n";
  std::cerr << "pool " << pool << ": " << op["from"].as_int() << " -> "
            << op["to"].as_int() << ": created " << op["created"].as_int() << " of "
            << op["to_create"].as_int() << ", " << op["failed"].as_int() << " failed, "
            << op["deleted"].as_int() << " deleted in " << seconds << " s\n";
  for (auto& f : op["failures"].items())
    std::cerr << "  failed: " << f.as_string() << "\n";
  std::cout << s.dump() << "\n";
  return op["failed"].as_int() == 0 ? 0 : 1;
}

}  // namespace

void add_scale(command_line& cli) {
  auto o = std::make_shared<scale_options>();
  auto* cmd =
      cli.add_command(cli.root(), "scale", "scale a runner pool and follow it to the end",
                      [o] { return scale(*o); });
  cmd->add_option("pool", o->pool, "the pool, as the node's [fleet.pools] names it")
      ->required();
  cmd->add_option("replicas", o->replicas, "the pool's new desired count")
      ->required()
      ->type_name("N")
      ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max(), "N"));
  add_api_options(*cmd, o->api);
}

}  // namespace troupe::cli
