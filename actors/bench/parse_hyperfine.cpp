// hyperfine --export-json (see results.hpp for what is taken from it).
#include <algorithm>
#include <string>
#include <vector>

#include "actors/bench/results.hpp"
#include "runtime/base/json/json_fields.hpp"

namespace troupe::bench {

namespace {

// Samples from times[], then the tool's statistics where it reports them.
result<benchmark_result> parse_command(const json_fields& fields, const json& entry,
                                       const json_path& at) {
  if (status s = fields.expect(entry, at, json_type::object); !s) return s;
  benchmark_result r;
  auto command = fields.require(entry, at, "command", json_type::string);
  if (!command) return command.error();
  r.name = std::string((*command)->as_string());
  r.unit = "s";

  auto times = fields.require(entry, at, "times", json_type::array);
  if (!times) return times.error();
  json_path times_path = at.key("times");
  std::size_t i = 0;
  for (const json& t : (*times)->items()) {
    auto sample = fields.non_negative(t, times_path.index(i++));
    if (!sample) return sample.error();
    r.samples.push_back(*sample);
  }
  compute_statistics(r);

  for (auto [key, slot] : {std::pair{"mean", &r.mean}, std::pair{"stddev", &r.stddev},
                           std::pair{"median", &r.median}, std::pair{"min", &r.min},
                           std::pair{"max", &r.max}}) {
    auto value = fields.optional(entry, at, key, json_type::real);
    if (!value) return value.error();
    if (*value != nullptr) *slot = (*value)->as_double();
  }

  auto codes = fields.optional(entry, at, "exit_codes", json_type::array);
  if (!codes) return codes.error();
  if (*codes != nullptr) {
    std::size_t failed = 0;
    std::size_t j = 0;
    for (const json& code : (*codes)->items()) {
      json_path code_path = at.key("exit_codes").index(j++);
      if (!code.is_null()) {
        if (status s = fields.expect(code, code_path, json_type::real); !s) return s;
      }
      // null: the command was terminated by a signal.
      if (code.is_null() || code.as_double() != 0) ++failed;
    }
    if (failed > 0) {
      r.error = true;
      r.error_message = "command failed (non-zero exit code or signal) in " +
                        std::to_string(failed) + " of " + std::to_string(j) + " runs";
    }
  }
  if (r.samples.empty() && !r.error) {
    return fields.error(times_path, "no measurements (empty times)");
  }
  return r;
}

// The top-level JSON values of `text`, in order: hyperfine rewrites its
// export after every command, so exported to a pipe (--export-json
// /dev/stdout) the output is one document per command, each holding the
// results so far. Splits at the end of each top-level value (strings and
// escapes respected); what cannot be split is returned whole for the parser
// to report.
std::vector<std::string_view> documents(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = text.find_first_not_of(" \t\r\n");
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = start; start != std::string_view::npos && i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[')
      ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) {
      out.push_back(text.substr(start, i + 1 - start));
      start = text.find_first_not_of(" \t\r\n", i + 1);
      if (start == std::string_view::npos) return out;
      i = start - 1;
    }
  }
  if (start != std::string_view::npos)
    out.push_back(text.substr(start));  // unfinished: the parser says where
  if (out.empty()) out.push_back(text);
  return out;
}

std::size_t line_of(std::string_view text, std::string_view part) {
  auto before = text.substr(0, static_cast<std::size_t>(part.data() - text.data()));
  return 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
}

}  // namespace

result<suite_results> parse_hyperfine(std::string_view text,
                                      std::string_view source_name) {
  // Several documents: each must be valid JSON, and the last (the complete
  // export) is the suite's result.
  auto docs = documents(text);
  for (std::size_t k = 0; k + 1 < docs.size(); ++k)
    if (auto earlier = json::parse(docs[k], source_name); !earlier)
      return earlier.error();
  auto last = docs.back();
  std::string name(source_name);
  if (docs.size() > 1)
    name += " (export " + std::to_string(docs.size()) + " from line " +
            std::to_string(line_of(text, last)) + ")";
  json_fields fields(name);
  auto doc = json::parse(last, fields.source());
  if (!doc) return doc.error();
  const json_path root;
  if (status s = fields.expect(*doc, root, json_type::object); !s) return s;
  auto list = fields.require(*doc, root, "results", json_type::array);
  if (!list) return list.error();
  json_path list_path = root.key("results");
  if ((*list)->empty()) return fields.error(list_path, "no benchmark results");

  suite_results out;
  out.format = result_format::hyperfine;
  std::size_t i = 0;
  for (const json& entry : (*list)->items()) {
    auto r = parse_command(fields, entry, list_path.index(i++));
    if (!r) return r.error();
    out.benchmarks.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace troupe::bench
