// Internals of http_client (not for use elsewhere): one call, the state the
// client shares with its pools, and the connection pool of one origin.
//
// Threading: each pool lives on its own strand. Everything about a pool (its
// queue, its idle and busy connections, its calls' timers, every socket
// operation of its connections) runs on that strand, so none of it needs a
// lock; only submit() and shutdown() may be called from other threads (they
// post). Counters are atomics in client_state.
//
// Lifetime: the client owns its pools; a pool owns its connections (all_);
// pending operations own their connection or call through shared pointers.
// The client joins its io threads (which return only when no operation is
// pending) before it destroys the pools, so no handler ever sees a dead pool.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "runtime/services/http/client.hpp"
#include "runtime/services/http/client_url.hpp"

namespace troupe::http_client_detail {

namespace net = boost::asio;
namespace http = boost::beast::http;
using clock = std::chrono::steady_clock;
using strand = net::strand<net::io_context::executor_type>;

class connection;

struct client_state {
  http_client_options options;
  // For https; null when it could not be set up (then `tls_error` says why).
  std::unique_ptr<net::ssl::context> tls;
  std::string tls_error;

  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> opened{0};
  std::atomic<std::uint64_t> reused{0};
  std::atomic<std::uint64_t> open{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::uint64_t> retried_stale{0};
};

// One request in flight. Touched only on its pool's strand.
struct call {
  http::request<http::string_body> request;
  http_client::callback done;
  clock::time_point deadline;
  std::size_t max_body_bytes = 0;  // the response body's limit (never 0)
  std::optional<net::steady_timer> timer;
  std::weak_ptr<connection> conn;  // while a connection works on it
  bool head = false;               // a HEAD request: the response has no body
  bool finished = false;           // done was called
  bool retried = false;            // resent once after a stale keep-alive
};

// A response that carries only a transport error.
http_client_response transport_failure(http_transport_error error, std::string message);

class pool : public std::enable_shared_from_this<pool> {
 public:
  pool(net::io_context& io, client_state& state, http_url origin);

  // Any thread: queues `c` (posted onto the strand); completes it with an
  // error if the pool is shut down.
  void submit(std::shared_ptr<call> c);
  // Any thread: completes every call with "client stopped" and closes all
  // connections (posted onto the strand).
  void shutdown();

  // -- on the strand, for connections ---------------------------------------

  // Calls c.done once (later calls are ignored) and stops c's timer.
  void complete(call& c, http_client_response response);
  // `conn` finished its call: keep it for the next call when `reusable`,
  // else close it.
  void release(const std::shared_ptr<connection>& conn, bool reusable);
  // Closes `conn` and forgets it (idempotent); frees its slot for the queue.
  void discard(const std::shared_ptr<connection>& conn);
  // Sends `c` again on a new connection, ahead of the queue.
  void resend(std::shared_ptr<call> c);

  const strand& executor() const { return strand_; }
  const http_url& origin() const { return origin_; }
  client_state& state() { return state_; }

 private:
  void enqueue(std::shared_ptr<call> c, bool front);
  void pump();
  void on_timeout(const std::shared_ptr<call>& c);
  void arm_idle_timer();
  void on_idle_timer();
  void abort_all();

  client_state& state_;
  const http_url origin_;
  strand strand_;
  net::steady_timer idle_timer_;
  bool idle_timer_armed_ = false;
  std::deque<std::shared_ptr<call>> queue_;
  std::vector<std::shared_ptr<connection>> idle_;  // oldest first
  std::unordered_set<std::shared_ptr<connection>> all_;
  bool stopped_ = false;
};

}  // namespace troupe::http_client_detail
