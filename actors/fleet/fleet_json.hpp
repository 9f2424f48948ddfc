// JSON views of fleet's messages for the HTTP API and the CLI, and the
// reading of GitHub's workflow_job webhook payload.
#pragma once

#include <vector>

#include "messages/fleet.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::fleet {

json to_json(const pool_status& s);
json to_json(const scale_report& r);
json to_json(const std::vector<pool_event>& events);

// A workflow_job delivery: its action, runner name and job id, and the
// labels the job asks for. Error (naming the place) when $.workflow_job is
// not an object; absent or mistyped fields read as empty.
struct workflow_job_delivery {
  job_event event;
  std::vector<std::string> labels;
};
result<workflow_job_delivery> read_workflow_job(const json& payload);

}  // namespace troupe::fleet
