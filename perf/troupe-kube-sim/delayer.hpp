// delayer: runs functions after a delay on a few timer threads (Asio steady
// timers), so that thousands of delayed answers cost no thread each.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

namespace troupe::kube_sim {

class delayer {
 public:
  explicit delayer(int threads);
  // Drops what has not run yet and joins the threads.
  ~delayer();
  delayer(const delayer&) = delete;
  delayer& operator=(const delayer&) = delete;

  // Runs `fn` on a timer thread after `delay` (at once for zero). Thread-safe.
  void after(std::chrono::milliseconds delay, std::function<void()> fn);

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace troupe::kube_sim
