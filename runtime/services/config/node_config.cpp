#include "runtime/services/config/node_config.hpp"

#include <caf/config_option_adder.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/pec.hpp>
#include <fstream>
#include <sstream>

#include "messages/registry.hpp"
#include "runtime/services/config/scheduler_defaults.hpp"
#include "runtime/services/config/validate.hpp"

namespace troupe {

namespace {

// Renders a CAF parser error as "line L, column C: <reason>" or the argument
// it concerns.
std::string render_parse_error(const caf::error& err) {
  std::string reason = err.category() == caf::atom("parser")
                           ? caf::to_string(static_cast<caf::pec>(err.code()))
                           : caf::actor_system_config::render(err);
  for (auto& c : reason)
    if (c == '_') c = ' ';
  auto& ctx = err.context();
  if (ctx.match_elements<caf::settings>()) {
    auto& d = ctx.get_as<caf::settings>(0);
    if (auto line = caf::get_if<int64_t>(&d, "line")) {
      auto col = caf::get_if<int64_t>(&d, "column");
      return std::to_string(*line) + ":" + (col ? std::to_string(*col) : "?") + ": " +
             reason;
    }
    if (auto arg = caf::get_if<std::string>(&d, "argument"))
      return "command line argument '" + *arg + "': " + reason;
  }
  return reason;
}

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (auto* a : allowed)
    if (value == a) return true;
  return false;
}

}  // namespace

node_config::node_config() {
  actor_system_config::load<caf::io::middleman>();
  actor_system_config::load<caf::openssl::manager>();
  troupe::add_message_types(*this);
  section("node")
      .add(node.name, "name", "node name, unique in a cluster")
      .add(node.role, "role", "standalone | coordinator | worker")
      .add(node.data_dir, "data-dir", "directory of the SQLite database and state")
      .add(node.shutdown_grace, "shutdown-grace",
           "time in-flight work gets to finish after SIGINT/SIGTERM");
  section("http")
      .add(http.listen, "listen", "HTTP address host:port (port 0 = any free port)")
      .add(http.token_file, "token-file", "file of the API tokens, one per line")
      .add(http.tls_certificate, "tls-certificate", "PEM certificate chain: serve HTTPS")
      .add(http.tls_key, "tls-key", "PEM private key of tls-certificate")
      .add(http.tls_key_passphrase_file, "tls-key-passphrase-file",
           "file holding the passphrase of an encrypted tls-key")
      .add(http.tls_client_ca, "tls-client-ca",
           "PEM CA: clients must present a certificate it signed (mutual TLS)")
      .add(http.allow_insecure, "allow-insecure",
           "plain HTTP beyond loopback (behind a TLS-terminating proxy)")
      .add(http.threads, "threads", "I/O threads of the HTTP server")
      .add(http.max_body_bytes, "max-body-bytes", "largest request body accepted")
      .add(http.max_inflight, "max-inflight", "requests awaiting an answer before 429");
  section("log")
      .add(log.level, "level", "trace | debug | info | warn | error")
      .add(log.format, "format", "text | json");
  section("store")
      .add(store.batch_records, "batch-records", "group commit after this many records")
      .add(store.batch_interval, "batch-interval", "... or after this much time");
  section("webhooks")
      .add(webhooks.github_secret_file, "github-secret-file",
           "file holding the GitHub webhook secret (POST /webhooks/github)");
  section("cluster")
      .add(cluster.listen, "listen", "publish this node's actors at host:port")
      .add(cluster.join, "join", "a worker's coordinator at host:port")
      .add(cluster.secret_file, "secret-file", "file holding the cluster's shared secret")
      .add(cluster.roles, "roles", "what a worker offers: creator, runner, platform")
      .add(cluster.platform, "platform", "the benchmark platform a worker runs")
      .add(cluster.labels, "labels",
           "a worker's labels (key=value), matched by selectors")
      .add(cluster.heartbeat_interval, "heartbeat-interval",
           "how often nodes exchange heartbeats (CAF's middleman and troupe's)")
      .add(cluster.connection_timeout, "connection-timeout",
           "a node silent for this long is declared down")
      .add(cluster.allow_insecure, "allow-insecure",
           "allow plain TCP on a non-loopback address");
}

status node_config::load(const std::vector<std::string>& args) {
  static const std::string flag = "--config-file=";
  for (auto& arg : args) {
    if (arg.rfind(flag, 0) == 0) file_ = arg.substr(flag.size());
    if (arg.rfind("--", 0) == 0) {
      auto key = arg.substr(2, arg.find('=') - 2);
      cli_keys_.push_back(key);
    }
  }
  std::string text;
  if (!file_.empty()) {
    std::ifstream in(file_, std::ios::binary);
    if (!in) return status::error(file_ + ": cannot read config file");
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    std::istringstream raw_in(text);
    auto raw = caf::actor_system_config::parse_config(raw_in);
    if (!raw) return status::error(file_ + ":" + render_parse_error(raw.error()));
    index_ = ini_index(text);
    auto where = [this](const std::string& key) { return origin(key); };
    if (auto st = validate_settings(*raw, custom_options_, dynamic_, where); !st)
      return st;
  }
  std::istringstream ini(text);
  if (auto err = parse(args, ini)) return status::error(render_parse_error(err));
  if (!remainder.empty())
    return status::error("command line: unexpected argument '" + remainder.front() + "'");
  if (auto st = check_ranges(); !st) return st;
  apply_scheduler_defaults(content);
  // CAF's heartbeats between nodes are off unless configured: a cluster
  // node always has them, so a silent peer is dropped (and its actors
  // reported down) after the connection timeout.
  if (node.role != "standalone") {
    caf::put(content, "middleman.heartbeat-interval",
             caf::timespan{cluster.heartbeat_interval});
    caf::put(content, "middleman.connection-timeout",
             caf::timespan{cluster.connection_timeout});
  }
  return status::ok();
}

caf::config_option_adder node_config::section(const std::string& name) {
  sections_.push_back(name);
  return {custom_options_, sections_.back()};
}

void node_config::dynamic_section(const std::string& prefix) {
  dynamic_.push_back(prefix);
}

std::vector<std::pair<std::string, caf::config_value>> node_config::values() const {
  std::vector<std::pair<std::string, caf::config_value>> out;
  for (auto& opt : custom_options_) {
    auto cat = opt.category();
    if (std::find(sections_.begin(), sections_.end(),
                  std::string(cat.begin(), cat.end())) == sections_.end())
      continue;
    auto name = opt.full_name();
    out.emplace_back(std::string(name.begin(), name.end()),
                     opt.get().value_or(caf::config_value{}));
  }
  return out;
}

std::string node_config::origin(const std::string& key) const {
  for (auto& k : cli_keys_)
    if (k == key) return "command line";
  if (!file_.empty()) {
    if (auto line = index_.line_of(key); line > 0)
      return file_ + ":" + std::to_string(line);
    return file_;
  }
  return "default";
}

status node_config::check_ranges() const {
  auto bad = [this](const std::string& key, const std::string& expected,
                    const std::string& got) {
    return status::error(origin(key) + ": key '" + key + "' expects " + expected +
                         ", got " + got);
  };
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  if (node.name.empty()) return bad("node.name", "a non-empty name", quoted(node.name));
  if (!one_of(node.role, {"standalone", "coordinator", "worker"}))
    return bad("node.role", "one of standalone, coordinator, worker", quoted(node.role));
  if (node.data_dir.empty())
    return bad("node.data-dir", "a directory path", quoted(node.data_dir));
  if (node.shutdown_grace.count() <= 0)
    return bad("node.shutdown-grace", "a positive duration such as 10s", "zero or less");
  if (http.listen.find(':') == std::string::npos)
    return bad("http.listen", "host:port", quoted(http.listen));
  if (http.threads < 1 || http.threads > 64)
    return bad("http.threads", "1..64", std::to_string(http.threads));
  if (http.max_body_bytes < 1024)
    return bad("http.max-body-bytes", "at least 1024",
               std::to_string(http.max_body_bytes));
  if (http.max_inflight < 1)
    return bad("http.max-inflight", "at least 1", std::to_string(http.max_inflight));
  if (!one_of(log.level, {"trace", "debug", "info", "warn", "error"}))
    return bad("log.level", "one of trace, debug, info, warn, error", quoted(log.level));
  if (!one_of(log.format, {"text", "json"}))
    return bad("log.format", "one of text, json", quoted(log.format));
  if (store.batch_records < 1 || store.batch_records > 100000)
    return bad("store.batch-records", "1..100000", std::to_string(store.batch_records));
  if (store.batch_interval.count() <= 0)
    return bad("store.batch-interval", "a positive duration such as 10ms",
               "zero or less");
  if (!cluster.listen.empty() && cluster.listen.find(':') == std::string::npos)
    return bad("cluster.listen", "host:port", quoted(cluster.listen));
  if (!cluster.join.empty() && cluster.join.find(':') == std::string::npos)
    return bad("cluster.join", "host:port", quoted(cluster.join));
  if (node.role == "worker" && cluster.join.empty())
    return bad("cluster.join", "the coordinator's host:port on a worker", "nothing");
  if (node.role != "worker" && !cluster.join.empty())
    return bad("cluster.join", "nothing unless node.role is worker",
               quoted(cluster.join));
  if (node.role == "coordinator" && cluster.listen.empty())
    return bad("cluster.listen", "host:port on a coordinator", "nothing");
  if (node.role != "standalone" && cluster.secret_file.empty())
    return bad("cluster.secret-file", "a file with the cluster's shared secret",
               "nothing");
  for (auto& r : cluster.roles)
    if (!one_of(r, {"creator", "runner", "platform"}))
      return bad("cluster.roles", "a list of creator, runner, platform", quoted(r));
  for (auto& l : cluster.labels)
    if (l.empty() || l.front() == '=')
      return bad("cluster.labels", "key=value or word entries", quoted(l));
  if (cluster.heartbeat_interval < std::chrono::milliseconds(10))
    return bad("cluster.heartbeat-interval", "at least 10ms", "less");
  if (cluster.connection_timeout < 2 * cluster.heartbeat_interval)
    return bad("cluster.connection-timeout", "at least twice cluster.heartbeat-interval",
               "less");
  return status::ok();
}

}  // namespace troupe
