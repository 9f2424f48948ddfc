// perf_node: troupe nodes as child processes, for the perf programs that
// measure whole nodes (cluster, bench_noise). Header-only: each perf/*.cpp
// is its own program. Every helper exits the program with a message on
// failure (benchmarks have nothing to recover).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "perf/workflow_perf.hpp"
#include "runtime/app/cli/api_client.hpp"

extern char** environ;

namespace troupe::perf {

// The troupe binary next to the perf program `argv0`.
inline std::string troupe_beside(const std::string& argv0) {
  if (argv0.find('/') == std::string::npos) return "./troupe";
  return argv0.substr(0, argv0.rfind('/') + 1) + "troupe";
}

// The node children alive now: fail() exits through std::exit, which runs
// no destructors, so an atexit handler kills what is left.
inline std::set<pid_t>& live_children() {
  static std::set<pid_t> pids;
  return pids;
}

inline void kill_live_children() {
  for (auto pid : live_children()) ::kill(pid, SIGKILL);
}

// A `troupe node` child process (its stdout to /dev/null, its log to
// <dir>/node.log); killed when this goes away, or when this program exits.
class node_child {
 public:
  node_child(const std::string& program, const std::string& troupe,
             const std::string& dir, std::vector<std::string> args)
      : log_(dir + "/node.log") {
    static const bool cleanup = std::atexit(kill_live_children) == 0;
    (void)cleanup;
    std::filesystem::create_directories(dir);
    std::vector<std::string> argv{troupe, "node", "--node.data-dir=" + dir,
                                  "--log.level=warn"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    if (posix_spawn(&pid_, troupe.c_str(), &fa, nullptr, raw.data(), environ) != 0)
      fail(program, "cannot start " + troupe);
    posix_spawn_file_actions_destroy(&fa);
    live_children().insert(pid_);
  }
  ~node_child() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    live_children().erase(pid_);
  }
  node_child(const node_child&) = delete;
  node_child& operator=(const node_child&) = delete;

  const std::string& log() const { return log_; }
  pid_t pid() const { return pid_; }

 private:
  std::string log_;
  pid_t pid_ = -1;
};

// CPU seconds (user + system, every thread, ended ones too) process `pid`
// has used, in nanoseconds' resolution (/proc's utime and stime count 10 ms
// ticks, too coarse for short steps).
inline double cpu_seconds(const std::string& program, pid_t pid) {
  clockid_t clock;
  timespec t{};
  if (clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &t) != 0)
    fail(program, "cannot read the CPU clock of process " + std::to_string(pid));
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Resident set size of process `pid`, in KiB.
inline double rss_kib(const std::string& program, pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr);
  fail(program, "cannot read the RSS of process " + std::to_string(pid));
}

inline std::uint16_t free_port(const std::string& program) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    fail(program, "no free port");
  ::close(fd);
  return ntohs(a.sin_port);
}

inline std::unique_ptr<api_client> client_of(const std::string& program,
                                             std::uint16_t http_port) {
  auto c = api_client::make("http://127.0.0.1:" + std::to_string(http_port), "",
                            std::chrono::seconds(60));
  if (!c) fail(program, c.error().message());
  return std::move(*c);
}

// Waits until GET `path` answers 200 and `pred(body)`, for up to `limit`.
template <class Pred>
void await(const std::string& program, api_client& api, const std::string& path,
           Pred pred, std::chrono::seconds limit = std::chrono::seconds(30)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    auto r = api.call("GET", path);
    if (r.ok() && r.status == 200 && pred(r.body)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  fail(program, "timed out waiting for " + path);
}

}  // namespace troupe::perf
