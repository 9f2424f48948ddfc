// Child processes for integration tests: starts the troupe binary (or any
// program) with an argv vector, captures stdout and stderr to files, signals
// it, waits for its exit, and watches its log for a line.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace troupe::testing {

// Path of the troupe binary under test ($TROUPE_BIN, set by CTest).
std::string troupe_bin();
// $TROUPE_SOURCE_DIR and $TROUPE_SHARED_DIR (../shared), set by CTest.
std::string source_dir();
std::string shared_dir();

class child_process {
 public:
  // Starts `argv` (argv[0] is the program path) in `dir`.
  child_process(std::vector<std::string> argv, const std::string& dir);
  // Kills the process (SIGKILL) if it still runs.
  ~child_process();

  int pid() const { return pid_; }
  void signal(int sig);
  // Waits up to `limit` for the exit; the exit code (128+signal when killed
  // by a signal), or nullopt when it still runs.
  std::optional<int> wait_exit(std::chrono::milliseconds limit);
  bool running();

  std::string out() const;  // all of stdout so far
  std::string err() const;  // all of stderr so far
  // Waits up to `limit` until stderr holds `needle` and the rest of its line;
  // returns the text after it up to the end of that line (nullopt on timeout).
  std::optional<std::string> await_log(const std::string& needle,
                                       std::chrono::milliseconds limit);

 private:
  temp_dir io_;
  int pid_ = -1;
  std::optional<int> exit_;
};

// A troupe node started with `troupe node --http.listen=127.0.0.1:0
// --node.data-dir=<dir> <extra...>`, ready once it logged its HTTP address
// and that it is ready (every subsystem up: nothing answers "starting").
class node_process {
 public:
  explicit node_process(std::vector<std::string> extra = {}, std::string data_dir = {});
  child_process& proc() { return *proc_; }
  // "127.0.0.1:PORT" of its HTTP server.
  const std::string& http() const { return http_; }
  const std::string& data_dir() const { return data_dir_; }

 private:
  std::optional<temp_dir> own_dir_;
  std::string data_dir_;
  std::optional<child_process> proc_;
  std::string http_;
};

// A program run to its end in `dir`: its exit code (128+signal when
// killed) and everything it wrote. Fails the test when it does not end
// within `limit`.
struct finished_run {
  int rc = -1;
  std::string out, err;
};
finished_run run_to_end(std::vector<std::string> argv, const std::string& dir,
                        std::chrono::seconds limit = std::chrono::seconds(90));

}  // namespace troupe::testing
