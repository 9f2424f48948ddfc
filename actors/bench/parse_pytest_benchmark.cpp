// pytest-benchmark's --benchmark-json report (see results.hpp for what is
// taken from it).
#include <cmath>
#include <string>

#include "actors/bench/results.hpp"
#include "runtime/base/json/json_fields.hpp"

namespace troupe::bench {

namespace {

result<benchmark_result> parse_benchmark(const json_fields& fields, const json& entry,
                                         const json_path& at) {
  if (status s = fields.expect(entry, at, json_type::object); !s) return s;
  benchmark_result r;
  auto fullname = fields.require(entry, at, "fullname", json_type::string);
  if (!fullname) return fullname.error();
  r.name = std::string((*fullname)->as_string());
  r.unit = "s";

  auto stats = fields.require(entry, at, "stats", json_type::object);
  if (!stats) return stats.error();
  json_path stats_path = at.key("stats");
  auto rounds = fields.require(**stats, stats_path, "rounds", json_type::real);
  if (!rounds) return rounds.error();
  double round_count = (*rounds)->as_double();
  if (round_count < 1 || std::floor(round_count) != round_count) {
    return fields.error(stats_path.key("rounds"), "expected a whole number >= 1");
  }

  auto data = fields.optional(**stats, stats_path, "data", json_type::array);
  if (!data) return data.error();
  if (*data != nullptr) {
    json_path data_path = stats_path.key("data");
    std::size_t i = 0;
    for (const json& t : (*data)->items()) {
      auto sample = fields.non_negative(t, data_path.index(i++));
      if (!sample) return sample.error();
      r.samples.push_back(*sample);
    }
    if (static_cast<double>(r.samples.size()) != round_count) {
      return fields.error(
          data_path, std::to_string(r.samples.size()) + " samples, but stats.rounds is " +
                         std::to_string(static_cast<std::size_t>(round_count)));
    }
  }
  r.n = static_cast<std::size_t>(round_count);
  for (auto [key, slot] : {std::pair{"mean", &r.mean}, std::pair{"median", &r.median},
                           std::pair{"stddev", &r.stddev}, std::pair{"min", &r.min},
                           std::pair{"max", &r.max}}) {
    auto value = fields.non_negative(**stats, stats_path, key);
    if (!value) return value.error();
    *slot = *value;
  }
  return r;
}

}  // namespace

result<suite_results> parse_pytest_benchmark(std::string_view text,
                                             std::string_view source_name) {
  json_fields fields(source_name);
  auto doc = json::parse(text, fields.source());
  if (!doc) return doc.error();
  const json_path root;
  if (status s = fields.expect(*doc, root, json_type::object); !s) return s;
  auto list = fields.require(*doc, root, "benchmarks", json_type::array);
  if (!list) return list.error();
  json_path list_path = root.key("benchmarks");
  if ((*list)->empty()) return fields.error(list_path, "no benchmark results");

  suite_results out;
  out.format = result_format::pytest_benchmark;
  std::size_t i = 0;
  for (const json& entry : (*list)->items()) {
    auto r = parse_benchmark(fields, entry, list_path.index(i++));
    if (!r) return r.error();
    out.benchmarks.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace troupe::bench
