#include "perf/troupe-kube-sim/kube_status.hpp"

namespace troupe::kube_sim {

http_response status_response(int code, std::string_view reason, std::string_view message,
                              json details) {
  json::object_builder body;
  body.set("kind", "Status");
  body.set("apiVersion", "v1");
  body.set("metadata", json::object());
  body.set("status", "Failure");
  body.set("message", message);
  body.set("reason", reason);
  if (details.is_object()) body.set("details", details);
  body.set("code", code);
  http_response response;
  response.status = code;
  response.body = body.build().dump();
  return response;
}

http_response object_response(const json& object, int code) {
  http_response response;
  response.status = code;
  response.body = object.dump();
  return response;
}

}  // namespace troupe::kube_sim
