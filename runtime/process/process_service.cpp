#include "runtime/process/process_service.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/process/process_loop.hpp"

namespace troupe {

struct process_service::impl {
  enum class kind { start, terminate, shutdown };
  struct request {
    kind what;
    std::uint64_t id = 0;
    process_spec spec;
    callback on_exit;
    std::chrono::milliseconds grace{0};
  };

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
          loop.start(r.id, r.spec, std::move(r.on_exit));
        }
        break;
      case kind::terminate:
        loop.terminate(r.id);
        break;
      case kind::shutdown:
        loop.begin_shutdown(r.grace);
        break;
    }
  }
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

process_service::process_service() : impl_(std::make_unique<impl>()) {
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
