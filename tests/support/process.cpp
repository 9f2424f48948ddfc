#include "tests/support/process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace troupe::testing {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  auto* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

std::string troupe_bin() {
  return env_or("TROUPE_BIN", "./troupe");
}
std::string source_dir() {
  return env_or("TROUPE_SOURCE_DIR", ".");
}
std::string shared_dir() {
  return env_or("TROUPE_SHARED_DIR", "../shared");
}

child_process::child_process(std::vector<std::string> argv, const std::string& dir)
    : io_("proc") {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, io_.file("stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, io_.file("stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&fa, dir.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  int rc = posix_spawn(&pid_, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + " failed");
}

child_process::~child_process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(10));
  }
}

void child_process::signal(int sig) {
  ::kill(pid_, sig);
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!exit_) {
    int st = 0;
    auto r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      exit_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_;
}

bool child_process::running() {
  return !wait_exit(std::chrono::milliseconds(0));
}

std::string child_process::out() const {
  return slurp(io_.file("stdout"));
}
std::string child_process::err() const {
  return slurp(io_.file("stderr"));
}

std::optional<std::string> child_process::await_log(const std::string& needle,
                                                    std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto text = err();
    if (auto pos = text.find(needle); pos != std::string::npos) {
      // Only a whole line: the writer may be in the middle of it.
      auto start = pos + needle.size();
      auto end = text.find('\n', start);
      if (end != std::string::npos) return text.substr(start, end - start);
      if (!running()) return text.substr(start);
    }
    if (std::chrono::steady_clock::now() >= deadline || !running()) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

node_process::node_process(std::vector<std::string> extra, std::string data_dir) {
  if (data_dir.empty()) {
    own_dir_.emplace("node");
    data_dir = own_dir_->path();
  }
  data_dir_ = data_dir;
  std::vector<std::string> argv{troupe_bin(), "node", "--http.listen=127.0.0.1:0",
                                "--node.data-dir=" + data_dir_};
  argv.insert(argv.end(), extra.begin(), extra.end());
  proc_.emplace(argv, data_dir_);
  auto addr = proc_->await_log("listening on http://", std::chrono::seconds(30));
  if (!addr)
    throw std::runtime_error("troupe node did not start; stderr:\n" + proc_->err());
  http_ = *addr;
  // Every subsystem is up: requests are not answered "starting" (503).
  if (!proc_->await_log("' is ready: ", std::chrono::seconds(60)))
    throw std::runtime_error("troupe node did not become ready; stderr:\n" +
                             proc_->err());
}

finished_run run_to_end(std::vector<std::string> argv, const std::string& dir,
                        std::chrono::seconds limit) {
  child_process p(std::move(argv), dir);
  auto rc = p.wait_exit(limit);
  BOOST_REQUIRE_MESSAGE(rc.has_value(), "did not end: " << p.err());
  return {*rc, p.out(), p.err()};
}

}  // namespace troupe::testing
