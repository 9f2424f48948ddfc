#include "actors/bench/results.hpp"

#include <cctype>
#include <cmath>

#include "actors/bench/statistics.hpp"

namespace troupe::bench {

std::string_view result_format_name(result_format f) {
  switch (f) {
    case result_format::google_benchmark:
      return "google-benchmark";
    case result_format::hyperfine:
      return "hyperfine";
    case result_format::simple:
      return "simple";
    case result_format::troupe_perf:
      return "troupe-perf";
    case result_format::catch2:
      return "catch2";
    case result_format::pytest_benchmark:
      return "pytest-benchmark";
    case result_format::go:
      return "go";
  }
  return "simple";
}

result<result_format> parse_result_format(std::string_view name) {
  for (auto f : {result_format::google_benchmark, result_format::hyperfine,
                 result_format::simple, result_format::troupe_perf, result_format::catch2,
                 result_format::pytest_benchmark, result_format::go}) {
    if (name == result_format_name(f)) return f;
  }
  return status::error("unknown result format \"" + std::string(name) +
                       "\" (expected google-benchmark, hyperfine, simple, troupe-perf, "
                       "catch2, pytest-benchmark or go)");
}

void compute_statistics(benchmark_result& r) {
  summary s = summarize(r.samples);
  r.n = s.n;
  r.mean = s.mean;
  r.median = s.median;
  r.stddev = s.stddev;
  r.min = s.min;
  r.max = s.max;
}

double summary_value(const benchmark_result& r) {
  return std::isfinite(r.median) ? r.median : r.mean;
}

bool unit_higher_is_better(std::string_view unit) {
  std::string lower;
  for (char c : unit)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto ends_with = [&](std::string_view suffix) {
    return lower.size() >= suffix.size() &&
           lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("/s") || ends_with("/sec") || ends_with("/second") ||
         ends_with("per_second") || ends_with("hz");
}

result<suite_results> parse_results(result_format format, std::string_view text,
                                    std::string_view source_name) {
  switch (format) {
    case result_format::google_benchmark:
      return parse_google_benchmark(text, source_name);
    case result_format::hyperfine:
      return parse_hyperfine(text, source_name);
    case result_format::simple:
      return parse_simple(text, source_name);
    case result_format::troupe_perf:
      return parse_troupe_perf(text, source_name);
    case result_format::catch2:
      return parse_catch2(text, source_name);
    case result_format::pytest_benchmark:
      return parse_pytest_benchmark(text, source_name);
    case result_format::go:
      return parse_go(text, source_name);
  }
  return parse_simple(text, source_name);
}

}  // namespace troupe::bench
