// Plain settings structs for each INI section, with their defaults. The
// defaults here are the single source of truth: config/reference.ini repeats
// them and tests/runtime/services/config/node_config_test.cpp checks that it does.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace troupe {

// [node]
struct node_settings {
  std::string name = "local";       // unique in a cluster
  std::string role = "standalone";  // standalone | coordinator | worker
  std::string data_dir = "var";     // SQLite database and state live here
  std::chrono::nanoseconds shutdown_grace = std::chrono::seconds(10);
};

// [http]
struct http_settings {
  std::string listen = "127.0.0.1:8080";  // port 0 = any free port
  std::string token_file;                 // empty = no auth, loopback only
  std::string tls_certificate;            // PEM chain: HTTPS (with tls_key)
  std::string tls_key;                    // PEM key, maybe encrypted
  std::string tls_key_passphrase_file;    // the key's passphrase
  std::string tls_client_ca;              // clients need a certificate it signed
  bool allow_insecure = false;            // plain HTTP beyond loopback (a TLS proxy)
  std::size_t threads = 2;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_inflight = 1024;
};

// [log]
struct log_settings {
  std::string level = "info";   // trace|debug|info|warn|error
  std::string format = "text";  // text|json
};

// [store]
struct store_settings {
  std::size_t batch_records = 256;
  std::chrono::nanoseconds batch_interval = std::chrono::milliseconds(10);
};

// [webhooks]
struct webhook_settings {
  std::string github_secret_file;  // GitHub webhook secret; empty = webhooks refused
};

// [cluster]
struct cluster_settings {
  std::string listen;       // publish this node's actors here; empty = off
  std::string join;         // a worker's coordinator, host:port
  std::string secret_file;  // the cluster's shared secret (joins are challenged)
  std::vector<std::string> roles{"creator", "runner",
                                 "platform"};  // what a worker offers
  std::string platform;             // the benchmark platform a worker runs ("" = none)
  std::vector<std::string> labels;  // "key=value" or "word"; matched by selectors
  std::chrono::nanoseconds heartbeat_interval = std::chrono::milliseconds(500);
  std::chrono::nanoseconds connection_timeout =
      std::chrono::seconds(2);  // down after this
  bool allow_insecure = false;  // plain TCP on a non-loopback address
};

}  // namespace troupe
