// http_client: an asynchronous HTTP/1.1 client (Boost.Beast on Boost.Asio,
// TLS through OpenSSL) for calls to outside APIs such as the Kubernetes API.
//
// A small fixed pool of io threads serves every call: 1,000 calls in flight
// cost 1,000 sockets and a little memory, not 1,000 threads. Connections are
// pooled per scheme://host:port and kept alive: a call takes an idle
// connection when there is one (the most recently used first), opens a new one
// while fewer than max_connections are open to that host, and otherwise waits
// in a FIFO queue for the next connection that becomes free. Idle connections
// close after idle_timeout.
//
// Each call completes exactly once, through its callback, on an io thread
// (never on the caller's stack). Callbacks must be cheap and must not block:
// they hold up every other call to the same host. Failures are values: the
// response says which transport error ended the call, or carries the HTTP
// status, headers and body of whatever the server answered (4xx and 5xx
// included).
//
// Timeouts: a call's timeout covers all of it, from request() to the last
// byte of the response: waiting in the queue, resolving, connecting, the TLS
// handshake, writing and reading. On expiry the call completes with
// transport_error::timeout and its connection (if it had one) is closed,
// never reused, since a late answer could still arrive on it.
//
// A request that fails on a reused keep-alive connection before any byte of
// the response arrived (the server had closed the idle connection) is sent
// once more on a new connection. That repeats a request the server may have
// seen only in the rare race where the server closed the connection after
// reading it; callers with non-idempotent requests must tolerate that (the
// Kubernetes provider does: a repeated create answers 409 AlreadyExists).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe {

struct http_client_options {
  int threads = 1;                       // io threads, >= 1
  std::size_t max_connections = 1024;    // open connections per scheme://host:port
  std::size_t max_body_bytes = 8 << 20;  // larger responses fail (transport_error::other)
  std::chrono::milliseconds idle_timeout{30000};  // idle pooled connections close after
  // TLS (https URLs): the server certificate is verified against `ca_file`
  // (PEM), or the system's default CA paths when empty, and must name the host.
  std::string ca_file;
  // A client certificate (PEM chain) and its unencrypted key, for servers
  // that ask for one (mutual TLS); both or neither.
  std::string cert_file, key_file;
};

// Why a call produced no HTTP response.
enum class http_transport_error {
  none,                // a response arrived (any status)
  timeout,             // the call's timeout passed
  connection_refused,  // nothing listens on host:port
  connection_reset,    // the server closed or reset the connection mid-call
  dns,                 // the host name did not resolve
  tls,                 // TLS handshake or certificate verification failed
  other,               // bad URL, oversized or malformed response, client stopped ...
};

// "none", "timeout", "connection_refused", ... (for logs and reports).
std::string_view to_string(http_transport_error error);

struct http_client_request {
  std::string method = "GET";
  // "http://host[:port]/path[?query]" or "https://...". The target is sent as
  // given (already percent-encoded; see url_encode_component in client_url.hpp).
  std::string url;
  // Sent as given, after Host and User-Agent (which these may override).
  // Content-Length is computed from `body`.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
  // A response body over this many bytes fails the call (transport_error::other,
  // the message names the limit); 0: the client's max_body_bytes.
  std::size_t max_body_bytes = 0;
};

struct http_client_response {
  http_transport_error error = http_transport_error::none;
  std::string error_message;  // detail when error != none
  int status = 0;             // the HTTP status when error == none
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;

  bool ok() const { return error == http_transport_error::none; }
  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

// Monotonic counters over the client's lifetime (all hosts together).
struct http_client_stats {
  std::uint64_t requests = 0;            // calls made through request()
  std::uint64_t connections_opened = 0;  // connections whose TCP connect succeeded
  std::uint64_t connections_reused = 0;  // calls sent on an already used connection
  std::uint64_t connections_open = 0;    // currently open or opening (a gauge)
  std::uint64_t timeouts = 0;            // calls that ended in a timeout
  std::uint64_t retried_stale = 0;       // calls resent after a stale keep-alive
};

class http_client {
 public:
  using callback = std::function<void(http_client_response)>;

  // Starts the io threads. Errors (threads < 1, max_connections 0, an
  // unreadable ca_file) surface on every call as transport_error::other.
  explicit http_client(http_client_options options = {});
  // Calls stop().
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Starts `request`; `done` is called exactly once, on an io thread (also
  // for a malformed URL). After stop() the call completes at once, on the
  // caller's thread, with transport_error::other. Thread-safe.
  void request(http_client_request request, callback done);

  // Completes every pending call with transport_error::other ("client
  // stopped"), closes all connections and joins the io threads. Idempotent.
  // Must not be called from a callback: throws std::logic_error there.
  void stop();

  http_client_stats stats() const;

 private:
  class impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace troupe
