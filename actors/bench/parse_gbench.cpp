// Google Benchmark JSON (see results.hpp for what is taken from it).
#include <cmath>
#include <limits>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "actors/bench/results.hpp"
#include "runtime/base/json/json_fields.hpp"

namespace troupe::bench {

namespace {

// One benchmark being assembled from its iteration and aggregate entries.
struct group {
  benchmark_result result;
  std::optional<double> mean, median, stddev;  // from aggregates
  std::size_t repetitions = 0;                 // from aggregates
};

class gbench_parser {
 public:
  explicit gbench_parser(std::string_view source) : fields_(source) {}

  result<suite_results> parse(std::string_view text) {
    auto doc = json::parse(text, fields_.source());
    if (!doc) return doc.error();
    const json_path root;
    if (status s = fields_.expect(*doc, root, json_type::object); !s) return s;
    auto list = fields_.require(*doc, root, "benchmarks", json_type::array);
    if (!list) return list.error();
    json_path list_path = root.key("benchmarks");
    std::size_t i = 0;
    for (const json& entry : (*list)->items()) {
      if (status s = add_entry(entry, list_path.index(i)); !s) return s;
      ++i;
    }
    if (groups_.empty()) return fields_.error(list_path, "no benchmark results");
    suite_results out;
    out.format = result_format::google_benchmark;
    for (group& g : groups_) out.benchmarks.push_back(finish(std::move(g)));
    return out;
  }

 private:
  status add_entry(const json& entry, const json_path& at) {
    if (status s = fields_.expect(entry, at, json_type::object); !s) return s;
    auto name = fields_.require(entry, at, "name", json_type::string);
    if (!name) return name.error();
    auto run_type = fields_.optional(entry, at, "run_type", json_type::string);
    if (!run_type) return run_type.error();
    bool aggregate = false;
    if (*run_type != nullptr) {
      std::string_view type = (*run_type)->as_string();
      if (type != "iteration" && type != "aggregate") {
        return fields_.error(at.key("run_type"),
                             "expected \"iteration\" or \"aggregate\", found \"" +
                                 std::string(type) + "\"");
      }
      aggregate = type == "aggregate";
    }
    std::string aggregate_name;
    if (aggregate) {
      auto agg = fields_.require(entry, at, "aggregate_name", json_type::string);
      if (!agg) return agg.error();
      aggregate_name = std::string((*agg)->as_string());
    }
    auto run_name = fields_.optional(entry, at, "run_name", json_type::string);
    if (!run_name) return run_name.error();
    std::string key = *run_name != nullptr
                          ? std::string((*run_name)->as_string())
                          : base_name((*name)->as_string(), aggregate_name);

    // Failures and skips are recorded on the benchmark and give no sample.
    for (auto [flag, message, prefix] :
         {std::tuple{"error_occurred", "error_message", ""},
          std::tuple{"skipped", "skip_message", "skipped: "}}) {
      auto set = fields_.optional(entry, at, flag, json_type::boolean);
      if (!set) return set.error();
      if (*set == nullptr || !(*set)->as_bool()) continue;
      auto text = fields_.optional(entry, at, message, json_type::string);
      if (!text) return text.error();
      group& g = find_or_add(key);
      if (!g.result.error) {
        g.result.error = true;
        g.result.error_message = prefix + (*text ? std::string((*text)->as_string())
                                                 : std::string("(no message)"));
      }
      return status::ok();
    }

    if (aggregate) return add_aggregate(entry, at, key, aggregate_name);
    auto value = fields_.non_negative(entry, at, "real_time");
    if (!value) return value.error();
    group& g = find_or_add(key);
    if (status s = check_unit(entry, at, g); !s) return s;
    g.result.samples.push_back(*value);
    return status::ok();
  }

  status add_aggregate(const json& entry, const json_path& at, const std::string& key,
                       const std::string& aggregate_name) {
    auto unit = fields_.optional(entry, at, "aggregate_unit", json_type::string);
    if (!unit) return unit.error();
    bool time_unit = *unit == nullptr || (*unit)->as_string() == "time";
    bool wanted = aggregate_name == "mean" || aggregate_name == "median" ||
                  aggregate_name == "stddev";
    if (!time_unit || !wanted) return status::ok();
    auto value = fields_.non_negative(entry, at, "real_time");
    if (!value) return value.error();
    auto repetitions = fields_.optional(entry, at, "repetitions", json_type::real);
    if (!repetitions) return repetitions.error();
    group& g = find_or_add(key);
    if (status s = check_unit(entry, at, g); !s) return s;
    if (*repetitions != nullptr && (*repetitions)->as_double() > 0) {
      g.repetitions = static_cast<std::size_t>((*repetitions)->as_double());
    }
    (aggregate_name == "mean"     ? g.mean
     : aggregate_name == "median" ? g.median
                                  : g.stddev) = *value;
    return status::ok();
  }

  // Every timed entry of one benchmark must use the same time_unit.
  status check_unit(const json& entry, const json_path& at, group& g) {
    auto unit = fields_.require(entry, at, "time_unit", json_type::string);
    if (!unit) return unit.error();
    std::string_view text = (*unit)->as_string();
    if (text.empty())
      return fields_.error(at.key("time_unit"), "expected a unit, found \"\"");
    if (g.result.unit.empty()) {
      g.result.unit = std::string(text);
    } else if (g.result.unit != text) {
      return fields_.error(at.key("time_unit"), "unit \"" + std::string(text) +
                                                    "\" differs from \"" + g.result.unit +
                                                    "\" of earlier entries of " +
                                                    g.result.name);
    }
    return status::ok();
  }

  // Output without run_name (old versions): "BM_x_mean" → "BM_x".
  static std::string base_name(std::string_view name, const std::string& aggregate_name) {
    std::string suffix = "_" + aggregate_name;
    if (!aggregate_name.empty() && name.size() > suffix.size() &&
        name.substr(name.size() - suffix.size()) == suffix) {
      name.remove_suffix(suffix.size());
    }
    return std::string(name);
  }

  group& find_or_add(const std::string& key) {
    auto [it, added] = index_.try_emplace(key, groups_.size());
    if (added) {
      groups_.emplace_back();
      groups_.back().result.name = key;
    }
    return groups_[it->second];
  }

  static benchmark_result finish(group g) {
    benchmark_result& r = g.result;
    if (!r.samples.empty()) {
      compute_statistics(r);
    } else if (g.mean || g.median || g.stddev) {
      constexpr double unknown = std::numeric_limits<double>::quiet_NaN();
      r.n = g.repetitions;
      r.mean = r.median = r.stddev = r.min = r.max = unknown;
    }
    if (g.mean) r.mean = *g.mean;
    if (g.median) r.median = *g.median;
    if (g.stddev) r.stddev = *g.stddev;
    return std::move(g.result);
  }

  json_fields fields_;
  std::vector<group> groups_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

result<suite_results> parse_google_benchmark(std::string_view text,
                                             std::string_view source_name) {
  return gbench_parser(source_name).parse(text);
}

}  // namespace troupe::bench
