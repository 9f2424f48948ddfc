// The HTTP edge's one table from troupe's error codes (messages/errors.hpp)
// to answers. Every route answers an actor's error through error_response(),
// so one code means one status everywhere. The body is {"error":
// "<code>","detail":"<sentence>"}:
//
//   errc                  status  error                 Retry-After (s)
//   invalid_argument       422    invalid
//   conflict               409    conflict
//   not_found              404    not_found
//   not_a_member           403    not_a_member
//   queue_full             429    queue_full            5
//   storage_unavailable    507    storage_unavailable   5
//   anything else          503    unavailable           1
//
// "Anything else" is shutting_down, supervisor_gave_up and CAF's own errors
// (a request timeout, an actor that ended while asked): the node is
// (re)starting a part, so the same request may succeed later.
//
// Malformed requests are refused before any actor is asked, with 400 and
// error "bad_json" (the body is not JSON) or "bad_request" (a missing or
// wrong field or query parameter), through json_error().
#pragma once

#include <caf/error.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/base/status.hpp"
#include "runtime/services/http/request.hpp"
#include "runtime/services/http/response.hpp"

namespace caf {
class actor_system;
}

namespace troupe {

// The answer to `err` by the table above. The detail is the error's context
// (what make_error was given) or, for errors without one, CAF's rendering.
http_response error_response(const caf::actor_system& sys, const caf::error& err);

// 503 "starting" with Retry-After 1: `what` ("bench", "pool 'linux'", "the
// workflow engine") exists but its actor is (re)starting.
http_response starting_response(std::string_view what);

// The `since` query parameter of a long poll (GET .../{x}?since=V: answered
// once the version of x passes V): nullopt when the request has none; an
// error naming the parameter when it is not a version number.
result<std::optional<std::uint64_t>> since_param(const http_request& req);

}  // namespace troupe
