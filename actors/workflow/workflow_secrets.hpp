// workflow_secrets: the [workflow.secrets] section of a node's INI — named
// secret files that core.http's secret_headers refer to by name:
//
//   [workflow.secrets]
//   github_token="/etc/troupe/github-token"   ; one secret per file, one line
//
// Names are 1-64 letters, digits, '_' or '-'. Each file is read once, at
// start-up, by the one secret-file reader (runtime/services/config/secret_file.hpp);
// a secret must have at least 8 characters, so that redacting it from
// responses (http_call.hpp) never rewrites ordinary text. Errors name
// file:line and the key, never the secret. Blocking (small file reads):
// call from the subsystem's check(), not from an actor.
#pragma once

#include "actors/workflow/http_call.hpp"
#include "runtime/services/config/node_config.hpp"

namespace troupe::workflow {

// Declares workflow.secrets as a section of user-named entries.
void declare_workflow_secrets(node_config& cfg);

// Every secret [workflow.secrets] names, read from its file.
result<http_secrets> read_workflow_secrets(const node_config& cfg);

}  // namespace troupe::workflow
