// The simulator's state behind kube_api (internal to troupe-kube-sim): the
// objects, counters, rate limit and random source, under one lock, and the
// API operations, which run under that lock and return the answer.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "perf/troupe-kube-sim/delayer.hpp"
#include "perf/troupe-kube-sim/kube_api.hpp"
#include "perf/troupe-kube-sim/object_store.hpp"
#include "perf/troupe-kube-sim/token_bucket.hpp"
#include "runtime/services/http/request.hpp"
#include "runtime/services/http/response.hpp"

namespace troupe::kube_sim {

// One collection, from a request's path parameters.
struct collection_ref {
  std::string path;         // "/api/v1/namespaces/ci/pods"
  std::string resource;     // "pods", or "ephemeralrunners.actions.github.com"
  std::string ns;           // "ci"
  std::string api_version;  // "v1", or "actions.github.com/v1alpha1"
};

struct sim_counters {
  std::uint64_t requests = 0, creates_served = 0, conflicts = 0, throttled = 0,
                server_errors = 0, slow = 0, deletes = 0, invalid = 0,
                quota_rejections = 0, unauthorized = 0, finished = 0;
};

struct kube_api::state {
  state(sim_options options, std::string token);

  const sim_options options;
  const std::string token;
  delayer timers;

  std::mutex mutex;  // guards everything below
  std::mt19937_64 rng;
  token_bucket bucket;
  object_store store;
  sim_counters counts;
  std::uint64_t resource_version = 0;
  std::map<std::string, std::string> kinds;  // collection path → kind of its objects

  // -- under the lock ---------------------------------------------------------

  // Steps 1-3 of kube_api.hpp for one request: the answer that ends it early
  // (401, 429, 5xx), counted, with `delay` set for it; nullopt to go on.
  std::optional<http_response> gate(const http_request& request, bool create,
                                    std::chrono::milliseconds& delay);
  std::chrono::milliseconds latency();
  bool chance(double probability);

  // The API operations; `delay` may be changed (slow successes).
  http_response create(const collection_ref& c, const std::string& body,
                       std::chrono::milliseconds& delay);
  http_response list(const collection_ref& c, const http_request& request);
  http_response get(const collection_ref& c, const std::string& name);
  http_response remove(const collection_ref& c, const std::string& name);

  // Debug endpoints.
  json counts_json() const;
  http_response finish(const std::string& name);
  http_response mark_busy(const std::string& name);
  void reset();
};

}  // namespace troupe::kube_sim
