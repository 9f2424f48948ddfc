#include "actors/fleet/provider_kubernetes.hpp"

#include "runtime/base/json/json_fields.hpp"
#include "runtime/services/config/secret_file.hpp"
#include "runtime/services/http/client.hpp"
#include "runtime/services/http/client_url.hpp"

namespace troupe::fleet {

namespace {

constexpr const char* busy_annotation = "troupe.dev/busy";
constexpr const char* labels_annotation = "troupe.dev/labels";
constexpr std::size_t kMessagePrefix = 300;

transport_error transport_of(http_transport_error e) {
  switch (e) {
    case http_transport_error::none:
      return transport_error::none;
    case http_transport_error::timeout:
      return transport_error::timeout;
    case http_transport_error::connection_refused:
      return transport_error::connection_refused;
    case http_transport_error::connection_reset:
      return transport_error::connection_reset;
    case http_transport_error::dns:
      return transport_error::dns;
    case http_transport_error::tls:
      return transport_error::tls;
    case http_transport_error::other:
      return transport_error::other;
  }
  return transport_error::other;
}

// What the client saw, as a call_report; a Status body fills reason, message
// and details.retryAfterSeconds.
call_report report_of(const http_client_response& response) {
  call_report report;
  report.transport = transport_of(response.error);
  if (!response.ok()) {
    report.status_message = response.error_message;
    return report;
  }
  report.http_status = response.status;
  report.retry_after = response.header("Retry-After").value_or("");
  if (response.status >= 200 && response.status < 300) return report;
  auto body = json::parse(response.body);
  if (body && body->is_object() && (*body)["kind"] == json("Status")) {
    const json& reason = (*body)["reason"];
    const json& message = (*body)["message"];
    const json& seconds = (*body)["details"]["retryAfterSeconds"];
    if (reason.is_string()) report.status_reason = std::string(reason.as_string());
    if (message.is_string()) report.status_message = std::string(message.as_string());
    if (seconds.is_int())
      report.status_retry_after_seconds = static_cast<int>(seconds.as_int());
  } else {
    report.status_message = response.body.substr(0, kMessagePrefix);
  }
  return report;
}

std::string join(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

bool is_busy(const json& item) {
  if (item["metadata"]["annotations"][busy_annotation] == json("true")) return true;
  const json& status = item["status"];
  const json& request_id = status["jobRequestId"];
  if (request_id.is_number() && request_id.as_double() != 0) return true;
  const json& job_id = status["jobId"];
  return job_id.is_string() && !job_id.as_string().empty();
}

}  // namespace

result<runner_list_page> parse_runner_list(std::string_view body) {
  const json_fields fields("list response");
  auto list = json::parse(body, fields.source());
  if (!list) return list.error();
  const json_path root;
  const json& items = (*list)["items"];
  if (auto st = fields.expect(items, root.key("items"), json_type::array); !st) return st;
  runner_list_page page;
  const json& next = (*list)["metadata"]["continue"];
  if (next.is_string()) {
    page.next = std::string(next.as_string());
  } else if (!next.is_null()) {
    return fields.type_error(root.key("metadata").key("continue"), "a string", next);
  }
  auto& out = page.objects;
  out.reserve(items.size());
  std::size_t i = 0;
  for (const json& item : items.items()) {
    const json& name = item["metadata"]["name"];
    if (auto st =
            fields.expect(name, root.key("items").index(i++).key("metadata").key("name"),
                          json_type::string);
        !st)
      return st;
    runner_object object;
    object.name = std::string(name.as_string());
    for (const auto& member : item["metadata"]["labels"].members()) {
      if (member.value.is_string()) {
        object.labels.emplace(std::string(member.key),
                              std::string(member.value.as_string()));
      }
    }
    object.busy = is_busy(item);
    out.push_back(std::move(object));
  }
  return page;
}

result<std::shared_ptr<kubernetes_provider>> kubernetes_provider::make(
    kubernetes_config config, std::shared_ptr<http_client> client) {
  auto url = parse_http_url(config.api_server);
  if (!url) return status::error("kubernetes api-server: " + url.error().message());
  if (url->target != "/") {
    return status::error(
        "kubernetes api-server '" + config.api_server +
        "': give scheme, host and port only; the path goes in resource-path");
  }
  if (config.api_server.back() == '/') config.api_server.pop_back();
  const std::string& path = config.resource_path;
  if (path.empty() || path.front() != '/' || path.back() == '/' ||
      path.find_first_of("?# ") != std::string::npos) {
    return status::error(
        "kubernetes resource-path '" + path +
        "': expected a collection path such as /api/v1/namespaces/ci/pods");
  }
  if (!config.object_template.is_null() && !config.object_template.is_object()) {
    return status::error("kubernetes object template: expected a JSON object (the spec)");
  }
  if (config.request_timeout.count() <= 0) {
    return status::error("kubernetes request timeout must be positive");
  }
  std::string token;
  if (!config.token_file.empty()) {
    auto read = read_secret_file(config.token_file, "token-file");
    if (!read) return read.error();
    token = std::move(*read);
  }
  if (!client) {
    http_client_options options;
    options.threads = std::max(config.client_threads, 1);
    options.max_connections = std::max<std::size_t>(config.max_connections, 1);
    options.ca_file = config.ca_file;
    client = std::make_shared<http_client>(options);
  }
  return std::shared_ptr<kubernetes_provider>(
      new kubernetes_provider(std::move(config), std::move(client), std::move(token)));
}

kubernetes_provider::kubernetes_provider(kubernetes_config config,
                                         std::shared_ptr<http_client> client,
                                         std::string token)
    : config_(std::move(config)),
      client_(std::move(client)),
      authorization_(token.empty() ? std::string() : "Bearer " + token) {}

json kubernetes_provider::object_for(const runner_spec& spec) const {
  json::object_builder labels;
  labels.set(pool_label, spec.pool);
  labels.set(owner_label, spec.owner);
  labels.set(slot_label, std::to_string(spec.slot));
  labels.set(generation_label, std::to_string(spec.generation));
  json::object_builder annotations;
  annotations.set(labels_annotation, join(spec.labels, ','));
  json::object_builder metadata;
  metadata.set("name", spec.name);
  metadata.set("labels", labels.build());
  metadata.set("annotations", annotations.build());
  json::object_builder object;
  object.set("apiVersion", config_.api_version);
  object.set("kind", config_.kind);
  object.set("metadata", metadata.build());
  if (!config_.object_template.is_null()) object.set("spec", config_.object_template);
  return object.build();
}

void kubernetes_provider::create(const runner_spec& spec, call_done done) {
  http_client_request request;
  request.method = "POST";
  request.url = config_.api_server + config_.resource_path;
  request.headers = {{"Accept", "application/json"},
                     {"Content-Type", "application/json"}};
  if (!authorization_.empty())
    request.headers.emplace_back("Authorization", authorization_);
  request.body = object_for(spec).dump();
  request.timeout = config_.request_timeout;
  client_->request(std::move(request), [done = std::move(done)](http_client_response r) {
    done(report_of(r));
  });
}

void kubernetes_provider::remove(const std::string&, const std::string& name,
                                 call_done done) {
  http_client_request request;
  request.method = "DELETE";
  request.url =
      config_.api_server + config_.resource_path + "/" + url_encode_component(name);
  request.headers = {{"Accept", "application/json"}};
  if (!authorization_.empty())
    request.headers.emplace_back("Authorization", authorization_);
  request.timeout = config_.request_timeout;
  client_->request(std::move(request), [done = std::move(done)](http_client_response r) {
    done(report_of(r));
  });
}

namespace {

// A listing in progress: the request of its first page, the objects of the
// pages read so far and the caller's callback. Pages are asked for from the
// previous page's callback, which runs on the client's io thread: the client
// is alive there, and the provider is never touched (it may be going away).
struct list_call {
  http_client* client = nullptr;
  http_client_request first;
  std::vector<runner_object> got;
  kubernetes_provider::list_done done;
};

// Pages of list_page_size objects, as client-go's pager reads them: a pool of
// 20,000 runners is 40 bounded responses, not one body beyond the client's
// limit. A continue token the server no longer knows (410 Gone) fails the
// listing like any error; the pool lists again from the start.
void list_page(std::shared_ptr<list_call> call, const std::string& token) {
  auto request = call->first;
  if (!token.empty()) request.url += "&continue=" + url_encode_component(token);
  call->client->request(std::move(request), [call](http_client_response r) {
    call_report report = report_of(r);
    if (!r.ok() || r.status != 200) return call->done(false, {}, std::move(report));
    auto page = parse_runner_list(r.body);
    if (!page) {
      report.status_message = page.error().message();
      return call->done(false, {}, std::move(report));
    }
    for (auto& o : page->objects) call->got.push_back(std::move(o));
    if (page->next.empty())
      return call->done(true, std::move(call->got), std::move(report));
    list_page(call, page->next);
  });
}

}  // namespace

void kubernetes_provider::list(const std::string& pool, const std::string& owner,
                               list_done done) {
  const std::string selector =
      std::string(pool_label) + "=" + pool + "," + owner_label + "=" + owner;
  auto call = std::make_shared<list_call>();
  call->client = client_.get();
  call->first.url = config_.api_server + config_.resource_path +
                    "?labelSelector=" + url_encode_component(selector) +
                    "&limit=" + std::to_string(list_page_size);
  call->first.headers = {{"Accept", "application/json"}};
  if (!authorization_.empty())
    call->first.headers.emplace_back("Authorization", authorization_);
  call->first.timeout = config_.request_timeout;
  call->done = std::move(done);
  list_page(std::move(call), "");
}

void kubernetes_provider::on_exit(exit_listener listener) {
  listener_ = std::move(listener);
}

}  // namespace troupe::fleet
