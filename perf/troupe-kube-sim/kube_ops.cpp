// kube_api::state: the API operations and the fault gate (see kube_api.hpp).
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "perf/troupe-kube-sim/kube_state.hpp"
#include "perf/troupe-kube-sim/kube_status.hpp"

namespace troupe::kube_sim {

namespace {

// A DNS-1123 subdomain, what metadata.name must be for most resources.
bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

std::string now_rfc3339() {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

json name_details(const collection_ref& c, const std::string& name) {
  json::object_builder details;
  details.set("name", name);
  const auto dot = c.resource.find('.');
  if (dot != std::string::npos) details.set("group", c.resource.substr(dot + 1));
  details.set("kind", c.resource.substr(0, dot));
  return details.build();
}

http_response not_found(const collection_ref& c, const std::string& name) {
  return status_response(404, "NotFound", c.resource + " \"" + name + "\" not found",
                         name_details(c, name));
}

}  // namespace

kube_api::state::state(sim_options options_in, std::string token_in)
    : options(std::move(options_in)),
      token(std::move(token_in)),
      timers(options.threads),
      rng(options.seed),
      bucket(options.rate, options.burst, std::chrono::steady_clock::now()) {}

bool kube_api::state::chance(double probability) {
  if (probability <= 0) return false;
  return std::uniform_real_distribution<double>(0, 1)(rng) < probability;
}

std::chrono::milliseconds kube_api::state::latency() {
  const auto base = options.latency.count();
  const auto jitter = options.jitter.count();
  if (jitter == 0) return options.latency;
  std::uniform_int_distribution<long long> spread(-jitter, jitter);
  return std::chrono::milliseconds(std::max<long long>(0, base + spread(rng)));
}

std::optional<http_response> kube_api::state::gate(const http_request& request,
                                                   bool create,
                                                   std::chrono::milliseconds& delay) {
  ++counts.requests;
  delay = std::chrono::milliseconds(0);
  if (!token.empty() &&
      request.header("Authorization").value_or("") != "Bearer " + token) {
    ++counts.unauthorized;
    return status_response(401, "Unauthorized", "Unauthorized");
  }
  if (create || options.scope == rate_scope::all) {
    if (const int wait = bucket.take(std::chrono::steady_clock::now()); wait > 0) {
      ++counts.throttled;
      json::object_builder details;
      details.set("retryAfterSeconds", wait);
      http_response r =
          status_response(429, "TooManyRequests",
                          "Too many requests, please try again later.", details.build());
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
  }
  delay = latency();
  if (chance(options.error_rate)) {
    ++counts.server_errors;
    if (chance(0.5)) {
      return status_response(500, "InternalError",
                             "Internal error occurred: simulated server error");
    }
    return status_response(503, "ServiceUnavailable",
                           "the server is currently unable to "
                           "handle the request (simulated)");
  }
  return std::nullopt;
}

http_response kube_api::state::create(const collection_ref& c, const std::string& body,
                                      std::chrono::milliseconds& delay) {
  auto parsed = json::parse(body, "request body");
  if (!parsed || !parsed->is_object()) {
    ++counts.invalid;
    return status_response(400, "BadRequest",
                           parsed
                               ? "the request body must be a JSON object"
                               : "error decoding the body: " + parsed.error().message());
  }
  json object = *parsed;
  json metadata = object["metadata"].is_object() ? object["metadata"] : json::object();
  const json& name_value = metadata["name"];
  const std::string name =
      name_value.is_string() ? std::string(name_value.as_string()) : std::string();
  const std::string kind =
      object["kind"].is_string() ? std::string(object["kind"].as_string()) : "Object";
  if (name.empty() || !valid_name(name)) {
    ++counts.invalid;
    const std::string why =
        name.empty()
            ? "metadata.name: Required value: name or generateName is required"
            : "metadata.name: Invalid value: \"" + name +
                  "\": a lowercase RFC 1123 subdomain must consist of lower case "
                  "alphanumeric characters, '-' or '.'";
    json::object_builder cause;
    cause.set("reason", name.empty() ? "FieldValueRequired" : "FieldValueInvalid");
    cause.set("message", why);
    cause.set("field", "metadata.name");
    json details =
        name_details(c, name).set("causes", json::array().push_back(cause.build()));
    return status_response(422, "Invalid", kind + " \"" + name + "\" is invalid: " + why,
                           details);
  }
  const std::size_t used = store.count(c.path);
  if (options.quota > 0 && used >= options.quota) {
    ++counts.quota_rejections;
    const std::string what = "count/" + c.resource;
    const std::string limits = std::to_string(options.quota);
    return status_response(403, "Forbidden",
                           c.resource + " \"" + name +
                               "\" is forbidden: exceeded quota: "
                               "troupe-kube-sim, requested: " +
                               what + "=1, used: " + what + "=" + std::to_string(used) +
                               ", limited: " + what + "=" + limits,
                           name_details(c, name));
  }
  if (store.find(c.path, name) != nullptr) {
    ++counts.conflicts;
    return status_response(409, "AlreadyExists",
                           c.resource + " \"" + name + "\" already exists",
                           name_details(c, name));
  }
  std::uniform_int_distribution<std::uint64_t> bits;
  char uid[40];
  const std::uint64_t a = bits(rng), b = bits(rng);
  std::snprintf(uid, sizeof uid, "%08llx-%04llx-4%03llx-8%03llx-%012llx",
                static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xffff),
                static_cast<unsigned long long>(a & 0xfff),
                static_cast<unsigned long long>(b >> 52),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  metadata = metadata.set("namespace", c.ns)
                 .set("uid", uid)
                 .set("resourceVersion", std::to_string(++resource_version))
                 .set("creationTimestamp", now_rfc3339());
  object = object.set("metadata", metadata);
  store.put(c.path, name, object);
  kinds.emplace(c.path, kind);
  ++counts.creates_served;
  if (chance(options.slow_rate)) {
    ++counts.slow;
    delay = options.slow;
  }
  return object_response(object, 201);
}

http_response kube_api::state::list(const collection_ref& c,
                                    const http_request& request) {
  auto selector = parse_label_selector(request.query_param("labelSelector").value_or(""));
  if (!selector) return status_response(400, "BadRequest", selector.error().message());
  // Chunked lists as the API server does them: `limit` caps a page, and
  // metadata.continue (opaque to clients; here the last name sent) asks for
  // the next one.
  std::size_t limit = 0;
  if (auto text = request.query_param("limit")) {
    char* end = nullptr;
    auto n = std::strtoll(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || n < 0)
      return status_response(400, "BadRequest", "limit: not a non-negative integer");
    limit = static_cast<std::size_t>(n);
  }
  auto after = request.query_param("continue").value_or("");
  bool more = false;
  json::array_builder items;
  std::string last;
  for (auto& object : store.select_page(c.path, *selector, after, limit, more)) {
    last = std::string(object["metadata"]["name"].as_string());
    items.push_back(std::move(object));
  }
  auto kind = kinds.find(c.path);
  json::object_builder list;
  list.set("kind", kind == kinds.end() ? "List" : kind->second + "List");
  list.set("apiVersion", c.api_version);
  json::object_builder metadata;
  metadata.set("resourceVersion", std::to_string(resource_version));
  if (more) metadata.set("continue", last);
  list.set("metadata", metadata.build());
  list.set("items", items.build());
  return object_response(list.build());
}

http_response kube_api::state::get(const collection_ref& c, const std::string& name) {
  const json* object = store.find(c.path, name);
  return object != nullptr ? object_response(*object) : not_found(c, name);
}

http_response kube_api::state::remove(const collection_ref& c, const std::string& name) {
  auto removed = store.erase(c.path, name);
  if (!removed) return not_found(c, name);
  ++counts.deletes;
  ++resource_version;
  return object_response(*removed);
}

json kube_api::state::counts_json() const {
  json::object_builder out;
  out.set("objects", store.total());
  out.set("objects_by_pool", store.objects_by_pool());
  out.set("creates_served", counts.creates_served);
  out.set("conflicts", counts.conflicts);
  out.set("throttled", counts.throttled);
  out.set("server_errors", counts.server_errors);
  out.set("slow", counts.slow);
  out.set("deletes", counts.deletes);
  out.set("duplicates", store.duplicates());
  out.set("invalid", counts.invalid);
  out.set("quota_rejections", counts.quota_rejections);
  out.set("unauthorized", counts.unauthorized);
  out.set("finished", counts.finished);
  out.set("requests", counts.requests);
  return out.build();
}

http_response kube_api::state::finish(const std::string& name) {
  auto where = store.locate(name);
  if (!where) return status_response(404, "NotFound", "\"" + name + "\" not found");
  store.erase(*where, name);
  ++counts.finished;
  ++resource_version;
  return object_response(counts_json());
}

http_response kube_api::state::mark_busy(const std::string& name) {
  auto where = store.locate(name);
  if (!where) return status_response(404, "NotFound", "\"" + name + "\" not found");
  json object = *store.find(*where, name);
  json metadata = object["metadata"];
  json annotations =
      metadata["annotations"].is_object() ? metadata["annotations"] : json::object();
  metadata = metadata.set("annotations", annotations.set("troupe.dev/busy", "true"))
                 .set("resourceVersion", std::to_string(++resource_version));
  json status = object["status"].is_object() ? object["status"] : json::object();
  object = object.set("metadata", metadata).set("status", status.set("phase", "Running"));
  store.put(*where, name, object);
  return object_response(object);
}

void kube_api::state::reset() {
  store.clear();
  kinds.clear();
  counts = sim_counters{};
  bucket.reset(std::chrono::steady_clock::now());
}

}  // namespace troupe::kube_sim
