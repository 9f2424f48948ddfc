#include "runtime/services/process/spawn.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace troupe {

namespace {

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

status errno_error(const std::string& what, int error) {
  return status::error(what + ": " + std::strerror(error));
}

// The file actions and attributes posix_spawn takes, destroyed on scope exit.
struct spawn_setup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  spawn_setup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
};

struct pipe_pair {
  unique_fd read, write;
};

// A pipe with both ends close-on-exec; the parent's end is made non-blocking.
result<pipe_pair> make_pipe(bool parent_reads) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return errno_error("pipe2", errno);
  pipe_pair p{unique_fd(fds[0]), unique_fd(fds[1])};
  int parent = parent_reads ? p.read.get() : p.write.get();
  int flags = fcntl(parent, F_GETFL);
  if (flags < 0 || fcntl(parent, F_SETFL, flags | O_NONBLOCK) != 0) {
    return errno_error("fcntl", errno);
  }
  return p;
}

// "NAME=value" strings: the node's environment (unless cleared) with the
// overrides applied in order.
result<std::vector<std::string>> build_env(const process_spec& spec) {
  std::vector<std::string> env;
  if (!spec.clear_env) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  }
  for (const auto& [name, value] : spec.env) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos) {
      return status::error("cannot start " + quoted(spec.argv[0]) +
                           ": invalid environment variable name " + quoted(name));
    }
    std::string prefix = name + "=";
    std::string entry = prefix + value;
    bool replaced = false;
    for (std::string& existing : env) {
      if (existing.compare(0, prefix.size(), prefix) == 0) {
        existing = entry;
        replaced = true;
      }
    }
    if (!replaced) env.push_back(std::move(entry));
  }
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> ptrs;
  ptrs.reserve(strings.size() + 1);
  for (std::string& s : strings) ptrs.push_back(s.data());
  ptrs.push_back(nullptr);
  return ptrs;
}

// posix_spawn reports a failed chdir and a missing program with the same
// errno; look at the directory to say which one it was.
status spawn_error(const process_spec& spec, int error) {
  std::string what = "cannot start " + quoted(spec.argv[0]);
  if (!spec.cwd.empty()) {
    struct stat st;
    if (stat(spec.cwd.c_str(), &st) != 0) {
      return errno_error(what + ": working directory " + quoted(spec.cwd), errno);
    }
    if (!S_ISDIR(st.st_mode)) {
      return errno_error(what + ": working directory " + quoted(spec.cwd), ENOTDIR);
    }
    if (access(spec.cwd.c_str(), X_OK) != 0) {
      return errno_error(what + ": working directory " + quoted(spec.cwd), errno);
    }
  }
  return errno_error(what, error);
}

// Runs `spawn` with this thread's CPU affinity set to `cpus` (the child
// inherits it from the spawning thread), then restores the affinity.
template <class Spawn>
int with_cpus(const std::vector<int>& cpus, Spawn spawn) {
  if (cpus.empty()) return spawn();
  cpu_set_t before, wanted;
  if (sched_getaffinity(0, sizeof before, &before) != 0) return errno;
  CPU_ZERO(&wanted);
  for (int c : cpus) CPU_SET(c, &wanted);
  if (sched_setaffinity(0, sizeof wanted, &wanted) != 0) return errno;
  int rc = spawn();
  sched_setaffinity(0, sizeof before, &before);
  return rc;
}

}  // namespace

status check_cpus(const std::vector<int>& cpus) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
    return errno_error("sched_getaffinity", errno);
  for (int c : cpus) {
    if (c < 0 || c >= CPU_SETSIZE || !CPU_ISSET(c, &allowed)) {
      std::string list;
      for (int i = 0; i < CPU_SETSIZE; ++i)
        if (CPU_ISSET(i, &allowed)) list += (list.empty() ? "" : ",") + std::to_string(i);
      return status::error("CPU " + std::to_string(c) +
                           " is not available to this node (available: " + list + ")");
    }
  }
  return status::ok();
}

result<spawned_process> spawn_process(const process_spec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return status::error("cannot start a process: empty argv");
  }
  auto env = build_env(spec);
  if (!env) return env.error();

  spawn_setup setup;
  spawned_process child;
  std::optional<pipe_pair> in;
  if (spec.stdin_data) {
    auto p = make_pipe(false);
    if (!p) return p.error();
    in = std::move(*p);
    posix_spawn_file_actions_adddup2(&setup.actions, in->read.get(), STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY,
                                     0);
  }
  auto out = make_pipe(true);
  if (!out) return out.error();
  auto err = make_pipe(true);
  if (!err) return err.error();
  posix_spawn_file_actions_adddup2(&setup.actions, out->write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err->write.get(), STDERR_FILENO);
  if (!spec.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&setup.actions, spec.cwd.c_str());
  }
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);

  sigset_t none, all;
  sigemptyset(&none);
  // Every bit, not sigfillset(): glibc leaves its two internal real-time
  // signals out of sigfillset, and its posix_spawn then starts the child
  // with them ignored, which an exec'd program would inherit.
  std::memset(&all, 0xff, sizeof all);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setsigdefault(&setup.attr, &all);

  std::vector<std::string> args = spec.argv;
  std::vector<char*> argv = pointers(args);
  std::vector<char*> envp = pointers(*env);
  if (auto st = check_cpus(spec.cpus); !st)
    return status::error("cannot start " + quoted(spec.argv[0]) + ": " + st.message());
  bool search_path = spec.argv[0].find('/') == std::string::npos;
  int rc = with_cpus(spec.cpus, [&] {
    return search_path ? posix_spawnp(&child.pid, argv[0], &setup.actions, &setup.attr,
                                      argv.data(), envp.data())
                       : posix_spawn(&child.pid, argv[0], &setup.actions, &setup.attr,
                                     argv.data(), envp.data());
  });
  if (rc != 0) return spawn_error(spec, rc);

  // The raw system call: glibc 2.36's <sys/pidfd.h> lacks extern "C".
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, child.pid, 0));
  if (pidfd < 0) {
    // Cannot watch it, so do not leave it running.
    int error = errno;
    kill(-child.pid, SIGKILL);
    waitpid(child.pid, nullptr, 0);
    return errno_error("cannot watch " + quoted(spec.argv[0]) + ": pidfd_open", error);
  }
  child.pidfd.reset(pidfd);
  if (in) child.in = std::move(in->write);
  child.out = std::move(out->read);
  child.err = std::move(err->read);
  return child;
}

}  // namespace troupe
