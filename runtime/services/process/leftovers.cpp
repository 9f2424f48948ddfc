#include "runtime/services/process/leftovers.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <memory>
#include <string>

#include "runtime/services/process/unique_fd.hpp"

namespace troupe {

namespace {

// The file's bytes, or "" when it cannot be read. With read(2), not a
// stream: a process that exits while it is scanned makes reads of its /proc
// files fail with ESRCH, and libstdc++'s filebuf throws on a failed read.
std::string read_all(const std::string& path) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return {};
  std::string out;
  char buffer[4096];
  for (;;) {
    auto n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {};
    if (n == 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

// True when the NUL-separated environment `env` holds exactly `entry`.
bool holds(const std::string& env, const std::string& entry) {
  return env.rfind(entry + '\0', 0) == 0 ||
         env.find('\0' + entry + '\0') != std::string::npos;
}

// Field 3 (state) and 5 (pgrp) of /proc/<pid>/stat; the command may hold
// spaces and parentheses, so parsing starts after its last ')'.
bool state_and_group(const std::string& pid, char* state, pid_t* group) {
  auto stat = read_all("/proc/" + pid + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return false;
  int ppid = 0, pgrp = 0;
  if (std::sscanf(stat.c_str() + close + 1, " %c %d %d", state, &ppid, &pgrp) != 3)
    return false;
  *group = pgrp;
  return true;
}

std::string command_of(const std::string& pid) {
  auto cmd = read_all("/proc/" + pid + "/cmdline");
  for (auto& c : cmd)
    if (c == '\0') c = ' ';
  while (!cmd.empty() && cmd.back() == ' ') cmd.pop_back();
  return cmd.size() > 200 ? cmd.substr(0, 200) + "..." : cmd;
}

int pidfd_open(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

int pidfd_send_signal(int fd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0));
}

}  // namespace

std::vector<leftover> find_leftovers(const std::string& owner) {
  std::vector<leftover> out;
  auto mark = std::string(owner_variable) + "=" + owner;
  std::unique_ptr<DIR, int (*)(DIR*)> proc(opendir("/proc"), closedir);
  if (!proc) return out;
  while (auto* entry = readdir(proc.get())) {
    char* end = nullptr;
    auto pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == getpid()) continue;
    std::string name = entry->d_name;
    char state = 0;
    pid_t group = 0;
    if (!state_and_group(name, &state, &group) || state == 'Z' || state == 'X') continue;
    if (!holds(read_all("/proc/" + name + "/environ"), mark)) continue;
    out.push_back({static_cast<pid_t>(pid), group, command_of(name)});
  }
  return out;
}

std::vector<leftover> end_leftovers(const std::string& owner,
                                    std::chrono::milliseconds limit,
                                    std::vector<leftover>* survivors) {
  std::vector<leftover> ended;
  std::vector<unique_fd> watched;
  std::vector<leftover> pending;
  for (auto& l : find_leftovers(owner)) {
    unique_fd fd(pidfd_open(l.pid));
    if (!fd.valid()) continue;  // gone since the scan
    // The pidfd pins the process: read its mark again, then signal through
    // it, so a pid reused in between is never signalled.
    if (!holds(read_all("/proc/" + std::to_string(l.pid) + "/environ"),
               std::string(owner_variable) + "=" + owner))
      continue;
    if (l.group > 1 && l.group != getpgrp()) ::kill(-l.group, SIGKILL);
    pidfd_send_signal(fd.get(), SIGKILL);
    watched.push_back(std::move(fd));
    pending.push_back(l);
  }
  auto deadline = std::chrono::steady_clock::now() + limit;
  // A pidfd becomes readable once its process has exited.
  std::vector<pollfd> fds;
  for (auto& fd : watched) fds.push_back({fd.get(), POLLIN, 0});
  for (;;) {
    bool waiting = false;
    for (auto& p : fds) waiting |= p.fd >= 0 && !(p.revents & POLLIN);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!waiting || left.count() <= 0) break;
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 &&
        errno != EINTR)
      break;
  }
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (fds[i].revents & POLLIN)
      ended.push_back(pending[i]);
    else if (survivors)
      survivors->push_back(pending[i]);
  }
  return ended;
}

}  // namespace troupe
