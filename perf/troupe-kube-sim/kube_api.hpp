// kube_api: the Kubernetes API subset troupe's kubernetes provider uses, with
// injected latency and faults, installed as routes on an http_server.
//
// Collections: /api/v1/namespaces/{ns}/{resource} and
// /apis/{group}/{version}/namespaces/{ns}/{resource} (any names; with
// --resource-path only the given ones, others answer 404 NotFound).
//
//   POST   {collection}          create → 201 + the object, with
//                                metadata.namespace, uid, resourceVersion and
//                                creationTimestamp set
//   GET    {collection}          list → 200 {"kind":"<Kind>List","items":[...]},
//                                ?labelSelector= equality-based (label_selector.hpp)
//   GET    {collection}/{name}   → 200 + the object, or 404 NotFound
//   DELETE {collection}/{name}   → 200 + the object, or 404 NotFound
//
// What happens to a request, in order (as in kube-apiserver: authentication,
// priority and fairness, then the handler, whose create path runs validation,
// then ResourceQuota admission, then the storage write):
//   1. no or a wrong bearer token (with --token-file)    → 401 Unauthorized, at once
//   2. the token bucket (creates, or all requests with --rate-scope=all) is
//      empty → 429 TooManyRequests at once, Retry-After: the whole seconds
//      until the next token (>= 1), also as details.retryAfterSeconds
//   3. with probability error-rate → 500 InternalError or 503
//      ServiceUnavailable (half each); nothing changes
//   4. create: body not a JSON object → 400 BadRequest; metadata.name missing
//      or not a DNS-1123 subdomain → 422 Invalid; the collection holds quota
//      objects → 403 Forbidden "exceeded quota"; the name exists → 409
//      AlreadyExists; else the object is stored at once (it exists from now
//      on, whatever happens to the answer) and, with probability slow-rate,
//      answered after slow-ms instead of the latency ("slow success")
//   5. every answer but 401 and 429 is sent after latency ± jitter (uniform),
//      on timer threads: waiting answers hold no thread
//
// Debug endpoints (no token, no faults, no latency):
//   GET  /debug/counts         {"objects", "objects_by_pool", "creates_served"
//                              (201s), "conflicts" (409s), "throttled" (429s),
//                              "server_errors", "slow", "deletes" (API deletes
//                              that found the object), "duplicates"
//                              (object_store.hpp), "invalid", "quota_rejections",
//                              "unauthorized", "finished", "requests"}
//   POST /debug/finish/{name}  deletes the object as if its runner finished (404 if none)
//   POST /debug/busy/{name}    marks it running a job: annotation
//                              troupe.dev/busy=true, status.phase=Running
//   POST /debug/reset          forgets all objects and counters, refills the bucket
#pragma once

#include <memory>
#include <string>

#include "perf/troupe-kube-sim/sim_options.hpp"
#include "runtime/services/http/server.hpp"

namespace troupe::kube_sim {

class kube_api {
 public:
  // `token`: the bearer token required on API routes; empty = none.
  kube_api(sim_options options, std::string token);
  ~kube_api();

  // Adds every route to `server` (before it starts). The api must outlive
  // the server's handlers (stop the server first).
  void install(http_server& server);

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace troupe::kube_sim
