// http_call: the pure part of core.http (action_http.hpp) — its input
// checked and turned into an http_client_request, and a response turned into
// the action's outcome. No I/O, no threads.
//
// Secrets: `secret_headers` name secrets, never hold them:
//   "secret_headers": {"Authorization": {"secret": "github_token", "prefix": "Bearer "}}
// sends "Authorization: Bearer <the secret>", the secret read from the file
// that [workflow.secrets] github_token names. The value exists only in the
// request built here: the stored input holds the name, and every secret sent
// is replaced by "[redacted]" in what comes back (response headers, body,
// error excerpt) before it becomes a result or an error.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "actors/common/action.hpp"
#include "runtime/services/http/client.hpp"

namespace troupe::workflow {

// Secret name -> value ([workflow.secrets], workflow_secrets.hpp).
using http_secrets = std::map<std::string, std::string, std::less<>>;

// Response bodies: 1 MiB unless max_response_bytes says otherwise, never
// more than 64 MiB. Timeout: 30 s unless `timeout` says, at most 3600 s.
inline constexpr std::size_t http_default_response_bytes = 1 << 20;
inline constexpr std::size_t http_max_response_bytes = 64 << 20;

// One call, ready to send.
struct http_call {
  http_client_request request;
  std::vector<int> expected_status;  // empty: any 2xx
  std::string ca_file;               // "" : the system's CA paths
  std::vector<std::string> secrets;  // values sent, to redact in answers
};

// ok() when `input` can be given to core.http; otherwise "unknown input
// field 'x' (fields: ...)" or "field 'headers.X-A': ..." (no JSON path, the
// caller adds it). Unless `rendered`, template strings pass unchecked.
status check_http_input(const json& input, bool rendered);

// The call for a rendered `input`; errors as check_http_input's, plus
// "field 'secret_headers.Authorization': unknown secret 'x' (secrets: ...)".
result<http_call> make_http_call(const json& input, const http_secrets& secrets);

// The outcome of `call` answered by `response`: succeeded with
// {"status", "headers" (lower-case names), "body"} when the status is
// expected; failed with that result and "core.http: GET <url>: status 500,
// expected 2xx: <excerpt>" otherwise; failed with a null result and the
// transport error when no response came.
action_outcome http_outcome(const http_call& call, http_client_response response);

}  // namespace troupe::workflow
