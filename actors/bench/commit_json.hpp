// commit_json: commits from outside, as JSON. All-or-nothing: the first bad
// value is an error naming its JSON path ("$[2].sha: expected 4-64 hex
// digits"), and nothing of the input is used.
//
//   POST /api/v1/bench/commits body: a list, oldest first (parents before
//   children), of {"sha": "...", "parent": "...", "time": T, "message":
//   "...", "branch": "..."}; or {"commits": [...]} with the same list.
//   sha and branch are required; parent and message default to "", time to
//   0; T is unix seconds or an RFC 3339 string ("2019-05-15T15:19:25Z").
//
//   GitHub push payloads: the pushed commits of the branch named by `ref`
//   (refs/heads/<branch>), with their parents chained from `before`. Tag
//   pushes, branch deletions and pushes without commits are ignored with
//   the reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "messages/bench.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::bench {

result<std::vector<bench_commit>> parse_commit_list(std::string_view body);

struct push_commits {
  std::vector<bench_commit> commits;
  std::string ignored;  // why nothing is taken ("tag push refs/tags/v1"), else ""
};

result<push_commits> commits_of_push(const json& payload);

// POST /api/v1/bench/compare body: {"base": sha, "head": sha, "platforms":
// ["..."] (optional: all), "rounds": N (optional: 10; 2..100)}. Errors name
// the JSON path; unknown fields are errors.
result<bench_compare_request> parse_compare_request(std::string_view body);

// What an intake did, as the API answers it: {"accepted", "duplicates",
// "runs": [ids], "queue_depth"}.
json to_json(const bench_intake& in);

// Unix seconds of an RFC 3339 timestamp ("2019-05-15T15:20:41-04:00").
result<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace troupe::bench
