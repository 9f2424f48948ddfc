// Helpers of the bench_parse*_test modules: reading fixtures, results that
// must be ok or errors, and the check that a cut output never parses to less
// than the whole suite.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "actors/bench/results.hpp"
#include "tests/support/process.hpp"

namespace troupe::bench::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << path
                                               << " (are TROUPE_SOURCE_DIR and "
                                                  "TROUPE_SHARED_DIR set?)");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A file of ../shared/fixtures/bench-formats (Google Benchmark, hyperfine).
inline std::string shared_fixture(const std::string& name) {
  return read_file(troupe::testing::shared_dir() + "/fixtures/bench-formats/" + name);
}

// A file of tests/fixtures/bench-formats ("go/normal.txt").
inline std::string fixture(const std::string& path) {
  return read_file(troupe::testing::source_dir() + "/tests/fixtures/bench-formats/" +
                   path);
}

inline suite_results ok(result<suite_results> r) {
  BOOST_TEST_REQUIRE(r.is_ok(), "unexpected error: " << r.error().message());
  return std::move(r).value();
}

inline std::string error_of(result<suite_results> r) {
  BOOST_TEST_REQUIRE(!r.is_ok(), "expected an error");
  return r.error().message();
}

inline const benchmark_result& find(const suite_results& s, const std::string& name) {
  for (const auto& b : s.benchmarks) {
    if (b.name == name) return b;
  }
  BOOST_FAIL("no benchmark " << name);
  return s.benchmarks.front();
}

inline std::vector<std::string> names(const suite_results& s) {
  std::vector<std::string> out;
  for (const auto& b : s.benchmarks) out.push_back(b.name);
  return out;
}

// "<line>:<column>" of byte `offset` of `text`, both from 1 (ASCII text).
inline std::string place(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

inline bool same_number(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

inline void require_same(const suite_results& a, const suite_results& b,
                         const std::string& context) {
  BOOST_TEST_REQUIRE(names(a) == names(b), context);
  for (std::size_t i = 0; i < a.benchmarks.size(); ++i) {
    const auto& x = a.benchmarks[i];
    const auto& y = b.benchmarks[i];
    BOOST_TEST_REQUIRE(
        (x.unit == y.unit && x.n == y.n && x.samples == y.samples && x.error == y.error &&
         x.error_message == y.error_message && same_number(x.mean, y.mean) &&
         same_number(x.median, y.median) && same_number(x.stddev, y.stddev) &&
         same_number(x.min, y.min) && same_number(x.max, y.max)),
        context << ": " << x.name << " differs");
  }
}

// Parses text[0, cut) for every cut in `cuts` (< text.size()): each must be
// an error that starts with "<source>:" or, if the tool's output was already
// complete there, exactly the suite the whole text gives. Returns how many
// cuts parsed.
inline std::size_t check_cuts(result_format format, const std::string& text,
                              const std::string& source,
                              const std::vector<std::size_t>& cuts) {
  suite_results whole = ok(parse_results(format, text, source));
  std::size_t parsed = 0;
  for (std::size_t cut : cuts) {
    auto r = parse_results(format, std::string_view(text).substr(0, cut), source);
    std::string context = source + " cut at byte " + std::to_string(cut);
    if (r.is_ok()) {
      require_same(r.value(), whole, context);
      ++parsed;
    } else {
      BOOST_TEST_REQUIRE(r.error().message().rfind(source + ":", 0) == 0,
                         context << ": " << r.error().message());
    }
  }
  return parsed;
}

// Every cut of `text`.
inline std::vector<std::size_t> every_cut(const std::string& text) {
  std::vector<std::size_t> cuts;
  for (std::size_t cut = 0; cut < text.size(); ++cut) cuts.push_back(cut);
  return cuts;
}

}  // namespace troupe::bench::testing
