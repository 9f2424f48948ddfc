// http_response and the handler signature: how route handlers answer.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/services/http/request.hpp"

namespace troupe {

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra header fields (e.g. Location, Retry-After). Content-Type,
  // Content-Length and Connection are set by the server.
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error":"<error>","detail":"<detail>"} with `status`. `error` is a short
// machine-readable code ("not_found"), `detail` a sentence for humans.
http_response json_error(int status, std::string_view error, std::string_view detail);

// 507 Insufficient Storage, error "storage_unavailable", with Retry-After:
// the node cannot write now (a full disk, say) and `detail` says why; the
// request changed nothing and may be sent again once the operator fixed it.
http_response storage_unavailable(std::string_view detail);

// A 200 (or `status`) response with `body` already serialised as JSON.
http_response json_response(std::string body, int status = 200);

// A text/plain; charset=utf-8 response, e.g. "ready\n" for health probes.
http_response text_response(std::string body, int status = 200);

// Delivers a handler's response. Call it once, from any thread; later calls are
// ignored, and a call after the connection closed or the server stopped is a
// no-op. Copies share one state: if every copy is destroyed without a call, the
// client gets a 500 (a handler that drops its responder does not hang a client).
using http_responder = std::function<void(http_response)>;

// A route handler. It runs on one of the server's io threads and must not
// block: answer at once, or hand the request (and the responder) to an actor
// or another thread and return. The request lives only during the call: copy
// what you keep. Exceptions thrown by the handler answer 500.
using http_handler = std::function<void(const http_request&, http_responder)>;

}  // namespace troupe
