// provider_kubernetes: a runner is an object in a Kubernetes API server (a
// Pod, or a custom resource such as actions-runner-controller's
// EphemeralRunner), made through the API's wire format with troupe's
// asynchronous http_client (runtime/services/http/client.hpp): every call of every
// pool shares a few io threads and a keep-alive connection pool.
//
// Wire format (resource_path e.g. "/api/v1/namespaces/ci/pods" or
// "/apis/actions.github.com/v1alpha1/namespaces/ci/ephemeralrunners"):
//
//   create  POST   {resource_path}                      → 201 + the object
//           body {"apiVersion": api_version, "kind": kind,
//                 "metadata": {"name": <runner name>,
//                              "labels": {"troupe.dev/pool": pool,
//                                         "troupe.dev/owner": owner,
//                                         "troupe.dev/slot": "<slot>",
//                                         "troupe.dev/generation": "<gen>"},
//                              "annotations": {"troupe.dev/labels":
//                                              "<runner labels, comma-separated>"}},
//                 "spec": <object_template>}            (no spec when it is null)
//   remove  DELETE {resource_path}/{name}               → 200 (or 202); 404 if absent
//   list    GET    {resource_path}?labelSelector=troupe.dev/pool=P,troupe.dev/owner=O
//                                                       → 200 + {"kind": "...List",
//                                                                "items": [...]}
//
// Runner labels go to an annotation: label values allow neither commas nor
// more than 63 characters. Names are the runner names as they are; a name that
// is not a DNS-1123 subdomain gets the server's 422 Invalid.
//
// Every request carries "Authorization: Bearer <token>" when a token file is
// configured (read once, by make(): a rotated token needs a new provider) and
// "Accept: application/json". https api servers are verified against
// ca_file (or the system CAs when it is empty).
//
// Results (classify.hpp's call_report): transport errors map one to one; HTTP
// answers carry the status, the Retry-After header verbatim, and from a
// Kubernetes Status body (kind "Status") its reason (AlreadyExists, Invalid,
// Forbidden, NotFound, TooManyRequests, ...), message and
// details.retryAfterSeconds. A body that is not a Status leaves the reason
// empty and puts the start of the body in the message.
//
// busy (list): an object is running a job when its annotation
// "troupe.dev/busy" is "true" (set by whoever knows: a runner hook, or the
// simulator), or, for EphemeralRunners, when actions-runner-controller has
// recorded a job in status.jobRequestId (non-zero) or status.jobId
// (non-empty). status.phase "Running" alone means the runner is up, not that
// it has a job.
//
// Runners end by being deleted outside troupe (an ephemeral runner's pod or
// EphemeralRunner goes away after its one job). This provider does not watch
// the API, so it never calls the exit listener: the pool learns of
// completions from GitHub's workflow_job webhooks and reconciles by listing
// (at start, and whenever it lists).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "actors/fleet/provider.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe {
class http_client;
}

namespace troupe::fleet {

struct kubernetes_config {
  std::string api_server;     // "http://127.0.0.1:8001" or "https://kube.example:6443"
  std::string resource_path;  // the collection, e.g. "/api/v1/namespaces/ci/pods"
  std::string api_version = "v1";
  std::string kind = "Pod";
  std::string token_file;  // bearer token; empty = no Authorization header
  std::string ca_file;     // PEM CA bundle for https; empty = the system's CAs
  std::chrono::milliseconds request_timeout{30000};  // per call, see http_client
  json object_template;  // the created object's "spec"; null = none
  // The http_client's settings when make() creates one.
  int client_threads = 1;
  std::size_t max_connections = 1024;
};

class kubernetes_provider : public runner_provider {
 public:
  // Checks the config (URL, resource path, template is an object or null)
  // and reads the token file. Uses `client` when given (shared by several
  // providers; its ca_file must suit the api server), else creates its own
  // from the config. The provider must not be destroyed from inside one of
  // its callbacks (that would join the client's io threads from one of them).
  static result<std::shared_ptr<kubernetes_provider>> make(
      kubernetes_config config, std::shared_ptr<http_client> client = nullptr);

  void create(const runner_spec& spec, call_done done) override;
  void remove(const std::string& pool, const std::string& name, call_done done) override;
  void list(const std::string& pool, const std::string& owner, list_done done) override;
  // Kept, never called (see above).
  void on_exit(exit_listener listener) override;

  // The object create() posts for `spec`.
  json object_for(const runner_spec& spec) const;
  // The client's counters (connections opened and reused ...).
  http_client& client() { return *client_; }

 private:
  kubernetes_provider(kubernetes_config config, std::shared_ptr<http_client> client,
                      std::string token);

  const kubernetes_config config_;
  std::shared_ptr<http_client> client_;
  const std::string authorization_;  // "Bearer ...", or empty
  exit_listener listener_;
};

// Objects per page when the provider lists a pool (client-go's pager uses
// the same): `limit` and `continue`, Kubernetes' chunked lists.
constexpr std::size_t list_page_size = 500;

// One page of a Kubernetes List: its runner objects (see "busy" above) and
// metadata.continue, the token that asks for the next page ("" on the last).
struct runner_list_page {
  std::vector<runner_object> objects;
  std::string next;
};

// Reads a Kubernetes List body. Errors name the JSON path that is wrong.
result<runner_list_page> parse_runner_list(std::string_view body);

}  // namespace troupe::fleet
