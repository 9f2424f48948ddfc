// host_lock: who may load this host's CPUs now. Measurement is a resource
// like any other (ARCHITECTURE.md): while a benchmark measures, nothing else
// of troupe's runs on its host, so the measurement sees a quiet machine.
//
// Two uses of the host:
//   exclusive  a measurement (one run of a benchmark suite and the parse of
//              its output): alone on the host;
//   shared     everything else of troupe's that loads the host (benchmark
//              builds, workflow processes, bench history analysis and
//              exports): any number at once, never beside an exclusive one.
// Requests are granted in arrival order: a waiting measurement holds back
// the shared requests that come after it (a stream of builds cannot starve
// it), and a measurement waits for the shared leases granted before it.
// Consecutive shared requests at the head of the queue are granted together.
//
// acquire() returns a ticket; `granted` runs exactly once when the lease is
// held, outside the lock's mutex, on the thread of the acquire() call (when
// the host is free at once) or on the thread whose release() made room: it
// must be cheap and must not block (a caf::anon_send, a queue push).
// release(ticket) ends a held lease or drops a waiting request (whose
// callback then never runs); unknown tickets are ignored. Thread-safe.
//
// A lock built with enabled=false grants everything at once and counts
// nothing: isolation off ([bench] isolation="off").
//
// Metrics (when a registry is given), per use:
//   troupe_host_lock_held{use}                  leases held now
//   troupe_host_lock_waiting{use}               requests waiting now
//   troupe_host_lock_wait_seconds_total{use}    time requests spent waiting
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace troupe {

class metrics_registry;
template <class Metric>
class metric_family;
class gauge;
class counter;

enum class host_use { shared, exclusive };

// "shared", "exclusive".
std::string_view host_use_name(host_use u);

class host_lock {
 public:
  using clock = std::chrono::steady_clock;

  // One lease, held or waiting, as state() reports it.
  struct entry {
    std::uint64_t ticket = 0;
    host_use use = host_use::shared;
    std::string holder;       // who asked, for people ("platform x86: run 7 suite micro")
    clock::time_point since;  // asked (waiting) or granted (held)
  };
  struct snapshot {
    std::vector<entry> held;     // in grant order
    std::vector<entry> waiting;  // in arrival order
  };

  // `metrics` may be null; it must outlive the lock.
  explicit host_lock(bool enabled = true, metrics_registry* metrics = nullptr);
  host_lock(const host_lock&) = delete;
  host_lock& operator=(const host_lock&) = delete;

  bool enabled() const { return enabled_; }

  // Asks for the host (see above). Returns the ticket (never 0).
  std::uint64_t acquire(host_use use, std::string holder, std::function<void()> granted);

  // Ends the lease or the waiting request of `ticket`.
  void release(std::uint64_t ticket);

  snapshot state() const;

 private:
  struct waiter {
    entry e;
    std::function<void()> granted;
  };
  // Moves every grantable waiter to held_; returns their callbacks.
  std::vector<std::function<void()>> grant_locked();
  void count_locked(host_use use, int held_delta, int waiting_delta);

  const bool enabled_;
  mutable std::mutex mu_;
  std::uint64_t next_ticket_ = 1;
  std::map<std::uint64_t, entry> held_;
  std::deque<waiter> waiting_;
  std::size_t exclusive_held_ = 0;
  metric_family<gauge>* held_metric_ = nullptr;
  metric_family<gauge>* waiting_metric_ = nullptr;
  metric_family<counter>* wait_seconds_ = nullptr;
};

}  // namespace troupe
