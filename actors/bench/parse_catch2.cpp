// Catch2's XML reporter output (see results.hpp for what is taken from it).
// The elements read, as Catch2 2.x writes them:
//   <Catch name=...>  <Group>  <TestCase name=...>  [<Section name=...>]...
//     <BenchmarkResults name="..." samples="100" ...>
//       <mean value="172.263" .../>  <standardDeviation value="1346.52" .../>
//       <outliers .../>
//     </BenchmarkResults>
// or, for a benchmark that failed, <BenchmarkResults name="..."> holding
// <failed message="..."/> (it threw) or the failed assertion's <Expression>
// and <OverallResult success="false"/>. An assertion that aborts a test case
// inside a benchmark leaves Catch2's element stack shifted (the later
// elements nest one level deeper); the XML is still well-formed, so names are
// taken from the nearest enclosing TestCase.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <pugixml.hpp>
#include <unordered_map>

#include "actors/bench/results.hpp"
#include "runtime/base/json/json_diagnose.hpp"

namespace troupe::bench {

namespace {

std::string trimmed(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last + 1 - first));
}

bool named(const pugi::xml_node& node, const char* name) {
  return std::strcmp(node.name(), name) == 0;
}

class catch2_parser {
 public:
  catch2_parser(std::string_view source, std::string_view text)
      : source_(source.empty() ? "<input>" : std::string(source)), text_(text) {}

  result<suite_results> parse() {
    pugi::xml_parse_result loaded = doc_.load_buffer(
        text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!loaded) {  // pugixml's offset may lie past the end of a cut text
      auto at = std::min(static_cast<std::size_t>(loaded.offset), text_.size());
      std::string what = loaded.description();
      if (at == text_.size()) what += " at the end of the input (truncated?)";
      return error_at(at, what);
    }
    pugi::xml_node root = doc_.document_element();
    if (!named(root, "Catch")) {
      return error(root,
                   "expected the root element <Catch> of Catch2's XML reporter (-r xml), "
                   "found <" +
                       std::string(root.name()) + ">");
    }
    // Document order, iteratively (pugixml's traverse does not recurse).
    struct walker : pugi::xml_tree_walker {
      catch2_parser* parser;
      status failure = status::ok();
      bool for_each(pugi::xml_node& node) override {
        if (!named(node, "BenchmarkResults")) return true;
        failure = parser->add(node);
        return failure.is_ok();
      }
    } visit;
    visit.parser = this;
    root.traverse(visit);
    if (!visit.failure) return visit.failure;
    if (out_.benchmarks.empty()) {
      return status::error(source_ +
                           ": no benchmark results (no <BenchmarkResults> element)");
    }
    out_.format = result_format::catch2;
    return std::move(out_);
  }

 private:
  status add(const pugi::xml_node& node) {
    auto name = full_name(node);
    if (!name) return name.error();
    auto [it, fresh] = seen_.try_emplace(*name, line_of(node));
    if (!fresh) {
      return error(node, "benchmark \"" + *name + "\" reported twice (first on line " +
                             std::to_string(it->second) +
                             "); a BENCHMARK outside the sections of a test case runs "
                             "once per section: give it a section of its own");
    }
    benchmark_result r;
    r.name = *name;
    r.unit = "ns";
    if (auto failure = failure_of(node)) {
      r.error = true;
      r.error_message = failure->empty() ? "(no message)" : *failure;
      out_.benchmarks.push_back(std::move(r));
      return status::ok();
    }
    auto samples = number(node, r.name, "samples");
    if (!samples) return samples.error();
    if (*samples < 1 || std::floor(*samples) != *samples) {
      return error(node, "samples of <BenchmarkResults> of benchmark \"" + r.name +
                             "\": expected a whole number >= 1");
    }
    r.n = static_cast<std::size_t>(*samples);
    for (auto [element, slot] :
         {std::pair{"mean", &r.mean}, std::pair{"standardDeviation", &r.stddev}}) {
      pugi::xml_node child = node.child(element);
      if (!child) {
        return error(node, "benchmark \"" + r.name + "\" has no <" + element +
                               "> (and no <failed>)");
      }
      auto value = number(child, r.name, "value");
      if (!value) return value.error();
      *slot = *value;
    }
    constexpr double unknown = std::numeric_limits<double>::quiet_NaN();
    r.median = r.min = r.max = unknown;
    out_.benchmarks.push_back(std::move(r));
    return status::ok();
  }

  // "<test case>/<section>/.../<benchmark>".
  result<std::string> full_name(const pugi::xml_node& node) const {
    pugi::xml_attribute own = node.attribute("name");
    if (!own) return error(node, "<BenchmarkResults> without a name attribute");
    std::string name = own.value();
    for (pugi::xml_node up = node.parent(); up; up = up.parent()) {
      if (!named(up, "Section") && !named(up, "TestCase")) continue;
      name = std::string(up.attribute("name").value()) + "/" + name;
      if (named(up, "TestCase")) return name;
    }
    return error(node, "<BenchmarkResults name=\"" + std::string(own.value()) +
                           "\"> outside a <TestCase>");
  }

  // The message of a benchmark that failed; nullopt if it measured.
  static std::optional<std::string> failure_of(const pugi::xml_node& node) {
    if (pugi::xml_node failed = node.child("failed")) {
      return std::string(failed.attribute("message").value());
    }
    for (pugi::xml_node child : node.children()) {
      std::string where = std::string(child.attribute("filename").value()) + ":" +
                          child.attribute("line").value() + ": ";
      if (named(child, "Expression") && !child.attribute("success").as_bool(true)) {
        return where + child.attribute("type").value() + "(" +
               trimmed(child.child_value("Original")) +
               ") failed: " + trimmed(child.child_value("Expanded"));
      }
      if (named(child, "Exception") || named(child, "FatalErrorCondition")) {
        return where + child.name() + ": " + trimmed(child.child_value());
      }
    }
    pugi::xml_node overall = node.child("OverallResult");
    if (overall && !overall.attribute("success").as_bool(true)) return std::string();
    return std::nullopt;
  }

  // Attribute `key` of `element` (of benchmark `name`) as a finite number >= 0.
  result<double> number(const pugi::xml_node& element, const std::string& name,
                        const char* key) const {
    std::string what =
        std::string(key) + " of <" + element.name() + "> of benchmark \"" + name + "\"";
    pugi::xml_attribute attribute = element.attribute(key);
    if (!attribute) return error(element, what + ": missing");
    std::string_view text = attribute.value();
    double value = 0;
    const char* last = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), last, value);
    if (text.empty() || ec != std::errc() || stop != last || !std::isfinite(value) ||
        value < 0) {
      return error(element, what + ": expected a number >= 0, found \"" +
                                std::string(text) + "\"");
    }
    return value;
  }

  std::size_t line_of(const pugi::xml_node& node) const {
    std::string_view before = text_.substr(0, offset_of(node));
    return 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  }

  // Where `node`'s start tag begins ('<'), as a byte offset into the text.
  std::size_t offset_of(const pugi::xml_node& node) const {
    std::ptrdiff_t at = node.offset_debug();  // of the name, just after '<'
    return at > 0 ? static_cast<std::size_t>(at - 1) : 0;
  }

  status error(const pugi::xml_node& node, const std::string& what) const {
    return error_at(offset_of(node), what);
  }
  status error_at(std::size_t offset, const std::string& what) const {
    return status::error(
        troupe::detail::json_error_message(source_, text_, offset, what));
  }

  std::string source_;
  std::string_view text_;
  pugi::xml_document doc_;
  suite_results out_;
  std::unordered_map<std::string, std::size_t> seen_;  // full name → line
};

}  // namespace

result<suite_results> parse_catch2(std::string_view text, std::string_view source_name) {
  return catch2_parser(source_name, text).parse();
}

}  // namespace troupe::bench
