#include "runtime/services/process/process_loop.hpp"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <exception>
#include <functional>

namespace troupe {

namespace {

using channel = tracked_child::channel;

// Event keys: the child's id times 4 plus the channel; 0 is the eventfd
// (ids start at 1).
constexpr std::uint64_t wake_key = 0;
std::uint64_t key_of(std::uint64_t id, channel c) {
  return id << 2 | static_cast<std::uint64_t>(c);
}

// How long after the shutdown grace (and the longest drain window) a child
// that still has not exited is given up.
constexpr std::chrono::seconds abandon_margin{2};

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

process_loop::process_loop(std::atomic<std::size_t>* running) : running_(running) {
  epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) {
    setup_ = status::error("process service: " + errno_text("epoll_create1"));
    return;
  }
  wake_.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_) {
    setup_ = status::error("process service: " + errno_text("eventfd"));
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = wake_key;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev) != 0) {
    setup_ = status::error("process service: " + errno_text("epoll_ctl"));
  }
}

process_loop::~process_loop() = default;

void process_loop::wake() {
  std::uint64_t one = 1;
  // Fails only when the counter is saturated, and then a wake-up is pending.
  [[maybe_unused]] ssize_t n = ::write(wake_.get(), &one, sizeof one);
}

void process_loop::start(std::uint64_t id, const process_spec& spec, callback on_exit) {
  auto now = clock::now();
  auto spawned = spawn_process(spec);
  if (!spawned) {
    process_result r;
    r.id = id;
    r.spawn_failed = true;
    r.error = spawned.error().message();
    report(on_exit, std::move(r));
    return;
  }
  auto owned = std::make_unique<tracked_child>(id, spec, std::move(*spawned),
                                               std::move(on_exit), epoll_.get(), now);
  tracked_child& child = *owned;
  if (status watched = watch(child); !watched) {
    // Killed by watch(); it exits at once, so waiting here is short.
    waitpid(child.pid(), nullptr, 0);
    process_result r;
    r.id = id;
    r.spawn_failed = true;
    r.error = "cannot watch '" + spec.argv[0] + "': " + watched.message();
    report(child.on_exit(), std::move(r));
    return;
  }
  children_.emplace(id, std::move(owned));
  if (spec.timeout.count() > 0) schedule(now + spec.timeout, id, deadline_kind::timeout);
}

status process_loop::watch(tracked_child& child) {
  const spawned_process& p = child.proc();
  child.write_stdin();  // small stdin data is written (and closed) right away
  struct entry {
    int fd;
    channel which;
    std::uint32_t events;
  };
  for (entry e : {entry{p.pidfd.get(), channel::exit, EPOLLIN},
                  entry{p.out.get(), channel::out, EPOLLIN},
                  entry{p.err.get(), channel::err, EPOLLIN},
                  entry{p.in.get(), channel::in, EPOLLOUT}}) {
    if (e.fd < 0) continue;
    epoll_event ev{};
    ev.events = e.events;
    ev.data.u64 = key_of(child.id(), e.which);
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, e.fd, &ev) != 0) {
      status failed = status::error(errno_text("epoll_ctl"));
      child.begin_termination(false);
      child.kill_group();
      return failed;
    }
  }
  return status::ok();
}

void process_loop::refuse(std::uint64_t id, callback on_exit, const std::string& why) {
  process_result r;
  r.id = id;
  r.spawn_failed = true;
  r.cancelled = true;
  r.error = why;
  report(on_exit, std::move(r));
}

void process_loop::terminate(std::uint64_t id) {
  tracked_child* child = find(id);
  if (child == nullptr || child->exited()) return;
  if (child->begin_termination(false)) {
    schedule(clock::now() + child->kill_grace(), id, deadline_kind::kill);
  }
}

void process_loop::begin_shutdown(std::chrono::milliseconds grace) {
  if (stopping_) return;
  stopping_ = true;
  auto now = clock::now();
  std::chrono::milliseconds longest_drain{0};
  for (auto& [id, child] : children_) {
    longest_drain = std::max(longest_drain, child->exit_drain());
    if (child->exited()) continue;
    child->begin_termination(false);
    schedule(now + std::min(grace, child->kill_grace()), id, deadline_kind::kill);
  }
  schedule(now + grace + longest_drain + abandon_margin, 0, deadline_kind::abandon);
}

bool process_loop::run_once() {
  constexpr int max_events = 64;
  epoll_event events[max_events];
  int n = epoll_wait(epoll_.get(), events, max_events, next_timeout_ms(clock::now()));
  if (n < 0 && errno != EINTR) {
    spdlog::error("process service: {}", errno_text("epoll_wait"));
  }
  bool woken = false;
  auto now = clock::now();
  for (int i = 0; i < n; ++i) {
    if (events[i].data.u64 == wake_key) {
      std::uint64_t count;
      [[maybe_unused]] ssize_t r = ::read(wake_.get(), &count, sizeof count);
      woken = true;
    } else {
      handle_event(events[i].data.u64, now);
    }
  }
  now = clock::now();
  while (!deadlines_.empty() && deadlines_.front().when <= now) {
    handle_deadline(pop_deadline());
  }
  return woken;
}

int process_loop::next_timeout_ms(clock::time_point now) const {
  if (deadlines_.empty()) return -1;
  auto left = deadlines_.front().when - now;
  if (left <= clock::duration::zero()) return 0;
  // Rounded up, so the loop never wakes just before a deadline and spins.
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

void process_loop::schedule(clock::time_point when, std::uint64_t id,
                            deadline_kind kind) {
  deadlines_.push_back(deadline{when, id, kind});
  std::push_heap(deadlines_.begin(), deadlines_.end(), std::greater<deadline>());
}

process_loop::deadline process_loop::pop_deadline() {
  std::pop_heap(deadlines_.begin(), deadlines_.end(), std::greater<deadline>());
  deadline d = deadlines_.back();
  deadlines_.pop_back();
  return d;
}

void process_loop::compact_deadlines() {
  auto gone = [this](const deadline& d) {
    return d.kind != deadline_kind::abandon && children_.count(d.id) == 0;
  };
  deadlines_.erase(std::remove_if(deadlines_.begin(), deadlines_.end(), gone),
                   deadlines_.end());
  std::make_heap(deadlines_.begin(), deadlines_.end(), std::greater<deadline>());
}

tracked_child* process_loop::find(std::uint64_t id) {
  auto it = children_.find(id);
  return it == children_.end() ? nullptr : it->second.get();
}

void process_loop::handle_event(std::uint64_t key, clock::time_point now) {
  // Stale events (for a child reported earlier in the same batch) find
  // nothing: ids are never reused.
  tracked_child* child = find(key >> 2);
  if (child == nullptr) return;
  auto which = static_cast<channel>(key & 3);
  switch (which) {
    case channel::exit:
      child->mark_exited(now);
      if (!child->pipes_closed()) {
        schedule(now + child->exit_drain(), child->id(), deadline_kind::drain);
      }
      break;
    case channel::out:
    case channel::err:
      child->read(which);
      break;
    case channel::in:
      child->write_stdin();
      break;
  }
  if (child->exited() && child->pipes_closed()) finish(*child);
}

void process_loop::handle_deadline(const deadline& d) {
  if (d.kind == deadline_kind::abandon) {
    abandon_all();
    return;
  }
  tracked_child* child = find(d.id);
  if (child == nullptr) return;
  switch (d.kind) {
    case deadline_kind::timeout:
      if (!child->exited() && child->begin_termination(true)) {
        schedule(d.when + child->kill_grace(), d.id, deadline_kind::kill);
      }
      break;
    case deadline_kind::kill:
      child->kill_group();
      break;
    case deadline_kind::drain:
      finish(*child);
      break;
    case deadline_kind::abandon:
      break;
  }
}

void process_loop::finish(tracked_child& child) {
  std::uint64_t id = child.id();
  callback on_exit = std::move(child.on_exit());
  process_result r = child.finish();
  children_.erase(id);
  if (deadlines_.size() > 64 + 4 * children_.size()) compact_deadlines();
  report(on_exit, std::move(r));
}

void process_loop::abandon_all() {
  std::vector<std::uint64_t> ids;
  for (auto& [id, child] : children_) ids.push_back(id);
  for (std::uint64_t id : ids) {
    tracked_child& child = *children_.at(id);
    if (child.exited()) {
      finish(child);
      continue;
    }
    callback on_exit = std::move(child.on_exit());
    process_result r =
        child.abandon("abandoned at shutdown: still running after SIGKILL");
    spdlog::error("process service: pid {} did not exit after SIGKILL; abandoned",
                  child.pid());
    children_.erase(id);
    report(on_exit, std::move(r));
  }
}

void process_loop::report(callback& on_exit, process_result result) {
  std::uint64_t id = result.id;
  running_->fetch_sub(1);
  if (!on_exit) return;
  try {
    on_exit(std::move(result));
  } catch (const std::exception& e) {
    spdlog::error("process service: completion callback for process {} threw: {}", id,
                  e.what());
  } catch (...) {
    spdlog::error("process service: completion callback for process {} threw", id);
  }
}

}  // namespace troupe
