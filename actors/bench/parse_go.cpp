// `go test -bench` text (see results.hpp for what is taken from it).
//
// The lines read here, as Go's testing package (1.19) prints them:
//   result    <name> <iterations> <value> <unit> [<value> <unit>]...
//             <name> is "Benchmark" not followed by a lowercase letter, plus
//             "-<GOMAXPROCS>" unless that is 1; fields are separated by
//             spaces and tabs
//   failure   [<name>] --- FAIL: <name>    then its message, indented
//   skip      [<name>] --- SKIP: <name>    (printed with -v only)
//   log       --- BENCH: <name>            then b.Log's lines, indented
//   closing   PASS | FAIL | ok <pkg> <time> | FAIL <pkg> <time or [why]>
//   crash     [<name>] panic: ... | fatal error: ...
// A failure in the benchmark's first run (b.N = 1) prints "--- FAIL: <name>"
// alone and without the GOMAXPROCS suffix; a later one prints it after the
// suffixed name on the result line. Every other line (goos:, pkg:, cpu:,
// "exit status 1", the program's own output) is not a result.
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "actors/bench/results.hpp"
#include "runtime/base/json/json_diagnose.hpp"

namespace troupe::bench {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_benchmark_name(std::string_view word) {
  constexpr std::string_view prefix = "Benchmark";
  if (!starts_with(word, prefix)) return false;
  return word.size() == prefix.size() ||
         !(word[prefix.size()] >= 'a' && word[prefix.size()] <= 'z');
}

// "BenchmarkX-4" → 4; 0 when the name does not end in "-<digits>".
unsigned procs_suffix(std::string_view name) {
  auto dash = name.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == name.size()) return 0;
  unsigned n = 0;
  auto [end, ec] = std::from_chars(name.data() + dash + 1, name.data() + name.size(), n);
  return ec == std::errc() && end == name.data() + name.size() ? n : 0;
}

// A whitespace-separated word of a line and its byte offset in the text.
struct word {
  std::string_view text;
  std::size_t offset = 0;
};

std::vector<word> split(std::string_view line, std::size_t line_offset) {
  std::vector<word> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    std::size_t start = pos;
    while (pos < line.size() && !is_blank(line[pos])) ++pos;
    if (pos > start)
      out.push_back({line.substr(start, pos - start), line_offset + start});
  }
  return out;
}

// A result line, or a failure or skip of a benchmark, in output order.
struct entry {
  std::string name;  // as printed
  // Whether Go printed the GOMAXPROCS suffix on this name: result lines and
  // failures after a result line's name (see the top of the file).
  bool suffixed = false;
  std::vector<std::pair<double, std::string>> metrics;  // empty: failure or skip
  bool skip = false;
  std::string message;  // the indented lines after a failure or skip, joined
};

class go_parser {
 public:
  go_parser(std::string_view source, std::string_view text)
      : source_(source.empty() ? "<input>" : std::string(source)), text_(text) {}

  result<suite_results> parse() {
    std::vector<std::pair<std::string_view, std::size_t>> lines;  // text, offset
    for (std::size_t at = 0; at < text_.size();) {
      std::size_t end = text_.find('\n', at);
      if (end == std::string_view::npos)
        return error(text_.size(), "truncated line (no newline at end of input)");
      std::string_view line = text_.substr(at, end - at);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines.emplace_back(line, at);
      at = end + 1;
    }
    // A crash explains whatever malformed line came before it (a benchmark
    // interrupted by a panic prints NaN ns/op): report it first.
    for (auto [line, offset] : lines) {
      if (status s = check_crash(line, offset); !s) return s;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      line_no_ = i + 1;
      if (status s = read_line(lines[i].first, lines[i].second); !s) return s;
    }
    if (entries_.empty()) return status::error(source_ + ": no benchmark results");
    if (open_since_ != 0) {
      return error(text_.size(),
                   "truncated: no PASS, ok or FAIL line after the benchmarks from line " +
                       std::to_string(open_since_));
    }
    return build();
  }

 private:
  status check_crash(std::string_view line, std::size_t offset) const {
    auto words = split(line, offset);
    std::size_t first = !words.empty() && is_benchmark_name(words[0].text) ? 1 : 0;
    if (words.size() <= first) return status::ok();
    std::string_view rest =
        text_.substr(words[first].offset, offset + line.size() - words[first].offset);
    if (starts_with(rest, "panic: ") || starts_with(rest, "fatal error: ")) {
      return error(words[first].offset, "the test binary crashed (" + std::string(rest) +
                                            "); the benchmarks after it never ran");
    }
    return status::ok();
  }

  status read_line(std::string_view line, std::size_t offset) {
    auto words = split(line, offset);
    if (!line.empty() && is_blank(line[0])) {  // a failure's message, or b.Log's
      if (words.empty() || discard_) return status::ok();
      std::string& message = message_of_ ? entries_[*message_of_].message : preamble_;
      if (!message.empty()) message += "; ";
      message += text_.substr(words[0].offset, offset + line.size() - words[0].offset);
      return status::ok();
    }
    message_of_.reset();
    discard_ = false;
    std::string preamble = std::move(preamble_);
    preamble_.clear();
    if (words.empty()) return status::ok();
    std::string_view first = words[0].text;
    if (first == "---") return read_outcome(words, 0, false, std::move(preamble));
    if (is_benchmark_name(first)) {
      if (words.size() == 1)
        return status::ok();  // -v names a benchmark before running it
      if (words[1].text == "---") return read_outcome(words, 1, true, {});
      return read_result(words);
    }
    if (first == "pkg:" && words.size() > 1) package_ = std::string(words[1].text);
    if (first == "PASS" && words.size() == 1) open_since_ = 0;
    if (first == "ok" && words.size() >= 3) end_package();  // ok <pkg> <time>
    if (first == "FAIL") {
      if (package_failures_ == 0) {
        return error(words[0].offset,
                     "go test reports a failure but no benchmark failed (a failing test, "
                     "TestMain, a build or setup failure)");
      }
      open_since_ = 0;
      if (words.size() > 1)
        end_package();  // "FAIL <pkg> ..." ends it; a bare FAIL precedes
    }
    return status::ok();
  }

  // "--- FAIL: <name>", "--- SKIP: <name>" or "--- BENCH: <name>" at words[i];
  // `preamble` is the indented text just before it (-v prints the message
  // first), its message unless lines follow it.
  status read_outcome(const std::vector<word>& words, std::size_t i, bool suffixed,
                      std::string preamble) {
    if (words.size() < i + 3)
      return error(words[i].offset, "expected \"--- <KIND>: <name>\"");
    std::string_view kind = words[i + 1].text;
    std::string_view name = words[i + 2].text;
    if (kind != "FAIL:" && kind != "SKIP:") {  // BENCH: b.Log's lines; PASS: a test (-v)
      discard_ = true;
      return status::ok();
    }
    if (!is_benchmark_name(name)) {
      if (kind == "SKIP:") return status::ok();
      return error(words[i + 2].offset, "test " + std::string(name) +
                                            " failed (run benchmarks only: -run '^$')");
    }
    entry e;
    e.name = std::string(name);
    e.suffixed = suffixed;
    e.skip = kind == "SKIP:";
    e.message = std::move(preamble);
    if (!e.skip) ++package_failures_;
    if (status s = add(std::move(e), words[i + 2]); !s) return s;
    message_of_ = entries_.size() - 1;
    return status::ok();
  }

  status read_result(const std::vector<word>& words) {
    const word& count = words[1];
    if (count.text.find_first_not_of("0123456789") != std::string_view::npos) {
      return error(count.offset,
                   "expected an iteration count after the benchmark name, found \"" +
                       std::string(count.text) + "\"");
    }
    if (words.size() == 2)
      return error(count.offset + count.text.size(),
                   "expected measurements after the iteration count");
    entry e;
    e.name = std::string(words[0].text);
    e.suffixed = true;
    for (std::size_t i = 2; i < words.size(); i += 2) {
      const word& value = words[i];
      double number = 0;
      const char* last = value.text.data() + value.text.size();
      auto [stop, ec] = std::from_chars(value.text.data(), last, number);
      if (ec != std::errc() || stop != last || !std::isfinite(number)) {
        return error(value.offset, "expected a finite number, found \"" +
                                       std::string(value.text) + "\"");
      }
      if (i + 1 == words.size()) {
        return error(value.offset + value.text.size(),
                     "expected a unit after " + std::string(value.text));
      }
      e.metrics.emplace_back(number, std::string(words[i + 1].text));
    }
    return add(std::move(e), words[0]);
  }

  status add(entry e, const word& at) {
    auto [it, fresh] = packages_.try_emplace(e.name, package_, line_no_);
    if (!fresh && it->second.first != package_) {
      return error(at.offset, e.name + " also ran in package " + it->second.first +
                                  " (line " + std::to_string(it->second.second) +
                                  "): run one package per suite");
    }
    if (open_since_ == 0) open_since_ = line_no_;
    entries_.push_back(std::move(e));
    return status::ok();
  }

  void end_package() {
    open_since_ = 0;
    package_failures_ = 0;
  }

  // Names (see results.hpp), samples and errors from the entries.
  suite_results build() {
    unsigned procs = 0;
    bool uniform = true;
    for (const entry& e : entries_) {
      if (!e.suffixed) continue;
      unsigned n = procs_suffix(e.name);
      if (n < 2 || (procs != 0 && n != procs)) uniform = false;
      procs = n;
    }
    std::string suffix = uniform && procs >= 2 ? "-" + std::to_string(procs) : "";
    suite_results out;
    out.format = result_format::go;
    std::unordered_map<std::string, std::size_t> index;
    std::unordered_map<std::string, std::vector<std::size_t>> metrics_of;  // by base name
    auto find_or_add = [&](const std::string& base,
                           const std::string& unit) -> benchmark_result& {
      std::string name = unit == "ns/op" ? base : base + " " + unit;
      auto [it, added] = index.try_emplace(name, out.benchmarks.size());
      if (added) {
        out.benchmarks.emplace_back();
        out.benchmarks.back().name = name;
        out.benchmarks.back().unit = unit;
        metrics_of[base].push_back(it->second);
      }
      return out.benchmarks[it->second];
    };
    std::vector<std::pair<std::string, const entry*>> failures;  // base name, entry
    for (const entry& e : entries_) {
      std::string base = e.name;
      if (!suffix.empty() && base.size() > suffix.size() &&
          base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
        base.resize(base.size() - suffix.size());
      }
      for (const auto& [value, unit] : e.metrics) {
        find_or_add(base, unit).samples.push_back(value);
      }
      if (e.metrics.empty()) {
        find_or_add(base, "ns/op");  // listed where it failed if it never measured
        failures.emplace_back(base, &e);
      }
    }
    // Every metric of a failed benchmark, the ones reported after it too.
    for (const auto& [base, e] : failures) {
      std::string message = e->message.empty() ? "(no message)" : e->message;
      for (std::size_t i : metrics_of[base]) {
        benchmark_result& b = out.benchmarks[i];
        if (b.error) continue;
        b.error = true;
        b.error_message = e->skip ? "skipped: " + message : message;
      }
    }
    for (benchmark_result& b : out.benchmarks) compute_statistics(b);
    return out;
  }

  status error(std::size_t offset, const std::string& what) const {
    return status::error(
        troupe::detail::json_error_message(source_, text_, offset, what));
  }

  std::string source_;
  std::string_view text_;
  std::vector<entry> entries_;
  std::size_t line_no_ = 0;                // of the line being read
  std::optional<std::size_t> message_of_;  // the entry whose message lines follow
  bool discard_ = false;                   // the indented lines are b.Log's
  std::string preamble_;                   // indented lines no entry has claimed (yet)
  std::size_t open_since_ = 0;             // line of the first entry not yet closed
  std::string package_;                    // of the last pkg: line
  std::size_t package_failures_ = 0;       // "--- FAIL"s since the last package ended
  // Printed name → the package and line it was first seen in.
  std::unordered_map<std::string, std::pair<std::string, std::size_t>> packages_;
};

}  // namespace

result<suite_results> parse_go(std::string_view text, std::string_view source_name) {
  return go_parser(source_name, text).parse();
}

}  // namespace troupe::bench
