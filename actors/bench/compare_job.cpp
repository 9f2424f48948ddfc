#include "actors/bench/compare_job.hpp"

#include <cmath>

#include "actors/bench/statistics.hpp"

namespace troupe::bench {

namespace {

json failure_json(const artifact_failure& f) {
  return json::object()
      .set("step", f.step)
      .set("repetition", f.repetition)
      .set("kind", f.kind)
      .set("exit_code", f.exit_code)
      .set("message", f.message);
}

// NaN (a round without a value) is written as null.
json values_json(const std::vector<double>& values) {
  json::array_builder a(values.size());
  for (double v : values) a.push_back(v);
  return a.build();
}

std::vector<double> values_of(const json& array) {
  std::vector<double> out;
  for (auto& v : array.items())
    out.push_back(v.is_number() ? v.as_double() : std::nan(""));
  return out;
}

}  // namespace

std::vector<job_step> plan_compare(const platform_config& p,
                                   const bench_settings& settings, const artifact& header,
                                   const std::string& base, std::uint32_t rounds) {
  std::vector<job_step> steps;
  std::string built;
  for (std::uint32_t round = 1; round <= rounds; ++round) {
    // ABBA: odd rounds measure base first, even rounds head first.
    for (auto side : round % 2 == 1 ? std::vector<std::string>{"base", "head"}
                                    : std::vector<std::string>{"head", "base"}) {
      artifact run = header;
      run.commit = side == "base" ? base : header.commit;
      if (!p.build.empty() && built != side) {
        auto b = build_step(p, settings, run);
        b.side = side;
        b.repetition = round;
        steps.push_back(std::move(b));
        built = side;
      }
      for (const auto& s : p.suites) {
        auto step = suite_step(p, settings, run, s, round);
        step.side = side;
        steps.push_back(std::move(step));
      }
    }
  }
  return steps;
}

bool compare_outcome::record(const job_step& step, const process_result& r) {
  auto outcome = outcome_of(step, r);
  if (outcome.failure) {
    outcome.failure->step =
        (step.side.empty() ? "" : step.side + " ") + outcome.failure->step;
    failures_.push_back(std::move(*outcome.failure));
    return !step.suite.empty();
  }
  if (!outcome.results) return true;  // a build
  for (auto& b : outcome.results->benchmarks) {
    auto& s = benchmarks_[benchmark_key(step.suite, b.name)];
    if (s.base.empty()) {
      s.base.assign(rounds_, std::nan(""));
      s.head.assign(rounds_, std::nan(""));
      s.unit = b.unit;
    }
    double value = b.samples.empty() ? summary_value(b) : median(b.samples);
    if (b.error || step.repetition < 1 || step.repetition > rounds_) continue;
    (step.side == "base" ? s.base : s.head)[step.repetition - 1] = value;
  }
  return true;
}

void compare_outcome::skip(const job_step& step) {
  auto f = skipped_failure(step);
  f.step = step.side + " " + f.step;
  failures_.push_back(std::move(f));
}

json compare_outcome::finish() const {
  json::object_builder benchmarks;
  for (auto& [name, s] : benchmarks_)
    benchmarks.set(name, json::object()
                             .set("unit", s.unit)
                             .set("base", values_json(s.base))
                             .set("head", values_json(s.head)));
  json::array_builder failures;
  for (auto& f : failures_) failures.push_back(failure_json(f));
  return json::object()
      .set("platform", platform_)
      .set("base", base_)
      .set("head", head_)
      .set("rounds", rounds_)
      .set("benchmarks", benchmarks.build())
      .set("failures", failures.build());
}

json analyse_compare(const std::vector<bench_compare_result>& results,
                     const compare_options& options) {
  json::object_builder platforms;
  for (auto& r : results) {
    auto doc = json::parse(r.document,
                           "comparison " + std::to_string(r.id) + " from " + r.platform);
    json::object_builder benchmarks;
    json::array_builder failures;
    if (!doc || !doc->is_object() || !(*doc)["benchmarks"].is_object()) {
      failures.push_back(
          json::object()
              .set("step", "document")
              .set("kind", "invalid")
              .set("message", doc ? std::string("not a comparison document")
                                  : doc.error().message()));
    } else {
      for (auto m : (*doc)["benchmarks"].members()) {
        auto opts = options;
        auto unit =
            m.value["unit"].is_string() ? std::string(m.value["unit"].as_string()) : "";
        opts.higher_is_better = unit_higher_is_better(unit);
        auto c =
            compare_rounds(values_of(m.value["base"]), values_of(m.value["head"]), opts);
        benchmarks.set(std::string(m.key),
                       json::object()
                           .set("unit", unit)
                           .set("rounds", c.rounds)
                           .set("base", c.base)
                           .set("head", c.head)
                           .set("change", c.change)
                           .set("low", c.low)  // infinite (null) below 2 rounds
                           .set("high", c.high)
                           .set("significant", c.significant)
                           .set("verdict", std::string(verdict_name(c.kind)))
                           .set("noise", c.noise));
      }
      for (auto& f : (*doc)["failures"].items()) failures.push_back(f);
    }
    platforms.set(r.platform, json::object()
                                  .set("benchmarks", benchmarks.build())
                                  .set("failures", failures.build()));
  }
  return json::object().set("platforms", platforms.build());
}

}  // namespace troupe::bench
