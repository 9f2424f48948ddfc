#include "runtime/services/http/response.hpp"

#include "runtime/base/json/json_text.hpp"

namespace troupe {

http_response json_error(int status, std::string_view error, std::string_view detail) {
  http_response response;
  response.status = status;
  response.body = "{\"error\":";
  append_json_quoted(response.body, error);
  response.body += ",\"detail\":";
  append_json_quoted(response.body, detail);
  response.body += "}";
  return response;
}

http_response storage_unavailable(std::string_view detail) {
  http_response response = json_error(507, "storage_unavailable", detail);
  response.headers.emplace_back("Retry-After", "5");
  return response;
}

http_response json_response(std::string body, int status) {
  http_response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

http_response text_response(std::string body, int status) {
  http_response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

}  // namespace troupe
