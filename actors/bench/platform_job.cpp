#include "actors/bench/platform_job.hpp"

namespace troupe::bench {

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string tail(const std::string& s, std::size_t n) {
  auto t = s.size() > n ? s.substr(s.size() - n) : s;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  return t;
}

std::chrono::milliseconds millis(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

// One command of the platform for `run`, in its workdir, with its env.
process_spec command_spec(const platform_config& p, const bench_settings& settings,
                          const artifact& run, const std::vector<std::string>& argv,
                          std::chrono::nanoseconds timeout) {
  process_spec spec;
  spec.argv = expand_argv(argv, run);
  spec.cwd = p.workdir;
  spec.timeout = millis(timeout);
  spec.max_output_bytes = settings.max_output_bytes;
  spec.env = {{"TROUPE_BENCH_RUN", std::to_string(run.run_id)},
              {"TROUPE_BENCH_COMMIT", run.commit},
              {"TROUPE_BENCH_PLATFORM", run.platform}};
  spec.env.insert(spec.env.end(), p.env.begin(), p.env.end());
  spec.clear_env = p.clear_env;
  spec.host = std::nullopt;  // the platform holds the step's lease itself
  return spec;
}

}  // namespace

std::vector<std::string> expand_argv(const std::vector<std::string>& argv,
                                     const artifact& run) {
  std::vector<std::string> out;
  for (auto arg : argv) {
    arg = replace_all(arg, "{commit}", run.commit);
    arg = replace_all(arg, "{sha}", run.commit);
    arg = replace_all(arg, "{run}", std::to_string(run.run_id));
    arg = replace_all(arg, "{branch}", run.branch);
    arg = replace_all(arg, "{platform}", run.platform);
    out.push_back(std::move(arg));
  }
  return out;
}

job_step build_step(const platform_config& p, const bench_settings& settings,
                    const artifact& run) {
  return {"",
          0,
          "",
          result_format::simple,
          host_use::shared,
          command_spec(p, settings, run, p.build, settings.build_timeout)};
}

job_step suite_step(const platform_config& p, const bench_settings& settings,
                    const artifact& run, const suite_config& s,
                    std::uint32_t repetition) {
  auto timeout = s.timeout.count() > 0 ? s.timeout : settings.suite_timeout;
  job_step step{
      s.name,   repetition,          "",
      s.format, host_use::exclusive, command_spec(p, settings, run, s.argv, timeout)};
  step.spec.cpus = p.cpus;
  return step;
}

std::vector<job_step> plan_job(const platform_config& p, const bench_settings& settings,
                               const artifact& run) {
  std::vector<job_step> steps;
  if (!p.build.empty()) steps.push_back(build_step(p, settings, run));
  for (const auto& s : p.suites)
    for (std::size_t i = 1; i <= s.repetitions; ++i)
      steps.push_back(suite_step(p, settings, run, s, static_cast<std::uint32_t>(i)));
  return steps;
}

step_outcome outcome_of(const job_step& step, const process_result& r) {
  step_outcome out;
  artifact_failure f;
  f.step = step.suite.empty() ? "build" : step.suite;
  f.repetition = step.repetition;
  f.exit_code = r.exit_code;
  auto detail = tail(r.err, 400);
  if (r.spawn_failed) {
    f.kind = "spawn";
    f.message = r.error;
  } else if (r.timed_out) {
    f.kind = "timeout";
    f.message = "timed out after " + std::to_string(millis(r.duration).count()) + " ms";
  } else if (r.cancelled) {
    f.kind = "cancelled";
    f.message = "stopped (node shutting down)";
  } else if (r.term_signal > 0) {
    f.kind = "signal";
    f.message = "killed by signal " + std::to_string(r.term_signal) +
                (detail.empty() ? "" : ": " + detail);
  } else if (r.exit_code != 0 || !r.error.empty()) {
    f.kind = "exit";
    f.message = r.error.empty() ? "exit code " + std::to_string(r.exit_code) +
                                      (detail.empty() ? "" : ": " + detail)
                                : r.error;
  } else if (step.suite.empty()) {
    return out;  // the build succeeded
  } else if (r.out_truncated) {
    f.kind = "parse";
    f.message = "output longer than max-output-bytes";
  } else {
    auto source = step.suite + " (repetition " + std::to_string(step.repetition) + ")";
    auto parsed = parse_results(step.format, r.out, source);
    if (parsed) {
      out.results = std::move(*parsed);
      return out;
    }
    f.kind = "parse";
    f.message = parsed.error().message();
  }
  out.failure = std::move(f);
  return out;
}

bool job_outcome::record(const job_step& step, const process_result& r) {
  auto outcome = outcome_of(step, r);
  if (outcome.failure) {
    artifact_.failures.push_back(std::move(*outcome.failure));
    return !step.suite.empty();
  }
  if (!outcome.results) return true;  // a build
  for (auto& b : outcome.results->benchmarks) {
    auto key = std::make_pair(step.suite, b.name);
    auto [it, fresh] = merged_.emplace(key, b);
    ++parts_[key];
    if (fresh) {
      order_.push_back(key);
      continue;
    }
    auto& m = it->second;
    m.samples.insert(m.samples.end(), b.samples.begin(), b.samples.end());
    if (b.samples.empty() && !b.error) m = b;  // aggregates only: the latest stand
    if (b.error && !m.error) {
      m.error = true;
      m.error_message = b.error_message;
    }
  }
  return true;
}

artifact_failure skipped_failure(const job_step& step) {
  artifact_failure f;
  f.step = step.suite.empty() ? "build" : step.suite;
  f.repetition = step.repetition;
  f.kind = "skipped";
  f.message = "not run: the build failed";
  return f;
}

void job_outcome::skip(const job_step& step) {
  artifact_.failures.push_back(skipped_failure(step));
}

artifact job_outcome::finish(std::int64_t finished_ms) {
  artifact out = artifact_;
  out.finished_ms = finished_ms;
  for (const auto& key : order_) {
    auto r = merged_.at(key);
    if (parts_[key] > 1 && !r.samples.empty()) compute_statistics(r);
    out.results.push_back({key.first, std::move(r)});
  }
  return out;
}

}  // namespace troupe::bench
