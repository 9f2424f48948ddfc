// kube_sim_child: troupe-kube-sim as a child process, for the perf programs
// that drive the kubernetes provider against it (fleet_scaleup, fleet_adopt).
// Header-only: each perf/*.cpp is its own program. Failures exit the program
// with a message (benchmarks have nothing to recover).
#pragma once

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/base/json/json.hpp"
#include "runtime/services/http/client.hpp"

extern char** environ;

namespace troupe::perf {

// A running troupe-kube-sim; SIGTERM and reaped when this goes away.
struct sim_process {
  pid_t pid = -1;
  std::string address;
  ~sim_process() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

// Starts troupe-kube-sim with `flags` and waits for its address.
inline std::unique_ptr<sim_process> start_sim(const std::string& bin,
                                              std::vector<std::string> flags) {
  auto out = std::make_unique<sim_process>();
  char tmpl[] = "/tmp/troupe-kube-sim-XXXXXX";
  int fd = mkstemp(tmpl);
  std::string log = tmpl;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd, 2);
  std::vector<std::string> argv{bin, "--listen=127.0.0.1:0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  if (posix_spawn(&out->pid, bin.c_str(), &fa, nullptr, args.data(), environ) != 0) {
    std::cerr << "cannot start " << bin << "\n";
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&fa);
  close(fd);
  for (int i = 0; i < 1000 && out->address.empty(); ++i) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    auto pos = text.find("listening on http://");
    if (pos != std::string::npos) {
      auto end = text.find_first_of("\r\n", pos);
      out->address = text.substr(pos + 20, end - pos - 20);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  unlink(log.c_str());
  if (out->address.empty()) {
    std::cerr << "troupe-kube-sim did not start\n";
    std::exit(1);
  }
  return out;
}

// The simulator's GET /debug/counts (objects, duplicates, throttled, ...).
inline json sim_counts(const std::string& address) {
  http_client client;
  std::promise<http_client_response> p;
  client.request(
      {"GET", "http://" + address + "/debug/counts", {}, {}, std::chrono::seconds(10)},
      [&p](http_client_response r) { p.set_value(std::move(r)); });
  auto r = p.get_future().get();
  auto j = json::parse(r.body);
  return j ? *j : json::object();
}

}  // namespace troupe::perf
