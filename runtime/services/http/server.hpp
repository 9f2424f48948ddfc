// http_server: the node's HTTP/1.1 endpoint (API, webhooks, /metrics, probes).
//
// HTTPS when TLS files are configured (tls_context.hpp): Beast's SSL stream
// on OpenSSL, the same server otherwise.
//
// Boost.Beast on Boost.Asio: a small fixed pool of io threads serves every
// connection asynchronously (no thread per connection); each connection runs
// on its own strand, reads one request at a time (keep-alive), and reads the
// next one only after the previous response is written, so responses keep
// the order of the requests.
//
// Before a handler runs, the server answers by itself:
//   400 malformed HTTP (then closes), bad percent-encoding in path or query
//   404 unknown path           405 known path, other method (Allow: ...)
//   413 body over max_body_bytes (also when Content-Length announces it; closes)
//   431 header over 8 KiB (closes)
//   401 a route that needs a token, without "Authorization: Bearer <token>"
//       or with one that matches none (WWW-Authenticate: Bearer ...), when
//       tokens are configured
//   403 a token whose scope is below the route's (the error names both)
//   429 max_inflight handlers already wait for their responder (Retry-After: 1)
//   503 after stop_intake() (and the connection closes)
// Every error body is json_error()'s {"error": ..., "detail": ...}.
//
// Metrics (when a registry is given, which must outlive the server):
//   troupe_http_requests_total{method,route,code}           counter
//   troupe_http_request_duration_seconds{method,route}     histogram, request
//                                          read to response handed to the socket
//   troupe_http_connections_open, troupe_http_handlers_inflight   gauges
// `route` is the matched pattern ("/api/v1/pools/{pool}") or "none", and
// `method` one of the standard verbs or "other", so label sets stay bounded.
// A request is counted before its response is written, so a client that has
// its response already finds it in /metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/http/auth.hpp"
#include "runtime/services/http/response.hpp"
#include "runtime/services/http/tls_context.hpp"

namespace troupe {

class metrics_registry;

struct http_options {
  // "host:port" (see listen_address.hpp); port 0 picks a free port.
  std::string listen = "127.0.0.1:8080";
  int threads = 2;                        // io threads, >= 1
  std::size_t max_body_bytes = 1 << 20;   // larger bodies get 413
  std::size_t max_inflight = 1024;        // handlers awaiting a responder; then 429
  std::chrono::seconds idle_timeout{30};  // per read (incl. keep-alive wait) and write
  // The API tokens (auth.hpp, api_tokens.hpp); none = no authentication,
  // which is only allowed on a loopback listen address. A request that may
  // change state (not GET or HEAD) is logged with its token's name.
  std::vector<api_token> tokens;
  // HTTPS when a certificate and key are set (tls_context.hpp). Beyond
  // loopback the server needs TLS unless allow_insecure is set (a
  // TLS-terminating reverse proxy in front).
  http_tls_options tls;
  bool allow_insecure = false;
  // Asked, after authentication, before the handler of any request that may
  // change state (every method but GET and HEAD): a non-empty answer refuses
  // it with 507 Insufficient Storage, that text and Retry-After, so nothing
  // is half-applied while the node cannot write (the node answers from its
  // store's health). Empty function: nothing is refused. Must be cheap and
  // thread-safe.
  std::function<std::string()> write_refusal;
};

// A route as the server has it (GET /api/v1/node lists them).
struct http_route_info {
  std::string method;
  std::string pattern;
  http_access access = http_access::open;
};

class http_server {
 public:
  // `metrics` may be null; otherwise it must outlive this server.
  explicit http_server(http_options options, metrics_registry* metrics = nullptr);
  // Calls stop(); on one of the server's own io threads (a handler dropped
  // the last owner), a detached thread does, since an io thread cannot join
  // itself.
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Routes `method` on `pattern`: an exact path or one with {name} segments
  // ("/api/v1/pools/{pool}"), see router.hpp. Unless `access` is open,
  // requests must carry "Authorization: Bearer <token>" with a token of that
  // scope or above, when tokens are configured. Call before
  // start(). Throws std::invalid_argument on a malformed or duplicate route and
  // std::logic_error after start() (programming errors).
  void route(std::string method, std::string pattern, http_handler handler,
             http_access access);

  // Binds and starts serving. Returns the bound "host:port" (with the chosen
  // port when the configured one is 0; IPv6 in brackets). Errors: a bad listen
  // address, a non-loopback address without tokens or without TLS (unless
  // allow_insecure), a TLS file that does not load (named), threads < 1,
  // bind failures, or a second call.
  result<std::string> start();

  // The configuration errors start() would report before binding: the
  // listen address, tokens and TLS beyond loopback, threads, TLS files.
  static status check(const http_options& options);

  // Builds the TLS context again from the same files (renewed certificate
  // and key): new connections use it, open ones keep theirs. On an error
  // the current context stays and the error names the file. Thread-safe; a
  // no-op without TLS.
  status reload_tls();

  // Stops taking work: the listening socket closes, requests that arrive on
  // open connections get 503 and their connection closes. Handlers already
  // running still deliver their responses. Returns at once; thread-safe.
  void stop_intake();

  // Closes the listener and every connection, then joins the io threads.
  // Responses not yet delivered are dropped (their responders become no-ops).
  // Idempotent. Must not be called from a handler (an io thread): throws
  // std::logic_error there, since it would join itself.
  void stop();

  // Every route, in the order added. Safe from handlers (routes are fixed
  // once start() ran).
  std::vector<http_route_info> routes() const;

  // Handlers that have been called and not yet answered through their responder.
  std::size_t inflight() const;

 private:
  class impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace troupe
