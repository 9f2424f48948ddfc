#include "runtime/app/node/node.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "actors/cluster/agent.hpp"
#include "actors/cluster/membership.hpp"
#include "actors/supervisor/node_actor.hpp"
#include "actors/supervisor/supervisor.hpp"
#include "runtime/app/node/migrations.hpp"
#include "runtime/app/node/node_routes.hpp"
#include "runtime/app/node/readiness.hpp"
#include "runtime/app/node/signals.hpp"
#include "runtime/services/cluster/transport.hpp"
#include "runtime/services/config/secret_file.hpp"
#include "runtime/services/github/github_webhooks.hpp"
#include "runtime/services/http/api_tokens.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/log/log.hpp"
#include "runtime/services/metrics/metrics.hpp"
#include "runtime/services/process/leftovers.hpp"
#include "runtime/services/process/process_service.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe {

namespace {

using namespace std::chrono_literals;

// Why the node stops: a signal, or its root supervisor terminated.
class stop_latch {
 public:
  void trigger(std::string why) {
    std::lock_guard<std::mutex> guard{mu_};
    if (!reason_.empty()) return;
    reason_ = std::move(why);
    cv_.notify_all();
  }
  std::string wait() {
    std::unique_lock<std::mutex> guard{mu_};
    cv_.wait(guard, [this] { return !reason_.empty(); });
    return reason_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string reason_;
};

// Set when an actor terminates; waitable with a deadline.
class termination {
 public:
  void attach(const caf::actor& a) {
    a->attach_functor([this](const caf::error& reason) {
      std::lock_guard<std::mutex> guard{mu_};
      done_ = true;
      reason_ = reason;
      cv_.notify_all();
    });
  }
  bool wait_for(caf::timespan d) {
    std::unique_lock<std::mutex> guard{mu_};
    return cv_.wait_for(guard, d, [this] { return done_; });
  }
  caf::error reason() {
    std::lock_guard<std::mutex> guard{mu_};
    return reason_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  caf::error reason_;
};

// What SIGHUP reaches: the HTTP server while it serves HTTPS.
class tls_reloader {
 public:
  // Points the reloader at `server` for its lifetime (null: nothing to reload).
  class serving {
   public:
    serving(tls_reloader& r, http_server* server) : r_(r) { r_.set(server); }
    ~serving() { r_.set(nullptr); }
    serving(const serving&) = delete;
    serving& operator=(const serving&) = delete;

   private:
    tls_reloader& r_;
  };

  // On the signal thread: the server keeps its old files on an error.
  void hangup() {
    std::lock_guard<std::mutex> lock(mu_);
    if (server_ == nullptr) return;
    if (auto st = server_->reload_tls(); !st)
      spdlog::error("SIGHUP: {}; the server keeps its current certificate", st.message());
    else
      spdlog::info("SIGHUP: reloaded the HTTP server's TLS certificate and key");
  }

 private:
  void set(http_server* server) {
    std::lock_guard<std::mutex> lock(mu_);
    server_ = server;
  }

  std::mutex mu_;
  http_server* server_ = nullptr;
};

// A secret of the node's configuration (at least 16 characters), set by INI
// key `key`; "" when its file is not set.
result<std::string> read_secret(const std::string& path, const char* key) {
  if (path.empty()) return std::string{};
  return read_secret_file(path, key, 16);
}

void register_node_metrics(metrics_registry& metrics, const node_config& cfg, store& db) {
  metrics
      .gauge_family("troupe_node_info", "Constant 1, labelled with the node's identity",
                    {"name", "role", "version"})
      .with({cfg.node.name, cfg.node.role, TROUPE_VERSION})
      .set(1);
  auto started = std::chrono::steady_clock::now();
  metrics.gauge_callback(
      "troupe_node_uptime_seconds", "Seconds since the node started", [started] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
            .count();
      });
  metrics.counter_callback("troupe_store_records_total", "Records committed by the store",
                           [&db] { return static_cast<double>(db.get_stats().records); });
  metrics.counter_callback(
      "troupe_store_transactions_total", "Write transactions committed by the store",
      [&db] { return static_cast<double>(db.get_stats().transactions); });
  metrics.counter_callback("troupe_store_write_failures_total",
                           "Write transactions lost to a resource (disk full, I/O error, "
                           "read-only file system)",
                           [&db] { return static_cast<double>(db.get_stats().failed); });
  metrics.gauge_callback("troupe_store_writable",
                         "1 while the store's writes reach the disk, 0 while they fail",
                         [&db] { return db.get_health().writable ? 1.0 : 0.0; });
}

// Counts and logs the supervision events of every supervisor of the node.
supervisor_observer supervision_observer(metrics_registry& metrics) {
  auto& events = metrics.counter_family(
      "troupe_supervisor_events_total",
      "Supervision events (restart, resource_wait, gave_up, child_failed_to_start)",
      {"supervisor", "event"});
  return [&events](const std::string& sup, const std::string& event,
                   const std::string& child) {
    events.with({sup, event}).inc();
    spdlog::info("supervision: {} {} {}", sup, event, child);
  };
}

supervisor_flags root_flags(metrics_registry& metrics) {
  supervisor_flags flags;
  flags.name = "root";
  flags.strategy = restart_strategy::one_for_one;
  flags.intensity = 5;
  flags.period = 10s;
  flags.observer = supervision_observer(metrics);
  return flags;
}

// Ends what a previous run of this node (same data directory) started and
// left running when it died, before anything starts again, so no workflow
// shell, benchmark suite or runner of the dead node overlaps its re-run.
void end_previous_children(const std::string& owner, metrics_registry& metrics) {
  auto& ended_total = metrics.counter_metric(
      "troupe_process_leftovers_ended_total",
      "Processes a previous run of this node left running, ended at start");
  std::vector<leftover> survivors;
  for (auto& l : end_leftovers(owner, 10s, &survivors)) {
    spdlog::warn(
        "ended process {} (group {}) that a previous run of this node left running: {}",
        l.pid, l.group, l.command);
    ended_total.inc();
  }
  for (auto& l : survivors)
    spdlog::error(
        "process {} that a previous run of this node left running did not end: {}", l.pid,
        l.command);
}

// This node as a cluster member ([node] name, [cluster] roles, platform, labels).
member_info this_member(const node_config& cfg) {
  return {cfg.node.name, cfg.cluster.roles, cfg.cluster.platform, cfg.cluster.labels,
          TROUPE_VERSION};
}

}  // namespace

std::vector<migration> node_schema(subsystem_list& subsystems) {
  auto migrations = node_migrations();
  migrations.push_back(github_webhooks::table());
  for (auto& s : subsystems) {
    auto more = s->migrations();
    migrations.insert(migrations.end(), more.begin(), more.end());
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const migration& a, const migration& b) { return a.version < b.version; });
  return migrations;
}

std::string store_open_hint(const std::string& path) {
  return "what to do: if the directory is not accessible, give the node's user read and "
         "write access to it; if the store is from a newer troupe, run that version; if "
         "it "
         "is damaged, stop everything that uses it and move " +
         path +
         " (with its -wal and -shm files) aside, then restore a copy made by `troupe "
         "store backup` there or start empty; `troupe store check` tells whether a file "
         "is "
         "sound";
}

int configure_node(node_config& cfg, subsystem_list& subsystems,
                   const std::vector<std::string>& args) {
  for (auto& s : subsystems) s->declare(cfg);
  auto st = cfg.load(args);
  if (st) st = check_tls(cfg);
  for (auto i = subsystems.begin(); st && i != subsystems.end(); ++i)
    st = (*i)->check(cfg);
  if (!st) {
    std::cerr << "troupe: configuration error: " << st.message() << "\n";
    return exit_config;
  }
  return cfg.printed_help() ? -1 : exit_ok;
}

int run_node(node_config& cfg, subsystem_list& subsystems) {
  init_logging(cfg.node.name, cfg.log);
  auto tokens = cfg.http.token_file.empty()
                    ? result<std::vector<api_token>>(std::vector<api_token>{})
                    : read_api_tokens(cfg.http.token_file, "http.token-file");
  if (!tokens) {
    spdlog::error("{}", tokens.error().message());
    return exit_config;
  }
  auto tls_passphrase = cfg.http.tls_key_passphrase_file.empty()
                            ? result<std::string>(std::string{})
                            : read_secret_file(cfg.http.tls_key_passphrase_file,
                                               "http.tls-key-passphrase-file");
  auto hook_secret =
      read_secret(cfg.webhooks.github_secret_file, "webhooks.github-secret-file");
  auto cluster_secret = read_secret(cfg.cluster.secret_file, "cluster.secret-file");
  for (auto* secret : {&tls_passphrase, &hook_secret, &cluster_secret}) {
    if (!*secret) {
      spdlog::error("{}", secret->error().message());
      return exit_config;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(cfg.node.data_dir, ec);
  if (ec) {
    spdlog::error("node.data-dir {}: {}", cfg.node.data_dir, ec.message());
    return exit_config;
  }
  store_options so;
  so.path = (std::filesystem::path(cfg.node.data_dir) / "troupe.db").string();
  so.batch_records = cfg.store.batch_records;
  so.batch_interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(cfg.store.batch_interval);
  auto db = store::open(so, node_schema(subsystems));
  if (!db) {
    spdlog::error("{}", db.error().message());
    spdlog::error("{}", store_open_hint(so.path));
    return exit_config;
  }
  metrics_registry metrics;
  register_node_metrics(metrics, cfg, **db);

  stop_latch latch;
  // SIGHUP reloads the HTTP server's TLS files, once the server exists (the
  // watcher thread outlives this function, hence the shared holder).
  auto reload = std::make_shared<tls_reloader>();
  signal_watch signals(
      [&latch](int sig) { latch.trigger(sig == SIGINT ? "SIGINT" : "SIGTERM"); },
      [reload] { reload->hangup(); });

  // Services the actors use are created before the actor system and so
  // outlive it (its destructor waits for every actor).
  // One lock for the machine: measurements exclusive, the node's other
  // processes and heavy work shared (runtime/services/process/host_lock.hpp).
  host_lock host{true, &metrics};
  auto owner = std::filesystem::weakly_canonical(cfg.node.data_dir, ec).string();
  if (ec) owner = std::filesystem::absolute(cfg.node.data_dir).string();
  end_previous_children(owner, metrics);
  process_service processes{&host, owner};
  github_webhooks webhooks(*hook_secret, db->get());
  webhooks.load_seen();
  cluster_members members;
  link_monitor link;
  auto work = std::make_shared<cluster_work>();
  bool worker = cfg.node.role == "worker";
  caf::actor_system sys{cfg};
  // Only a coordinator has members (node_services::members).
  node_services services{&sys,
                         db->get(),
                         &metrics,
                         &processes,
                         &webhooks,
                         &cfg,
                         cfg.node.role == "coordinator" ? &members : nullptr,
                         &host,
                         supervision_observer(metrics)};
  std::vector<child_spec> children;
  // A worker runs no subsystem of its own: its agent attaches the
  // subsystems' worker parts to the coordinator's (see below).
  for (auto& s : subsystems) {
    if (worker) break;
    child_spec spec;
    spec.id = s->name();
    spec.type = child_type::supervisor;
    spec.shutdown = cfg.node.shutdown_grace;
    spec.start = [&services, sub = s.get()](caf::actor_system&, const caf::message&) {
      return caf::actor_cast<caf::actor>(sub->start(services));
    };
    children.push_back(std::move(spec));
  }
  auto root = spawn_supervisor(sys, root_flags(metrics), std::move(children));
  termination root_done;
  root_done.attach(caf::actor_cast<caf::actor>(root));
  root->attach_functor(
      [&latch](const caf::error&) { latch.trigger("root supervisor stopped"); });
  caf::actor membership;
  if (cfg.node.role == "coordinator") {
    membership_options mo;
    mo.coordinator = cfg.node.name;
    mo.secret = *cluster_secret;
    mo.down_after = std::chrono::duration_cast<std::chrono::milliseconds>(
        cfg.cluster.connection_timeout);
    mo.members = &members;
    mo.metrics = &metrics;
    membership = spawn_membership(sys, std::move(mo));
  }
  auto node = spawn_node_actor(sys, {cfg.node.name, cfg.node.role, TROUPE_VERSION}, root,
                               membership);
  auto self_info = this_member(cfg);

  http_options ho;
  ho.listen = cfg.http.listen;
  ho.threads = static_cast<int>(cfg.http.threads);
  ho.max_body_bytes = cfg.http.max_body_bytes;
  ho.max_inflight = cfg.http.max_inflight;
  ho.tokens = *tokens;
  ho.tls = {cfg.http.tls_certificate, cfg.http.tls_key, *tls_passphrase,
            cfg.http.tls_client_ca};
  ho.allow_insecure = cfg.http.allow_insecure;
  if (auto checked = http_server::check(ho); !checked) {  // configuration: exit 2
    spdlog::error("http.listen: {}", checked.message());
    return exit_config;
  }
  if (!ho.tls.enabled() && ho.allow_insecure) {
    spdlog::warn(
        "http.allow-insecure=true: the API, its tokens and webhooks travel as plain "
        "HTTP; only behind a TLS-terminating proxy");
  }
  ho.write_refusal = [&db = **db] { return write_refusal(db); };
  http_server http(ho, &metrics);
  tls_reloader::serving while_serving(*reload, ho.tls.enabled() ? &http : nullptr);
  std::vector<readiness_name> readiness;
  for (auto& s : subsystems)
    if (!worker)
      for (auto& n : s->readiness(cfg)) readiness.push_back(std::move(n));
  add_node_routes(http, {&sys, node, root, db->get(), &metrics, cfg.node.role, self_info,
                         &link, readiness});
  for (auto& s : subsystems) s->routes(http, services);
  webhooks.add_route(http);

  caf::actor agent;
  auto stop_cluster = [&] {
    for (auto& a : {agent, membership})
      if (a) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  };
  auto stop_everything = [&](int code) {
    http.stop();
    stop_cluster();
    caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(root, caf::exit_reason::kill);
    (*db)->close();
    return code;
  };
  auto bound = http.start();
  if (!bound) {
    spdlog::error("http.listen: {}", bound.error().message());
    return stop_everything(exit_failure);  // binding failed (configuration was checked)
  }
  if (!cfg.cluster.listen.empty()) {
    auto at = listen_endpoint(cfg);
    auto port = at ? publish_node(sys, *at, node) : result<std::uint16_t>(at.error());
    if (!port) {
      spdlog::error("{}", port.error().message());
      return stop_everything(exit_config);
    }
    spdlog::info("cluster: {} serving {}; node actor published on port {}", cfg.node.role,
                 at->text(), *port);
  }
  if (worker) {
    auto at = join_endpoint(cfg);
    if (!at) {
      spdlog::error("{}", at.error().message());
      return stop_everything(exit_config);
    }
    agent_options ao;
    ao.coordinator = *at;
    ao.self = self_info;
    ao.secret = *cluster_secret;
    ao.heartbeat_interval = std::chrono::duration_cast<std::chrono::milliseconds>(
        cfg.cluster.heartbeat_interval);
    for (auto& s : subsystems) {
      ao.subsystems.push_back([&services, sub = s.get()](const cluster_session& session) {
        return sub->attach(session, services);
      });
      for (auto& name : s->cluster_lookups()) ao.lookups.push_back(name);
    }
    ao.work = work;
    ao.status = &link;
    ao.metrics = &metrics;
    agent = caf::actor_cast<caf::actor>(spawn_agent(sys, std::move(ao)));
  }
  (*db)->write(
      {"INSERT INTO node_events(time, event, detail) VALUES (strftime('%s','now'), "
       "'start', ?)",
       {std::string(TROUPE_VERSION)}});
  spdlog::info("troupe {} node '{}' ({}) listening on {}://{}", TROUPE_VERSION,
               cfg.node.name, cfg.node.role, ho.tls.enabled() ? "https" : "http", *bound);
  auto readiness_watch =
      watch_readiness(sys, readiness, root, [name = cfg.node.name, n = readiness.size()] {
        spdlog::info("troupe node '{}' is ready: {} actors of its subsystems are up",
                     name, n);
      });

  auto why = latch.wait();
  auto grace = cfg.node.shutdown_grace;
  spdlog::info("shutting down ({}); in-flight work gets {} ms", why,
               std::chrono::duration_cast<std::chrono::milliseconds>(grace).count());
  http.stop_intake();
  stop_cluster();
  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
  bool clean = root_done.wait_for(grace);
  if (!clean) {
    spdlog::warn("grace period over; killing what is left");
    caf::anon_send_exit(root, caf::exit_reason::kill);
  }
  auto root_reason = root_done.reason();
  bool root_failed = why == "root supervisor stopped";
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  http.stop();
  processes.shutdown(std::chrono::duration_cast<std::chrono::milliseconds>(grace));
  (*db)->write(
      {"INSERT INTO node_events(time, event, detail) VALUES (strftime('%s','now'), "
       "'stop', ?)",
       {why}});
  (*db)->close();
  if (root_failed) {
    spdlog::error("root supervisor stopped: {}", sys.render(root_reason));
    return exit_failure;
  }
  spdlog::info("stopped");
  return exit_ok;
}

}  // namespace troupe
