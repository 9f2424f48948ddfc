// core.http: an HTTP(S) request through troupe's asynchronous http_client.
//
// Input (http_call.hpp checks it; WORKFLOWS.md documents it):
//   method "GET" (default) | HEAD | POST | PUT | PATCH | DELETE | OPTIONS
//   url "http://..." or "https://..."        headers {"Name": "value"}
//   secret_headers {"Name": {"secret": "<[workflow.secrets] name>", "prefix": "Bearer "}}
//   body: a string is sent as text/plain, any other JSON value as
//         application/json (a Content-Type in headers wins)
//   timeout seconds (30)   expected_status [codes] (any 2xx)
//   max_response_bytes (1 MiB, at most 64 MiB)   ca_file (PEM; else the system's CAs)
// Result: {"status", "headers" (lower-case names), "body"}; the body is the
// parsed JSON when the response says it is JSON, the text otherwise. An
// unexpected status fails with the result kept; a body over the limit, a
// timeout, a refused connection or a TLS failure fail with that error.
// Certificates are always verified (there is no option to turn that off;
// give the server's CA in ca_file).
//
// The call runs on the client's io thread: run() only starts it, and the
// client's callback reports the outcome, so no actor thread waits. cancel()
// (the task's timeout, a cancelled execution) cannot stop a request the
// client has started: it runs to its own `timeout` at the latest and its
// answer is ignored by the engine.
//
// One client per ca_file (the system's CAs being one), made at its first
// use (reading that small PEM file on the calling runner, once) and kept
// while the action lives; at most 8 CA files per node, so that
// templated ca_file values cannot grow threads without bound.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "actors/workflow/http_call.hpp"

namespace troupe::workflow {

class http_action final : public action {
 public:
  // `secrets`: what secret_headers may name (the node's [workflow.secrets]).
  explicit http_action(http_secrets secrets = {});
  ~http_action() override;

  status check_input(const json& input) const override;
  void run(const action_call& call, const action_env& env, action_done done) override;

 private:
  // The client for `ca_file`, or nullptr past the limit of CA files.
  http_client* client_for(const std::string& ca_file);

  const http_secrets secrets_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<http_client>> clients_;
};

}  // namespace troupe::workflow
