#include "runtime/services/process/process_service.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "runtime/services/process/leftovers.hpp"
#include "runtime/services/process/process_loop.hpp"

namespace troupe {

struct process_service::impl {
  enum class kind { start, granted, terminate, shutdown };
  struct request {
    kind what;
    std::uint64_t id = 0;
    process_spec spec;
    callback on_exit;
    std::chrono::milliseconds grace{0};
  };

  // A start waiting for its lease of the host (service thread only).
  struct waiting_start {
    process_spec spec;
    callback on_exit;
    std::uint64_t ticket = 0;
  };

  impl(host_lock* h, std::string o) : host(h), owner(std::move(o)) {}

  host_lock* host;          // null: no host lock, every start spawns at once
  const std::string owner;  // TROUPE_NODE of every child; "" for none
  std::unordered_map<std::uint64_t, waiting_start> waiting;
  std::atomic<std::size_t> running{0};
  std::atomic<std::uint64_t> next_id{1};
  process_loop loop{&running};

  std::mutex mu;  // guards the two members below
  std::vector<request> queue;
  bool closed = false;  // shutdown requested (or no thread): refuse starts

  std::mutex shutdown_mu;  // serializes shutdown()
  std::thread thread;
  std::thread::id thread_id;

  void run();
  void serve_queue();
  void start_or_wait(request& r);
  void spawn(std::uint64_t id, process_spec spec, callback on_exit, std::uint64_t ticket);
  // Queues a request from any thread (the lock's grant callbacks).
  void post(request r);
  // Queues a shutdown unless one is queued already.
  void request_shutdown(std::chrono::milliseconds grace);
};

void process_service::impl::run() {
  // Signals are for the node's signal thread. In particular a write to the
  // stdin of a child that is gone raises SIGPIPE here, which must not end
  // the node (tracked_child discards it). Children get an empty mask.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  pthread_setname_np(pthread_self(), "troupe-process");
  while (!loop.finished()) {
    if (loop.run_once()) serve_queue();
  }
}

void process_service::impl::serve_queue() {
  std::vector<request> batch;
  {
    std::lock_guard<std::mutex> lock(mu);
    batch.swap(queue);
  }
  bool stopping = false;
  for (const request& r : batch) stopping = stopping || r.what == kind::shutdown;
  for (request& r : batch) {
    switch (r.what) {
      case kind::start:
        if (stopping) {
          loop.refuse(r.id, std::move(r.on_exit),
                      "process service shut down before the process started");
        } else {
          start_or_wait(r);
        }
        break;
      case kind::granted:
        if (auto w = waiting.find(r.id); w != waiting.end()) {
          auto ws = std::move(w->second);
          waiting.erase(w);
          spawn(r.id, std::move(ws.spec), std::move(ws.on_exit), ws.ticket);
        }
        break;
      case kind::terminate:
        if (auto w = waiting.find(r.id); w != waiting.end()) {
          auto ws = std::move(w->second);
          waiting.erase(w);
          host->release(ws.ticket);
          loop.refuse(r.id, std::move(ws.on_exit),
                      "terminated while waiting for the host");
        } else {
          loop.terminate(r.id);
        }
        break;
      case kind::shutdown:
        for (auto& [id, ws] : waiting) {
          host->release(ws.ticket);
          loop.refuse(id, std::move(ws.on_exit),
                      "process service shut down while the process waited for the host");
        }
        waiting.clear();
        loop.begin_shutdown(r.grace);
        break;
    }
  }
}

void process_service::impl::start_or_wait(request& r) {
  if (host == nullptr || !r.spec.host)
    return spawn(r.id, std::move(r.spec), std::move(r.on_exit), 0);
  auto id = r.id;
  auto use = *r.spec.host;
  auto holder = r.spec.host_holder.empty()
                    ? r.spec.argv.empty() ? std::string("process") : r.spec.argv[0]
                    : r.spec.host_holder;
  auto& ws = waiting[id];
  ws.spec = std::move(r.spec);
  ws.on_exit = std::move(r.on_exit);
  // The grant may run here, at once: it only queues, so `ws` is complete
  // before the granted request is served.
  ws.ticket = host->acquire(use, std::move(holder), [this, id] {
    post(request{kind::granted, id, {}, {}, {}});
  });
}

void process_service::impl::spawn(std::uint64_t id, process_spec spec, callback on_exit,
                                  std::uint64_t ticket) {
  if (ticket != 0) {
    // The lease ends once the process is reported (after its callback).
    on_exit = [lock = host, ticket, inner = std::move(on_exit)](process_result r) {
      if (inner) inner(std::move(r));
      lock->release(ticket);
    };
  }
  loop.start(id, spec, std::move(on_exit));
}

void process_service::impl::post(request r) {
  {
    std::lock_guard<std::mutex> lock(mu);
    queue.push_back(std::move(r));
  }
  loop.wake();
}

void process_service::impl::request_shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (closed) return;
    closed = true;
    queue.push_back(request{kind::shutdown, 0, {}, {}, grace});
  }
  loop.wake();
}

process_service::process_service(host_lock* host, std::string owner)
    : impl_(std::make_unique<impl>(host, std::move(owner))) {
  if (!impl_->loop.setup()) {
    impl_->closed = true;
    return;
  }
  impl_->thread = std::thread([this] { impl_->run(); });
  impl_->thread_id = impl_->thread.get_id();
}

process_service::~process_service() {
  shutdown(default_shutdown_grace);
}

std::uint64_t process_service::start(process_spec spec, callback on_exit) {
  std::uint64_t id = impl_->next_id.fetch_add(1);
  // Last, so that it wins over the spec's own (runtime/services/process/leftovers.hpp).
  if (!impl_->owner.empty()) spec.env.emplace_back(owner_variable, impl_->owner);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->closed) {
      impl_->running.fetch_add(1);
      impl_->queue.push_back(
          impl::request{impl::kind::start, id, std::move(spec), std::move(on_exit), {}});
      impl_->loop.wake();
      return id;
    }
  }
  process_result r;
  r.id = id;
  r.spawn_failed = true;
  r.cancelled = true;
  r.error = impl_->loop.setup() ? "process service is shut down"
                                : impl_->loop.setup().message();
  if (on_exit) on_exit(std::move(r));
  return id;
}

void process_service::terminate(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->closed) return;  // shutdown terminates everything anyway
  impl_->queue.push_back(impl::request{impl::kind::terminate, id, {}, {}, {}});
  impl_->loop.wake();
}

std::size_t process_service::running() const {
  return impl_->running.load();
}

void process_service::shutdown(std::chrono::milliseconds grace) {
  if (std::this_thread::get_id() == impl_->thread_id) {
    impl_->request_shutdown(grace);
    return;
  }
  std::lock_guard<std::mutex> lock(impl_->shutdown_mu);
  impl_->request_shutdown(grace);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace troupe
