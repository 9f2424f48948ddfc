// libFuzzer target for GitHub webhook payloads: arbitrary bytes parsed as
// JSON (as POST /webhooks/github does after the signature check) and read
// as a push (bench: the commits it brings) and as a workflow_job (fleet: the
// action, runner and labels). Any crash, sanitizer report or timeout is a
// bug: every payload must give its commits or job, or an error naming the
// place.
//
// Built by tests/fuzz/CMakeLists.txt and run by tests/fuzz/run_fuzz.sh (the
// CTest test webhook_fuzz); seeds: GitHub's real payloads in
// ../shared/fixtures (copied into tests/fuzz/corpus/webhook).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "actors/bench/commit_json.hpp"
#include "actors/fleet/fleet_json.hpp"
#include "runtime/base/json/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto payload = troupe::json::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), "payload");
  if (!payload || !payload->is_object()) return 0;
  (void)troupe::bench::commits_of_push(*payload);
  (void)troupe::fleet::read_workflow_job(*payload);
  return 0;
}
