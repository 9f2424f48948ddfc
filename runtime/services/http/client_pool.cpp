#include "runtime/services/http/client_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "runtime/services/http/client_connection.hpp"

namespace troupe::http_client_detail {

http_client_response transport_failure(http_transport_error error, std::string message) {
  http_client_response response;
  response.error = error;
  response.error_message = std::move(message);
  return response;
}

pool::pool(net::io_context& io, client_state& state, http_url origin)
    : state_(state),
      origin_(std::move(origin)),
      strand_(net::make_strand(io)),
      idle_timer_(strand_) {}

void pool::submit(std::shared_ptr<call> c) {
  net::post(strand_, [self = shared_from_this(), c = std::move(c)]() mutable {
    if (self->stopped_) {
      return self->complete(*c, transport_failure(http_transport_error::other,
                                                  "the http client is stopped"));
    }
    if (self->origin_.tls && !self->state_.tls) {
      return self->complete(
          *c, transport_failure(http_transport_error::tls,
                                "TLS is not available: " + self->state_.tls_error));
    }
    c->timer.emplace(self->strand_);
    c->timer->expires_at(c->deadline);
    c->timer->async_wait([self, c](boost::system::error_code ec) {
      if (!ec) self->on_timeout(c);
    });
    self->enqueue(std::move(c), false);
  });
}

void pool::shutdown() {
  net::post(strand_, [self = shared_from_this()] { self->abort_all(); });
}

void pool::complete(call& c, http_client_response response) {
  if (c.finished) return;
  c.finished = true;
  if (c.timer) c.timer->cancel();
  c.conn.reset();
  http_client::callback done = std::move(c.done);
  try {
    done(std::move(response));
  } catch (const std::exception& e) {
    spdlog::error("http client: a callback for {} threw: {}", origin_.origin(), e.what());
  } catch (...) {
    spdlog::error("http client: a callback for {} threw", origin_.origin());
  }
}

void pool::release(const std::shared_ptr<connection>& conn, bool reusable) {
  if (stopped_ || !reusable || all_.count(conn) == 0) return discard(conn);
  // The next live call in the queue takes the connection at once.
  while (!queue_.empty()) {
    std::shared_ptr<call> next = std::move(queue_.front());
    queue_.pop_front();
    if (next->finished) continue;
    state_.reused.fetch_add(1, std::memory_order_relaxed);
    return conn->run(std::move(next));
  }
  conn->idle_since = clock::now();
  idle_.push_back(conn);
  arm_idle_timer();
}

void pool::discard(const std::shared_ptr<connection>& conn) {
  conn->close();
  if (all_.erase(conn) == 0) return;
  auto i = std::find(idle_.begin(), idle_.end(), conn);
  if (i != idle_.end()) idle_.erase(i);
  state_.open.fetch_sub(1, std::memory_order_relaxed);
  pump();
}

void pool::resend(std::shared_ptr<call> c) {
  state_.retried_stale.fetch_add(1, std::memory_order_relaxed);
  c->retried = true;
  enqueue(std::move(c), true);
}

void pool::enqueue(std::shared_ptr<call> c, bool front) {
  if (front) {
    queue_.push_front(std::move(c));
  } else {
    queue_.push_back(std::move(c));
  }
  pump();
}

// Hands queued calls to idle connections (most recently used first), then
// to new connections while the cap allows; the rest wait for release().
void pool::pump() {
  while (!stopped_ && !queue_.empty()) {
    if (queue_.front()->finished) {
      queue_.pop_front();
      continue;
    }
    std::shared_ptr<connection> conn;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
      state_.reused.fetch_add(1, std::memory_order_relaxed);
    } else if (all_.size() < state_.options.max_connections) {
      conn = std::make_shared<connection>(*this);
      all_.insert(conn);
      state_.open.fetch_add(1, std::memory_order_relaxed);
    } else {
      return;
    }
    std::shared_ptr<call> next = std::move(queue_.front());
    queue_.pop_front();
    conn->run(std::move(next));
  }
}

void pool::on_timeout(const std::shared_ptr<call>& c) {
  if (c->finished) return;
  state_.timeouts.fetch_add(1, std::memory_order_relaxed);
  std::shared_ptr<connection> conn = c->conn.lock();
  // The connection may still receive the late answer: never reuse it. Closed
  // before the callback runs, so that the callback sees settled counters.
  if (conn) discard(conn);
  complete(*c, transport_failure(http_transport_error::timeout,
                                 "no response from " + origin_.origin() + " in time"));
}

void pool::arm_idle_timer() {
  if (idle_timer_armed_ || idle_.empty()) return;
  idle_timer_armed_ = true;
  idle_timer_.expires_at(idle_.front()->idle_since + state_.options.idle_timeout);
  idle_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->idle_timer_armed_ = false;
    if (!ec) self->on_idle_timer();
  });
}

void pool::on_idle_timer() {
  const auto now = clock::now();
  while (!idle_.empty() &&
         idle_.front()->idle_since + state_.options.idle_timeout <= now) {
    std::shared_ptr<connection> oldest = idle_.front();
    discard(oldest);  // erases it from idle_
  }
  arm_idle_timer();
}

void pool::abort_all() {
  stopped_ = true;
  idle_timer_.cancel();
  std::deque<std::shared_ptr<call>> queued = std::move(queue_);
  queue_.clear();
  for (auto& c : queued) {
    complete(
        *c, transport_failure(http_transport_error::other, "the http client is stopped"));
  }
  std::unordered_set<std::shared_ptr<connection>> open = std::move(all_);
  all_.clear();
  idle_.clear();
  for (const auto& conn : open) {
    conn->close();
    state_.open.fetch_sub(1, std::memory_order_relaxed);
  }
}

}  // namespace troupe::http_client_detail
