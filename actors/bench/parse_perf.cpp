// parse_troupe_perf (results.hpp): the last JSON line of a perf/ program.
#include "actors/bench/results.hpp"
#include "runtime/base/json/json_fields.hpp"

namespace troupe::bench {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string unit_of(std::string_view field) {
  if (ends_with(field, "_per_s") || ends_with(field, "_per_second")) return "1/s";
  if (ends_with(field, "_per_hour")) return "1/h";
  if (ends_with(field, "_seconds") || ends_with(field, "_s")) return "s";
  if (ends_with(field, "_ms")) return "ms";
  return "value";
}

}  // namespace

result<suite_results> parse_troupe_perf(std::string_view text,
                                        std::string_view source_name) {
  json_fields fields(source_name);
  auto end = text.find_last_not_of("\r\n");
  if (end == std::string_view::npos) return fields.error(json_path(), "no output");
  auto begin = text.rfind('\n', end);
  auto line = text.substr(begin == std::string_view::npos ? 0 : begin + 1,
                          end + 1 - (begin == std::string_view::npos ? 0 : begin + 1));
  auto doc = json::parse(line, std::string(fields.source()) + " (last line)");
  if (!doc) return doc.error();
  json_path root;
  if (auto st = fields.expect(*doc, root, json_type::object); !st) return st;
  auto name = fields.require(*doc, root, "benchmark", json_type::string);
  if (!name) return name.error();
  auto results = fields.require(*doc, root, "results", json_type::array);
  if (!results) return results.error();
  suite_results out;
  out.format = result_format::troupe_perf;
  std::size_t i = 0;
  for (auto& row : (*results)->items()) {
    auto at = root.key("results").index(i);
    if (auto st = fields.expect(row, at, json_type::object); !st) return st;
    std::string label;
    for (auto m : row.members())
      if (m.value.is_string())
        label += (label.empty() ? "" : "/") + std::string(m.value.as_string());
    if (label.empty()) label = "#" + std::to_string(i);
    for (auto m : row.members()) {
      if (!m.value.is_number()) continue;
      benchmark_result b;
      b.name = std::string((*name)->as_string()) + "/" + label + "/" + std::string(m.key);
      b.unit = unit_of(m.key);
      b.samples = {m.value.as_double()};
      compute_statistics(b);
      out.benchmarks.push_back(std::move(b));
    }
    ++i;
  }
  if (out.benchmarks.empty())
    return fields.error(root.key("results"), "no numbers to record");
  return out;
}

}  // namespace troupe::bench
