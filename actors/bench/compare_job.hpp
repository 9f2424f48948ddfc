// compare_job: an A/B comparison as a platform runs it, and its analysis.
//
// plan_compare gives a platform's commands for a comparison of `head` with
// `base`: `rounds` rounds in ABBA order (A B, B A, A B, ...), each side
// measured by every suite once per round, so that the two sides of a round
// are measured back to back and drift hits both alike. The build runs each
// time the side changes (A | B B | A A | B ...: rounds + 1 builds), so a
// platform's build must check out and build the commit it is given, as for
// runs; a build that caches by content makes this cheap.
//
// compare_outcome folds how each command ended into the platform's document:
//
//   {"platform": p, "base": A, "head": B, "rounds": N,
//    "benchmarks": {"<suite>/<name>": {"unit": u, "base": [v, ...], "head": [v, ...]}},
//    "failures": [ failure objects of docs/bench.md ]}
//
// where base[i] and head[i] are round i's values (the median of that
// measurement's samples, or its one value; null where it failed).
//
// analyse_compare turns the documents of a comparison's platforms into its
// result: per platform and benchmark compare_rounds (compare.hpp) with the
// unit's direction, and the platform's failures.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "actors/bench/compare.hpp"
#include "actors/bench/platform_job.hpp"
#include "messages/bench.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::bench {

// `header`: run_id = the comparison's id, platform, commit = head.
std::vector<job_step> plan_compare(const platform_config& p,
                                   const bench_settings& settings, const artifact& header,
                                   const std::string& base, std::uint32_t rounds);

class compare_outcome {
 public:
  compare_outcome(std::string platform, std::string base, std::string head,
                  std::uint32_t rounds)
      : platform_(std::move(platform)),
        base_(std::move(base)),
        head_(std::move(head)),
        rounds_(rounds) {}

  // Records how `step` ended. False when the job must stop (a failed build).
  bool record(const job_step& step, const process_result& r);
  void skip(const job_step& step);
  json finish() const;

 private:
  struct series {
    std::string unit;
    std::vector<double> base, head;  // NaN: no value for that round
  };
  std::string platform_, base_, head_;
  std::uint32_t rounds_;
  std::map<std::string, series> benchmarks_;
  std::vector<artifact_failure> failures_;
};

// The result of a comparison from its platforms' documents: {"platforms":
// {p: {"benchmarks": {name: {"unit", "rounds", "base", "head", "change",
// "low", "high", "significant", "verdict", "noise"}}, "failures": [...]}}}.
// A document that cannot be read is listed as the platform's one failure.
json analyse_compare(const std::vector<bench_compare_result>& results,
                     const compare_options& options);

}  // namespace troupe::bench
