#include "perf/troupe-kube-sim/kube_api.hpp"

#include <algorithm>

#include "perf/troupe-kube-sim/kube_state.hpp"
#include "perf/troupe-kube-sim/kube_status.hpp"

namespace troupe::kube_sim {

namespace {

constexpr const char* core_collection = "/api/v1/namespaces/{ns}/{resource}";
constexpr const char* group_collection =
    "/apis/{group}/{version}/namespaces/{ns}/{resource}";

collection_ref collection_of(const http_request& request) {
  collection_ref c;
  c.ns = request.param("ns");
  const std::string& resource = request.param("resource");
  const std::string& group = request.param("group");
  if (group.empty()) {
    c.api_version = "v1";
    c.resource = resource;
  } else {
    c.api_version = group + "/" + request.param("version");
    c.resource = resource + "." + group;
  }
  c.path = (group.empty() ? "/api/" : "/apis/") + c.api_version + "/namespaces/" + c.ns +
           "/" + resource;
  return c;
}

}  // namespace

kube_api::kube_api(sim_options options, std::string token)
    : state_(std::make_unique<state>(std::move(options), std::move(token))) {}

kube_api::~kube_api() = default;

void kube_api::install(http_server& server) {
  state* s = state_.get();
  enum class op { create, list, get, remove };

  // Runs `what` on a collection through the gate and answers after the delay.
  auto api = [s](op what) {
    return [s, what](const http_request& request, http_responder respond) {
      const collection_ref c = collection_of(request);
      const auto& allowed = s->options.resource_paths;
      std::chrono::milliseconds delay{0};
      http_response response;
      {
        std::lock_guard<std::mutex> lock(s->mutex);
        if (auto early = s->gate(request, what == op::create, delay)) {
          response = std::move(*early);
        } else if (!allowed.empty() &&
                   std::find(allowed.begin(), allowed.end(), c.path) == allowed.end()) {
          response = status_response(404, "NotFound",
                                     "the server could not find the requested resource");
        } else if (what == op::create) {
          response = s->create(c, request.body, delay);
        } else if (what == op::list) {
          response = s->list(c, request);
        } else if (what == op::get) {
          response = s->get(c, request.param("name"));
        } else {
          response = s->remove(c, request.param("name"));
        }
      }
      s->timers.after(delay, [respond = std::move(respond),
                              response = std::move(response)] { respond(response); });
    };
  };
  for (const std::string collection : {core_collection, group_collection}) {
    server.route("POST", collection, api(op::create), troupe::http_access::open);
    server.route("GET", collection, api(op::list), troupe::http_access::open);
    server.route("GET", collection + "/{name}", api(op::get), troupe::http_access::open);
    server.route("DELETE", collection + "/{name}", api(op::remove),
                 troupe::http_access::open);
  }

  server.route(
      "GET", "/debug/counts",
      [s](const http_request&, http_responder respond) {
        std::lock_guard<std::mutex> lock(s->mutex);
        respond(object_response(s->counts_json()));
      },
      troupe::http_access::open);
  server.route(
      "POST", "/debug/finish/{name}",
      [s](const http_request& r, http_responder respond) {
        std::lock_guard<std::mutex> lock(s->mutex);
        respond(s->finish(r.param("name")));
      },
      troupe::http_access::open);
  server.route(
      "POST", "/debug/busy/{name}",
      [s](const http_request& r, http_responder respond) {
        std::lock_guard<std::mutex> lock(s->mutex);
        respond(s->mark_busy(r.param("name")));
      },
      troupe::http_access::open);
  server.route(
      "POST", "/debug/reset",
      [s](const http_request&, http_responder respond) {
        std::lock_guard<std::mutex> lock(s->mutex);
        s->reset();
        respond(object_response(s->counts_json()));
      },
      troupe::http_access::open);
}

}  // namespace troupe::kube_sim
