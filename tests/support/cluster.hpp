// A troupe cluster on loopback for integration tests: a shared secret, a
// free port for the coordinator's cluster listener (fixed, so that a
// restarted coordinator is found again at the same address), and nodes
// started as separate processes with their data directories kept under one
// temporary directory (so that a node restarted by name resumes its state).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/base/json/json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace troupe::testing {

// A TCP port that was free a moment ago on 127.0.0.1.
std::uint16_t free_port();

class test_cluster {
 public:
  explicit test_cluster(const std::string& prefix = "cluster");

  // The cluster secret, and the file that holds it (--cluster.secret-file).
  static std::string secret() { return "a-test-secret-of-enough-length"; }
  const std::string& secret_file() const { return secret_file_; }
  std::uint16_t port() const { return port_; }
  std::string join_address() const { return "127.0.0.1:" + std::to_string(port_); }
  temp_dir& dir() { return dir_; }

  // `troupe node` as the coordinator ("coordinator", no action runners of
  // its own) with `extra` arguments.
  std::unique_ptr<node_process> coordinator(std::vector<std::string> extra = {});
  // A worker named `name` joining the coordinator, with `extra` arguments.
  std::unique_ptr<node_process> worker(const std::string& name,
                                       std::vector<std::string> extra = {});

 private:
  temp_dir dir_;
  std::string secret_file_;
  std::uint16_t port_;
};

// Test certificates made with the openssl CLI in `dir`: a CA `<ca>.crt`/
// `<ca>.key`, and a leaf `<name>.crt`/`<name>.key` signed by CA `ca` (usable
// as server and client). Fail the test when openssl fails.
void make_ca(const std::string& dir, const std::string& ca);
void make_leaf(const std::string& dir, const std::string& ca, const std::string& name);
// --openssl.* arguments for a node using leaf `name` and trusting CA `ca`.
std::vector<std::string> tls_args(const std::string& dir, const std::string& name,
                                  const std::string& ca);

// GET /api/v1/cluster of a node; with `since` (a coordinator's view
// version), the long poll: answered at the next change or after 10 s.
json cluster_view(const std::string& http, std::int64_t since = -1);

// The state ("up", "down") of member `name` in a coordinator's view, or ""
// when it is not listed.
std::string member_state(const json& view, const std::string& name);

// Waits, with long polls of the coordinator's view, until member `name` is
// in `state`; the milliseconds it took, or -1 when `limit` passed first.
std::int64_t await_member(const std::string& http, const std::string& name,
                          const std::string& state, std::chrono::milliseconds limit);

}  // namespace troupe::testing
