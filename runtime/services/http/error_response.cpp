#include "runtime/services/http/error_response.hpp"

#include <caf/actor_system.hpp>
#include <string>

#include "messages/errors.hpp"

namespace troupe {

namespace {

http_response with_retry_after(http_response r, const char* seconds) {
  r.headers.emplace_back("Retry-After", seconds);
  return r;
}

}  // namespace

http_response error_response(const caf::actor_system& sys, const caf::error& err) {
  auto detail = error_context(err);
  if (detail.empty()) detail = sys.render(err);
  if (is(err, errc::invalid_argument)) return json_error(422, "invalid", detail);
  if (is(err, errc::conflict)) return json_error(409, "conflict", detail);
  if (is(err, errc::not_found)) return json_error(404, "not_found", detail);
  if (is(err, errc::not_a_member)) return json_error(403, "not_a_member", detail);
  if (is(err, errc::queue_full))
    return with_retry_after(json_error(429, "queue_full", detail), "5");
  if (is(err, errc::storage_unavailable)) return storage_unavailable(detail);
  return with_retry_after(json_error(503, "unavailable", detail), "1");
}

http_response starting_response(std::string_view what) {
  return with_retry_after(json_error(503, "starting", std::string(what) + " is starting"),
                          "1");
}

result<std::optional<std::uint64_t>> since_param(const http_request& req) {
  auto since = req.query_param("since");
  if (!since) return std::optional<std::uint64_t>{};
  char* end = nullptr;
  auto v = std::strtoull(since->c_str(), &end, 10);
  if (since->empty() || *end != '\0' || (*since)[0] == '-')
    return status::error("since must be a version number");
  return std::optional<std::uint64_t>{v};
}

}  // namespace troupe
