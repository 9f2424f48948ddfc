// troupe's simple format (specified in results.hpp).
#include <charconv>
#include <cmath>
#include <string>
#include <unordered_map>

#include "actors/bench/results.hpp"

namespace troupe::bench {

namespace {

bool is_space_or_tab(char c) {
  return c == ' ' || c == '\t';
}

// One whitespace-separated word of a line and its 1-based column.
struct column_word {
  std::string_view text;
  std::size_t column = 0;
};

class simple_parser {
 public:
  explicit simple_parser(std::string_view source)
      : source_(source.empty() ? "<input>" : std::string(source)) {}

  result<suite_results> parse(std::string_view text) {
    std::size_t line_no = 0;
    while (!text.empty()) {
      ++line_no;
      std::size_t end = text.find('\n');
      if (end == std::string_view::npos) {
        return error(line_no, text.size() + 1,
                     "truncated line (no newline at end of input)");
      }
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (status s = parse_line(line, line_no); !s) return s;
    }
    if (benchmarks_.empty()) return status::error(source_ + ": no benchmark results");
    suite_results out;
    out.format = result_format::simple;
    for (auto& b : benchmarks_) {
      compute_statistics(b);
      out.benchmarks.push_back(std::move(b));
    }
    return out;
  }

 private:
  status parse_line(std::string_view line, std::size_t line_no) {
    std::size_t pos = 0;
    auto next_word = [&]() {
      while (pos < line.size() && is_space_or_tab(line[pos])) ++pos;
      column_word w{{}, pos + 1};
      std::size_t start = pos;
      while (pos < line.size() && !is_space_or_tab(line[pos])) ++pos;
      w.text = line.substr(start, pos - start);
      return w;
    };
    column_word name = next_word();
    if (name.text.empty() || name.text[0] == '#') return status::ok();
    column_word value = next_word();
    if (value.text.empty()) {
      return error(line_no, value.column, "expected a value or \"error\" after the name");
    }
    if (value.text == "error") {
      std::string_view message = line.substr(pos);
      while (!message.empty() && is_space_or_tab(message.front()))
        message.remove_prefix(1);
      while (!message.empty() && is_space_or_tab(message.back()))
        message.remove_suffix(1);
      benchmark_result& b = find_or_add(name.text);
      if (!b.error) {
        b.error = true;
        b.error_message = message.empty() ? "(no message)" : std::string(message);
      }
      return status::ok();
    }
    double number = 0;
    const char* first = value.text.data();
    const char* last = first + value.text.size();
    auto [stop, ec] = std::from_chars(first, last, number);
    if (ec != std::errc() || stop != last || !std::isfinite(number)) {
      return error(line_no, value.column,
                   "expected a finite number or \"error\", found \"" +
                       std::string(value.text) + "\"");
    }
    column_word unit = next_word();
    if (unit.text.empty())
      return error(line_no, unit.column, "expected a unit after the value");
    column_word extra = next_word();
    if (!extra.text.empty()) {
      return error(line_no, extra.column,
                   "unexpected \"" + std::string(extra.text) + "\" after the unit");
    }
    benchmark_result& b = find_or_add(name.text);
    if (b.unit.empty()) {
      b.unit = std::string(unit.text);
      unit_lines_[b.name] = line_no;
    } else if (b.unit != unit.text) {
      return error(line_no, unit.column,
                   "unit \"" + std::string(unit.text) + "\" differs from \"" + b.unit +
                       "\" of " + b.name + " on line " +
                       std::to_string(unit_lines_[b.name]));
    }
    b.samples.push_back(number);
    return status::ok();
  }

  benchmark_result& find_or_add(std::string_view name) {
    auto [it, added] = index_.try_emplace(std::string(name), benchmarks_.size());
    if (added) {
      benchmarks_.emplace_back();
      benchmarks_.back().name = std::string(name);
    }
    return benchmarks_[it->second];
  }

  status error(std::size_t line, std::size_t column, const std::string& what) const {
    return status::error(source_ + ":" + std::to_string(line) + ":" +
                         std::to_string(column) + ": " + what);
  }

  std::string source_;
  std::vector<benchmark_result> benchmarks_;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_map<std::string, std::size_t> unit_lines_;
};

}  // namespace

result<suite_results> parse_simple(std::string_view text, std::string_view source_name) {
  return simple_parser(source_name).parse(text);
}

}  // namespace troupe::bench
