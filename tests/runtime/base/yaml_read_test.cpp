// yaml_read: YAML text to its JSON form by the core schema's scalar rules,
// the marks of every value, and each refusal (syntax, second document, tags,
// anchors, aliases, duplicate and non-string keys, depth, size) named by
// source, line and column; yaml_marks placing errors found on the JSON form.
#define BOOST_TEST_MODULE yaml_read
#include "runtime/base/yaml/yaml_read.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "runtime/base/json/json_fields.hpp"
#include "runtime/base/json/json_path.hpp"
#include "runtime/base/yaml/yaml_scalar.hpp"

using namespace troupe;

namespace {

yaml_document read(const std::string& text) {
  auto r = parse_yaml(text, "t.yaml");
  BOOST_TEST_REQUIRE(r.is_ok(), r.error().message());
  return std::move(r).value();
}

json value_of(const std::string& text) {
  return read(text).value;
}

std::string error_of(const std::string& text) {
  auto r = parse_yaml(text, "t.yaml");
  BOOST_TEST_REQUIRE(!r.is_ok(), "expected an error for: " + text);
  return r.error().message();
}

json parsed(std::string_view text) {
  auto r = json::parse(text);
  BOOST_TEST_REQUIRE(r.is_ok(), r.error().message());
  return std::move(r).value();
}

std::string where(const yaml_marks& marks, const std::string& path) {
  auto m = marks.find(path);
  if (!m) return "none";
  return std::to_string(m->line) + ":" + std::to_string(m->column);
}

}  // namespace

BOOST_AUTO_TEST_CASE(plain_scalars_follow_the_core_schema) {
  auto v = value_of(
      "n1: ~\nn2: null\nn3: NULL\nn4:\n"
      "b1: true\nb2: False\n"
      "i1: 42\ni2: -7\ni3: +3\ni4: 0o17\ni5: 0x1F\ni6: 0755\n"
      "f1: 1.5\nf2: -.25\nf3: 1e3\nf4: 2.\n"
      "s1: on\ns2: yes\ns3: no\ns4: off\ns5: y\ns6: 1_000\ns7: 12:30\ns8: 2026-01-01\n"
      "s9: hello world\n");
  for (auto key : {"n1", "n2", "n3", "n4"}) BOOST_TEST(v[key].is_null(), key);
  BOOST_TEST(v["b1"] == json(true));
  BOOST_TEST(v["b2"] == json(false));
  BOOST_TEST(v["i1"].is_int());
  BOOST_TEST(v["i1"].as_int() == 42);
  BOOST_TEST(v["i2"].as_int() == -7);
  BOOST_TEST(v["i3"].as_int() == 3);
  BOOST_TEST(v["i4"].as_int() == 15);
  BOOST_TEST(v["i5"].as_int() == 31);
  BOOST_TEST(v["i6"].as_int() == 755);
  BOOST_TEST(v["f1"].is_double());
  BOOST_TEST(v["f1"].as_double() == 1.5);
  BOOST_TEST(v["f2"].as_double() == -0.25);
  BOOST_TEST(v["f3"].is_double());
  BOOST_TEST(v["f3"].as_double() == 1000.0);
  BOOST_TEST(v["f4"].as_double() == 2.0);
  BOOST_TEST(v["s1"] == json("on"));
  BOOST_TEST(v["s2"] == json("yes"));
  BOOST_TEST(v["s3"] == json("no"));
  BOOST_TEST(v["s4"] == json("off"));
  BOOST_TEST(v["s5"] == json("y"));
  BOOST_TEST(v["s6"] == json("1_000"));
  BOOST_TEST(v["s7"] == json("12:30"));
  BOOST_TEST(v["s8"] == json("2026-01-01"));
  BOOST_TEST(v["s9"] == json("hello world"));
}

BOOST_AUTO_TEST_CASE(quoted_and_block_scalars_are_strings) {
  auto v = value_of(
      "a: \"true\"\nb: '42'\nc: \"null\"\nd: ''\ne: |\n  line 1\n  line 2\n"
      "f: >\n  folded\n  text\ng: ! 7\n");
  BOOST_TEST(v["a"] == json("true"));
  BOOST_TEST(v["b"] == json("42"));
  BOOST_TEST(v["c"] == json("null"));
  BOOST_TEST(v["d"] == json(""));
  BOOST_TEST(v["e"] == json("line 1\nline 2\n"));
  BOOST_TEST(v["f"] == json("folded text\n"));
  BOOST_TEST(v["g"] == json("7"));
}

BOOST_AUTO_TEST_CASE(block_and_flow_collections_give_the_same_json) {
  auto block = value_of(
      "name: x\nlist:\n  - 1\n  - two\n  - {k: v}\nmap:\n  inner:\n    deep: [a, b]\n");
  auto flow = value_of("{name: x, list: [1, two, {k: v}], map: {inner: {deep: [a, b]}}}");
  auto expected = parsed(
      R"({"name":"x","list":[1,"two",{"k":"v"}],"map":{"inner":{"deep":["a","b"]}}})");
  BOOST_TEST(block.dump() == expected.dump());
  BOOST_TEST(flow.dump() == expected.dump());
}

BOOST_AUTO_TEST_CASE(an_empty_document_is_null) {
  BOOST_TEST(value_of("").is_null());
  BOOST_TEST(value_of("# only a comment\n").is_null());
  BOOST_TEST(value_of("---\nx: 1\n...\n")["x"] == json(1));
}

BOOST_AUTO_TEST_CASE(marks_place_members_at_their_keys_and_items_at_themselves) {
  auto doc = read(
      "version: 1\ntasks:\n  build:\n    action: 3\n    argv:\n      - a\n"
      "      - b\n");
  BOOST_TEST(where(doc.marks, "$") == "1:1");
  BOOST_TEST(where(doc.marks, "$.version") == "1:1");
  BOOST_TEST(where(doc.marks, "$.tasks") == "2:1");
  BOOST_TEST(where(doc.marks, "$.tasks.build") == "3:3");
  BOOST_TEST(where(doc.marks, "$.tasks.build.action") == "4:5");
  BOOST_TEST(where(doc.marks, "$.tasks.build.argv[1]") == "7:9");
  // A member that is not there: the place of what contains it.
  BOOST_TEST(where(doc.marks, "$.tasks.build.timeout") == "3:3");
  BOOST_TEST(where(doc.marks, "$.tasks.build.argv[9]") == "5:5");
}

BOOST_AUTO_TEST_CASE(keys_that_are_no_identifiers_are_placed_too) {
  auto doc = read("env:\n  \"GIT-SHA\": x\n  \"a: b\": y\n");
  BOOST_TEST(where(doc.marks, json_path::of({"env", "GIT-SHA"}).str()) == "2:3");
  BOOST_TEST(where(doc.marks, json_path::of({"env", "a: b"}).str()) == "3:3");
}

BOOST_AUTO_TEST_CASE(errors_found_on_the_json_form_name_line_and_column) {
  auto doc = read("name: x\ntasks:\n  build:\n    action: 3\n");
  json_fields fields("t.yaml");
  auto at = json_path::of({"tasks", "build"});
  auto st = fields.expect(doc.value["tasks"]["build"]["action"], at.key("action"),
                          json_type::string);
  BOOST_TEST(doc.marks.place(st, "t.yaml").message() ==
             "t.yaml:4:5: $.tasks.build.action: expected a string, found a number");
  auto unknown = fields.known(doc.value, json_path(), {"name"});
  BOOST_TEST(doc.marks.place(unknown, "t.yaml").message() ==
             "t.yaml:2:1: $.tasks: unknown field 'tasks' (known: name)");
  // Another source, or a message without a path, stays as it is.
  BOOST_TEST(doc.marks.place(st, "other.yaml").message() == st.message());
  auto plain = status::error("t.yaml: something without a path");
  BOOST_TEST(doc.marks.place(plain, "t.yaml").message() == plain.message());
  BOOST_TEST(doc.marks.place(status::ok(), "t.yaml").is_ok());
}

BOOST_AUTO_TEST_CASE(a_subtree_places_paths_from_its_own_root) {
  auto doc = read(
      "parameters: {}\ndefinition:\n  name: x\n  tasks:\n    a: 1\n"
      "definitions: 2\n");
  auto sub = doc.marks.subtree(json_path().key("definition"));
  BOOST_TEST(where(sub, "$") == "2:1");
  BOOST_TEST(where(sub, "$.tasks.a") == "5:5");
  BOOST_TEST(where(sub, "$.definitions") == "2:1");  // not the sibling's place
  BOOST_TEST(where(sub, "$.parameters") == "2:1");   // the subtree's root, not 1:1
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_line_and_column_from_1) {
  BOOST_TEST(error_of("a: [1\nb: 2\n") == "t.yaml:2:2: end of sequence flow not found");
  BOOST_TEST(error_of("a:\n  - b\n  c: 1\n") == "t.yaml:3:3: end of map not found");
  auto r = parse_yaml("a: [", "");
  BOOST_TEST_REQUIRE(!r.is_ok());
  BOOST_TEST(r.error().message().rfind("<input>:1:", 0) == 0, r.error().message());
}

BOOST_AUTO_TEST_CASE(a_second_document_is_refused_at_its_start) {
  BOOST_TEST(error_of("a: 1\n---\nb: 2\n") ==
             "t.yaml:2:1: a second document: a file holds one YAML document");
}

BOOST_AUTO_TEST_CASE(tags_are_refused) {
  BOOST_TEST(error_of("a: 1\nb: !!python/object:os.system x\n") ==
             "t.yaml:2:4: tag '!!python/object:os.system' is not supported: a value's "
             "type follows from how it is written (quote a string)");
  BOOST_TEST(
      error_of("a: !foo x\n").rfind("t.yaml:1:4: tag '!foo' is not supported", 0) == 0);
  BOOST_TEST(
      error_of("a: !!str 3\n").rfind("t.yaml:1:4: tag '!!str' is not supported", 0) == 0);
  BOOST_TEST(error_of("a: !!map {b: 1}\n").rfind("t.yaml:1:4: tag '!!map'", 0) == 0);
}

BOOST_AUTO_TEST_CASE(anchors_and_aliases_are_refused) {
  auto anchor = error_of("a: &x [1, 2]\n");
  BOOST_TEST(anchor.rfind("t.yaml:1:4: anchors (&", 0) == 0, anchor);
  BOOST_TEST(anchor.find("not supported: write the value out") != std::string::npos);
  // An alias needs an anchor before it: the anchor is what is refused.
  BOOST_TEST(error_of("a: &x 1\nb: *x\n").rfind("t.yaml:1:4: anchors (&", 0) == 0);
  BOOST_TEST(error_of("b: *x\n").rfind("t.yaml:1:", 0) == 0);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_refused_naming_both_places) {
  BOOST_TEST(error_of("tasks:\n  a: 1\n  b: 2\n  a: 3\n") ==
             "t.yaml:4:3: duplicate key 'a' (first at line 2, column 3)");
  BOOST_TEST(error_of("{x: 1, 'x': 2}").rfind("t.yaml:1:8: duplicate key 'x'", 0) == 0);
}

BOOST_AUTO_TEST_CASE(keys_must_be_strings) {
  BOOST_TEST(error_of("a: 1\n1: x\n") ==
             "t.yaml:2:1: a key must be a string, found integer (quote it for a string)");
  BOOST_TEST(error_of("true: x\n")
                 .rfind("t.yaml:1:1: a key must be a string, found boolean", 0) == 0);
  BOOST_TEST(error_of("? [a]\n: x\n")
                 .rfind("t.yaml:1:3: a key must be a string, found a "
                        "sequence",
                        0) == 0);
  BOOST_TEST(
      error_of("~: x\n").rfind("t.yaml:1:1: a key must be a string, found null", 0) == 0);
  BOOST_TEST(value_of("\"1\": x\n")["1"] == json("x"));
}

BOOST_AUTO_TEST_CASE(numbers_json_cannot_hold_are_refused) {
  BOOST_TEST(error_of("a: .inf\n") ==
             "t.yaml:1:4: '.inf' is not a JSON number (quote it for a string)");
  BOOST_TEST(error_of("a: .nan\n").rfind("t.yaml:1:4: '.nan' is not a JSON number", 0) ==
             0);
  BOOST_TEST(
      error_of("a: 9223372036854775808\n") ==
      "t.yaml:1:4: the integer 9223372036854775808 is beyond int64 (quote it for a "
      "string)");
  BOOST_TEST(value_of("a: -9223372036854775808\n")["a"].as_int() == INT64_MIN);
  BOOST_TEST(yaml_plain_scalar("1e999").is_ok() == false);
}

BOOST_AUTO_TEST_CASE(depth_and_size_are_bounded) {
  std::string deep(yaml_max_depth + 1, '[');
  deep += std::string(yaml_max_depth + 1, ']');
  BOOST_TEST(error_of(deep) == "t.yaml:1:257: nested deeper than 256 levels");
  BOOST_TEST(value_of(deep.substr(1, deep.size() - 2)).is_array());  // 256 levels
  std::string block;
  for (std::size_t i = 0; i <= yaml_max_depth; ++i)
    block += std::string(2 * i, ' ') + "a:\n";
  BOOST_TEST(error_of(block).rfind("t.yaml:257:", 0) == 0, error_of(block));
  std::string big(yaml_max_bytes + 1, ' ');
  auto r = parse_yaml(big, "big.yaml");
  BOOST_TEST_REQUIRE(!r.is_ok());
  BOOST_TEST(
      r.error().message().rfind("big.yaml: 8388609 bytes, more than 8388608", 0) == 0,
      r.error().message());
}

BOOST_AUTO_TEST_CASE(json_path_prefix_lengths_follow_str) {
  auto p = json_path::of({"tasks", "a b", "next", 0, "do"});
  std::string text = p.str() + ": message";
  auto lengths = json_path::prefix_lengths(text);
  BOOST_TEST_REQUIRE(lengths.size() == 6u);
  BOOST_TEST(text.substr(0, lengths[0]) == "$");
  BOOST_TEST(text.substr(0, lengths[1]) == "$.tasks");
  BOOST_TEST(text.substr(0, lengths[2]) == "$.tasks[\"a b\"]");
  BOOST_TEST(text.substr(0, lengths[4]) == "$.tasks[\"a b\"].next[0]");
  BOOST_TEST(text.substr(0, lengths[5]) == p.str());
  auto quoted = json_path::of({"k\"]: x"}).str();
  BOOST_TEST(json_path::prefix_lengths(quoted + ": y").back() == quoted.size());
  BOOST_TEST(json_path::prefix_lengths("no path").empty());
}
