#include "runtime/services/process/tracked_child.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace troupe {

namespace {

// Reads per read() call and calls per event: a chatty child gets at most
// this much attention before the loop serves the others.
constexpr std::size_t read_chunk = 64 * 1024;
constexpr int reads_per_event = 4;
// read() calls per pipe when a child is finished: enough to empty a full
// pipe buffer (1 MiB at most), bounded against writers that never stop.
constexpr int final_read_rounds = 8;

// A failed write to a pipe whose reader is gone raised SIGPIPE at this
// (service) thread, where it is blocked; discard it so it stays unnoticed.
void discard_pending_sigpipe() {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  struct timespec zero = {0, 0};
  while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
  }
}

}  // namespace

tracked_child::tracked_child(std::uint64_t id, const process_spec& spec,
                             spawned_process proc,
                             std::function<void(process_result)> on_exit, int epoll_fd,
                             clock::time_point started)
    : id_(id),
      proc_(std::move(proc)),
      on_exit_(std::move(on_exit)),
      epoll_fd_(epoll_fd),
      stdin_data_(spec.stdin_data.value_or(std::string())),
      out_(spec.max_output_bytes),
      err_(spec.max_output_bytes),
      kill_grace_(spec.kill_grace),
      exit_drain_(spec.exit_drain),
      kill_group_on_exit_(spec.kill_group_on_exit),
      started_(started),
      exited_at_(started) {
  result_.id = id;
  result_.pid = proc_.pid;
}

void tracked_child::close(unique_fd& fd) {
  if (!fd) return;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd.get(), nullptr);
  fd.reset();
}

void tracked_child::read(channel which) {
  unique_fd& fd = which == channel::out ? proc_.out : proc_.err;
  output_buffer& buffer = which == channel::out ? out_ : err_;
  char data[read_chunk];
  for (int round = 0; round < reads_per_event && fd;) {
    ssize_t n = ::read(fd.get(), data, sizeof data);
    if (n > 0) {
      buffer.append(data, static_cast<std::size_t>(n));
      ++round;
    } else if (n == 0) {
      close(fd);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else if (errno != EINTR) {
      close(fd);
    }
  }
}

void tracked_child::write_stdin() {
  while (proc_.in && stdin_written_ < stdin_data_.size()) {
    ssize_t n = ::write(proc_.in.get(), stdin_data_.data() + stdin_written_,
                        stdin_data_.size() - stdin_written_);
    if (n >= 0) {
      stdin_written_ += static_cast<std::size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else if (errno != EINTR) {
      // EPIPE: the child closed its stdin or exited; the rest is dropped.
      if (errno == EPIPE) discard_pending_sigpipe();
      break;
    }
  }
  close(proc_.in);
  stdin_data_.clear();
  stdin_data_.shrink_to_fit();
}

void tracked_child::mark_exited(clock::time_point now) {
  if (exited_) return;
  exited_ = true;
  exited_at_ = now;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, proc_.pidfd.get(), nullptr);
}

bool tracked_child::begin_termination(bool timed_out) {
  if (term_sent_) return false;
  term_sent_ = true;
  (timed_out ? result_.timed_out : result_.cancelled) = true;
  // Safe: the leader is not reaped yet, so its pgid cannot have been reused.
  ::kill(-proc_.pid, SIGTERM);
  return true;
}

void tracked_child::kill_group() {
  if (kill_sent_) return;
  kill_sent_ = true;
  ::kill(-proc_.pid, SIGKILL);
}

void tracked_child::collect_output() {
  // What is still buffered in the pipes is read (bounded: a writer left
  // behind may keep writing); then they are closed, and such a writer gets
  // SIGPIPE on its next write.
  for (channel which : {channel::out, channel::err}) {
    const output_buffer& buffer = which == channel::out ? out_ : err_;
    for (int round = 0; round < final_read_rounds; ++round) {
      std::uint64_t before = buffer.total();
      read(which);
      if (buffer.total() == before) break;
    }
  }
  close(proc_.in);
  close(proc_.out);
  close(proc_.err);
  result_.out_truncated = out_.truncated();
  result_.err_truncated = err_.truncated();
  result_.out = out_.take();
  result_.err = err_.take();
}

process_result tracked_child::finish() {
  if (kill_group_on_exit_ || term_sent_) ::kill(-proc_.pid, SIGKILL);
  collect_output();
  // wait4, not waitid: its rusage is the CPU time of the process and of the
  // descendants it waited for (what a measurement itself used).
  int wstatus = 0;
  struct rusage usage;
  std::memset(&usage, 0, sizeof usage);
  pid_t rc;
  do {
    rc = wait4(proc_.pid, &wstatus, WNOHANG, &usage);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    result_.error = std::string("cannot reap the process: ") + std::strerror(errno);
  } else if (rc == 0) {
    result_.error = "cannot reap the process: it has not exited";
  } else {
    if (WIFEXITED(wstatus))
      result_.exit_code = WEXITSTATUS(wstatus);
    else if (WIFSIGNALED(wstatus))
      result_.term_signal = WTERMSIG(wstatus);
    auto ns = [](const timeval& tv) {
      return std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
    };
    result_.cpu = ns(usage.ru_utime) + ns(usage.ru_stime);
  }
  proc_.pidfd.reset();
  result_.duration = exited_at_ - started_;
  return std::move(result_);
}

process_result tracked_child::abandon(const std::string& reason) {
  collect_output();
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, proc_.pidfd.get(), nullptr);
  proc_.pidfd.reset();
  result_.error = reason;
  result_.duration = clock::now() - started_;
  return std::move(result_);
}

}  // namespace troupe
