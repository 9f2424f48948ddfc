// Definitions in YAML: a YAML file loads to exactly the definition of its
// JSON twin, and every error — the validator's, found on the JSON form, and
// the YAML reader's refusals — names the file, the line and the column.
// Also the workflows directory's rule of one file per name.
#define BOOST_TEST_MODULE definition_document
#include "actors/workflow/definition_document.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "actors/common/action.hpp"
#include "actors/workflow/action_core.hpp"
#include "actors/workflow/workflow_library.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using troupe::json;
using troupe::testing::source_dir;
using troupe::testing::temp_dir;
using namespace troupe::workflow;

namespace {

const action_registry& actions() {
  static action_registry r = core_actions();
  return r;
}

definition_ptr read(const std::string& path) {
  auto d = read_definition(path, actions());
  BOOST_TEST_REQUIRE(d.is_ok(), d.error().message());
  return *d;
}

// The error of loading the YAML `text` as "wf.yaml".
std::string yaml_error(const std::string& text) {
  auto doc = parse_definition_document(text, "wf.yaml", definition_format::yaml);
  if (!doc) return doc.error().message();
  auto d = load_definition(*doc, actions());
  BOOST_TEST_REQUIRE(!d.is_ok(), "expected an error for: " + text);
  return d.error().message();
}

// The error of read_definition on a file holding `text`.
std::string file_error(const temp_dir& dir, const std::string& name,
                       const std::string& text) {
  std::ofstream(dir.file(name)) << text;
  auto d = read_definition(dir.file(name), actions());
  BOOST_TEST_REQUIRE(!d.is_ok(), "expected an error for: " + text);
  return d.error().message();
}

bool starts_with(const std::string& s, const std::string& head) {
  bool ok = s.rfind(head, 0) == 0;
  if (!ok) BOOST_TEST_MESSAGE("'" << head << "' does not start: " << s);
  return ok;
}

// Both definitions are the same: the same document, member order and
// number types included, and the same compiled shape.
void check_twins(const std::string& yaml_path, const std::string& json_path) {
  auto y = read(yaml_path);
  auto j = read(json_path);
  BOOST_TEST(y->document.dump() == j->document.dump());
  BOOST_TEST(y->name == j->name);
  BOOST_TEST(y->description == j->description);
  BOOST_TEST(y->input.dump() == j->input.dump());
  BOOST_TEST(y->vars.dump() == j->vars.dump());
  BOOST_TEST(y->start_tasks == j->start_tasks);
  BOOST_TEST(y->output.has_value() == j->output.has_value());
  BOOST_TEST_REQUIRE(y->tasks.size() == j->tasks.size());
  for (std::size_t i = 0; i < y->tasks.size(); ++i) {
    auto& a = y->tasks[i];
    auto& b = j->tasks[i];
    BOOST_TEST(a.name == b.name);
    BOOST_TEST(a.action == b.action);
    BOOST_TEST(a.literal_input.dump() == b.literal_input.dump());
    BOOST_TEST(a.with_items.has_value() == b.with_items.has_value());
    BOOST_TEST(a.concurrency == b.concurrency);
    BOOST_TEST((a.timeout == b.timeout));
    BOOST_TEST(a.join == b.join);
    BOOST_TEST(a.join_all == b.join_all);
    BOOST_TEST(a.next.size() == b.next.size());
  }
}

const std::string valid_head = "version: 1\nname: t\ntasks:\n";

}  // namespace

BOOST_AUTO_TEST_CASE(the_format_follows_the_extension) {
  BOOST_TEST((format_of_path("a/b.yaml") == definition_format::yaml));
  BOOST_TEST((format_of_path("b.yml") == definition_format::yaml));
  BOOST_TEST((format_of_path("b.json") == definition_format::json));
  BOOST_TEST((format_of_path("b.yaml.json") == definition_format::json));
  BOOST_TEST((format_of_path("yaml") == definition_format::json));
}

BOOST_AUTO_TEST_CASE(yaml_examples_load_to_the_definitions_of_their_json_twins) {
  auto root = source_dir();
  check_twins(root + "/config/workflows/build-matrix.yaml",
              root + "/tests/fixtures/workflows/build-matrix.json");
  check_twins(root + "/tests/fixtures/workflows/hello.yaml",
              root + "/config/workflows/hello.json");
  auto matrix = read(root + "/config/workflows/build-matrix.yaml");
  BOOST_TEST(matrix->find("build")->concurrency == 4u);
  BOOST_TEST(matrix->find("build")->timeout->count() == 600000);
}

BOOST_AUTO_TEST_CASE(a_wrong_type_at_a_nested_path_names_line_and_column) {
  BOOST_TEST(
      yaml_error(valid_head + "  build:\n    action: core.echo\n    timeout: ten\n") ==
      "wf.yaml:6:5: $.tasks.build.timeout: expected a number of seconds, found a "
      "string");
  BOOST_TEST(yaml_error(valid_head + "  build:\n    action: 7\n") ==
             "wf.yaml:5:5: $.tasks.build.action: expected a string, found a number");
}

BOOST_AUTO_TEST_CASE(an_unknown_field_names_line_and_column) {
  auto e = yaml_error(valid_head + "  build:\n    action: core.echo\n    retries: 3\n");
  BOOST_TEST(starts_with(e,
                         "wf.yaml:6:5: $.tasks.build.retries: unknown field 'retries' "
                         "(known: action,"));
  BOOST_TEST(
      starts_with(yaml_error("version: 1\nname: t\ncolour: red\ntasks: {a: {action: "
                             "core.noop}}\n"),
                  "wf.yaml:3:1: $.colour: unknown field 'colour'"));
}

BOOST_AUTO_TEST_CASE(errors_deep_in_sequences_name_the_item) {
  BOOST_TEST(yaml_error(valid_head +
                        "  a:\n    action: core.echo\n    next:\n      - do: [b, zz]\n"
                        "  b:\n    action: core.noop\n") ==
             "wf.yaml:7:17: $.tasks.a.next[0].do[1]: unknown task 'zz' (tasks: a, b)");
}

BOOST_AUTO_TEST_CASE(a_missing_field_names_the_place_of_what_lacks_it) {
  BOOST_TEST(yaml_error(valid_head + "  a:\n    input: {}\n") ==
             "wf.yaml:4:3: $.tasks.a.action: missing, expected a string");
  BOOST_TEST(yaml_error("- a\n") ==
             "wf.yaml:1:1: $: expected a workflow object, found an "
             "array");
  BOOST_TEST(yaml_error("") == "wf.yaml:1:1: $: expected a workflow object, found null");
}

BOOST_AUTO_TEST_CASE(yaml_refusals_in_a_file_name_it_with_line_and_column) {
  temp_dir dir("yaml-def");
  auto path = [&](const std::string& name) { return dir.file(name); };
  BOOST_TEST(starts_with(file_error(dir, "syntax.yaml", valid_head + "  a: {action: x\n"),
                         path("syntax.yaml") + ":5:1: "));
  BOOST_TEST(file_error(dir, "dup.yml",
                        valid_head + "  a:\n    action: core.noop\n"
                                     "    action: core.echo\n") ==
             path("dup.yml") +
                 ":6:5: duplicate key 'action' (first at line 5, column 5)");
  BOOST_TEST(file_error(dir, "two.yaml",
                        valid_head + "  a: {action: core.noop}\n---\nname: u\n") ==
             path("two.yaml") +
                 ":5:1: a second document: a file holds one YAML document");
  BOOST_TEST(starts_with(
      file_error(dir, "tag.yaml", valid_head + "  a: !!python/object:os.system {}\n"),
      path("tag.yaml") + ":4:6: tag '!!python/object:os.system' is "
                         "not supported"));
  BOOST_TEST(
      starts_with(file_error(dir, "anchor.yaml",
                             valid_head + "  a: &t {action: core.noop}\n  b: *t\n"),
                  path("anchor.yaml") + ":4:6: anchors (&"));
  BOOST_TEST(
      starts_with(file_error(dir, "key.yaml", valid_head + "  1: {action: core.noop}\n"),
                  path("key.yaml") + ":4:3: a key must be a string, found integer"));
}

BOOST_AUTO_TEST_CASE(on_and_yes_are_strings_not_booleans) {
  auto doc = parse_definition_document(
      valid_head +
          "  a:\n    action: core.echo\n    input: {message: on}\n"
          "output: {answer: yes}\n",
      "wf.yaml", definition_format::yaml);
  BOOST_TEST_REQUIRE(doc.is_ok(), doc.error().message());
  auto d = load_definition(*doc, actions());
  BOOST_TEST_REQUIRE(d.is_ok(), d.error().message());
  BOOST_TEST((*d)->document["tasks"]["a"]["input"]["message"] == json("on"));
  BOOST_TEST((*d)->document["output"]["answer"] == json("yes"));
}

BOOST_AUTO_TEST_CASE(a_json_document_keeps_its_errors_as_they_were) {
  auto doc = parse_definition_document(R"({"version": 1, "name": "t", "tasks": 3})",
                                       "wf.json", definition_format::json);
  BOOST_TEST_REQUIRE(doc.is_ok());
  auto d = load_definition(*doc, actions());
  BOOST_TEST_REQUIRE(!d.is_ok());
  BOOST_TEST(d.error().message() ==
             "wf.json: $.tasks: expected a non-empty object of tasks");
}

BOOST_AUTO_TEST_CASE(the_directory_has_one_file_per_workflow_name) {
  temp_dir dir("yaml-lib");
  std::ofstream(dir.file("a.yaml")) << "version: 1\nname: a\ntasks:\n  x: {action: 3}\n";
  std::ofstream(dir.file("b.json"))
      << R"({"version": 1, "name": "b", "tasks": {"x": {"action": "core.noop"}}})";
  std::ofstream(dir.file("b.yml"))
      << "version: 1\nname: b\ntasks: {x: {action: core.noop}}\n";
  auto a = read_named_workflow(dir.path(), "a");
  BOOST_TEST_REQUIRE(a.is_ok(), a.error().message());
  BOOST_TEST(a->source == "a.yaml");
  auto loaded = load_definition(*a, actions());
  BOOST_TEST_REQUIRE(!loaded.is_ok());
  BOOST_TEST(loaded.error().message() ==
             "a.yaml:4:7: $.tasks.x.action: expected a string, found a number");
  auto b = read_named_workflow(dir.path(), "b");
  BOOST_TEST_REQUIRE(!b.is_ok());
  BOOST_TEST(b.error().message() ==
             "workflow 'b' has more than one file: b.json, b.yml (keep one)");
  auto none = read_named_workflow(dir.path(), "c");
  BOOST_TEST_REQUIRE(!none.is_ok());
  BOOST_TEST(starts_with(none.error().message(), "no workflow 'c' ("));
  auto list = list_workflows(dir.path(), actions());
  BOOST_TEST_REQUIRE(list.size() == 3u);
  BOOST_TEST(list[0]["file"] == json(dir.file("a.yaml")));
  BOOST_TEST(list[0]["valid"] == json(false));
  BOOST_TEST(starts_with(std::string(list[0]["error"].as_string()),
                         dir.file("a.yaml") + ":4:7: $.tasks.x.action"));
  for (std::size_t i : {1, 2}) {
    BOOST_TEST(list[i]["name"] == json("b"));
    BOOST_TEST(list[i]["error"] ==
               json("workflow 'b' has more than one file: b.json, b.yml (keep one)"));
  }
}
