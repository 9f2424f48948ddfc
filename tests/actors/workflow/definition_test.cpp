// Loading workflow definitions: every kind of error names the JSON path and
// nothing is returned; valid definitions resolve joins and start tasks.
#define BOOST_TEST_MODULE workflow_definition
#include "actors/workflow/definition.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "actors/common/action.hpp"
#include "actors/workflow/action_core.hpp"

using troupe::json;
using namespace troupe::workflow;

namespace {

const action_registry& actions() {
  static action_registry r = core_actions();
  return r;
}

troupe::result<definition_ptr> load(const std::string& text) {
  return parse_definition(text, "wf.json", actions());
}

// The error of loading `text`; fails the test if it loads.
std::string error_of(const std::string& text) {
  auto d = load(text);
  BOOST_REQUIRE_MESSAGE(!d, "expected an error for " + text);
  return d.error().message();
}

bool contains(const std::string& s, const std::string& part) {
  bool ok = s.find(part) != std::string::npos;
  if (!ok) BOOST_TEST_MESSAGE("'" << part << "' not in: " << s);
  return ok;
}

std::string with_tasks(const std::string& tasks, const std::string& extra = "") {
  return R"({"version": 1, "name": "t", )" + extra + R"("tasks": )" + tasks + "}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_example_of_the_issue_loads) {
  auto d = load(R"({
    "version": 1, "name": "deploy", "description": "optional",
    "input": {"hosts": [], "release": "v1"}, "vars": {"deployed": 0},
    "tasks": {
      "check": {"action": "core.shell", "input": {"argv": ["ping", "-c1", "{{ item }}"]},
                "with_items": "{{ parameters.hosts }}", "concurrency": 10,
                "retry": {"count": 3, "delay": 1, "backoff": "exponential", "max_delay": 30},
                "timeout": 30,
                "next": [{"when": "{{ succeeded() }}", "publish": {"ok": "{{ result() }}"}, "do": ["deploy"]},
                         {"when": "{{ failed() }}", "do": ["notify"]}]},
      "deploy": {"action": "core.echo", "input": {"message": "{{ vars.ok }}"}, "join": "all"},
      "notify": {"action": "core.noop"}
    },
    "output": {"result": "{{ task.deploy.result }}"}})");
  BOOST_REQUIRE_MESSAGE(d, d.error().message());
  auto& def = **d;
  BOOST_TEST(def.tasks.size() == 3u);
  BOOST_TEST(def.start_tasks.size() == 1u);
  BOOST_TEST(def.tasks[def.start_tasks[0]].name == "check");
  BOOST_TEST(def.find("deploy")->join == 1u);  // "all" = one inbound task
  BOOST_TEST(def.find("check")->retry.count == 3u);
  BOOST_TEST(def.find("check")->retry.delay_before(3).count() == 4000);
  BOOST_TEST(def.find("check")->timeout->count() == 30000);
}

BOOST_AUTO_TEST_CASE(shape_errors_name_the_path) {
  BOOST_TEST(contains(error_of("[1]"), "wf.json: $: expected a workflow object"));
  BOOST_TEST(
      contains(error_of(R"({"name": "t", "tasks": {"a": {"action": "core.noop"}}})"),
               "wf.json: $.version: missing, expected 1"));
  BOOST_TEST(contains(
      error_of(R"({"version": 2, "name": "t", "tasks": {"a": {"action": "core.noop"}}})"),
      "$.version: expected an integer from 1 to 1, found 2"));
  BOOST_TEST(contains(error_of(with_tasks(R"({"a": {"input": {}}})")),
                      "$.tasks.a.action: missing, expected a string"));
  BOOST_TEST(contains(error_of(with_tasks(R"({"a": {"action": ""}})")),
                      "$.tasks.a.action: must not be empty"));
  BOOST_TEST(contains(
      error_of(with_tasks(R"({"a": {"action": "core.noop"}})", R"("colour": 1, )")),
      "$.colour: unknown field 'colour'"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"a": {"action": "core.noop", "retries": 3}})")),
               "$.tasks.a.retries: unknown field 'retries'"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"a": {"action": "core.noop", "timeout": -1}})")),
               "$.tasks.a.timeout: must be > 0 seconds"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"a": {"action": "core.noop", "timeout": "5"}})")),
               "$.tasks.a.timeout: expected a number of seconds, found a string"));
  // null is a value like any other in a definition, not the default.
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"a": {"action": "core.noop", "timeout": null}})")),
               "$.tasks.a.timeout: expected a number of seconds, found null"));
  BOOST_TEST(contains(
      error_of(with_tasks(R"({"a": {"action": "core.noop", "description": null}})")),
      "$.tasks.a.description: expected a string, found null"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.noop", "retry": {"count": 2, "backoff": "fib"}}})")),
      "$.tasks.a.retry.backoff: unknown backoff 'fib'"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"a": {"action": "core.noop", "join": "some"}})")),
               "$.tasks.a.join: expected \"all\" or an integer"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({})")), "$.tasks: expected a non-empty object"));
  BOOST_TEST(contains(
      error_of(with_tasks(R"({"a": {"action": "core.noop", "concurrency": 4}})")),
      "$.tasks.a.concurrency: only a task with with_items"));
  BOOST_TEST(contains(error_of(with_tasks(R"({"a": {"action": "core.noop"}})",
                                          R"("vars": {"x": "{{ 1 }}"}, )")),
                      "$.vars.x: initial values are literals"));
  BOOST_TEST(contains(error_of("{\"version\": 1,"), "wf.json:1:"));  // syntax: line:col
}

BOOST_AUTO_TEST_CASE(actions_and_their_inputs_are_checked) {
  BOOST_TEST(contains(error_of(with_tasks(R"({"a": {"action": "core.shel"}})")),
                      "$.tasks.a.action: unknown action 'core.shel'"));
  BOOST_TEST(contains(
      error_of(
          with_tasks(R"({"a": {"action": "core.shell", "input": {"agrv": ["ls"]}}})")),
      "$.tasks.a.input: unknown input field 'agrv'"));
  BOOST_TEST(contains(
      error_of(
          with_tasks(R"({"a": {"action": "core.shell", "input": {"argv": "ls -l"}}})")),
      "field 'argv': expected a non-empty list of strings"));
  BOOST_TEST(contains(
      error_of(
          with_tasks(R"({"a": {"action": "core.shell", "input": {"command": "ls"}}})")),
      "field 'command': only with \"shell\": true"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"a": {"action": "core.sleep", "input": {}}})")),
               "missing input field 'seconds'"));
  // A template where a literal is checked is accepted: its value comes later.
  BOOST_TEST(
      load(
          with_tasks(
              R"({"a": {"action": "core.shell", "input": {"argv": "{{ parameters.argv }}"}}})",
              R"("input": {"argv": ["true"]}, )"))
          .is_ok());
}

BOOST_AUTO_TEST_CASE(templates_are_compiled_and_their_names_checked) {
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.echo", "input": {"message": "{{ 1 + }}"}}})")),
      "$.tasks.a.input.message: "));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.echo", "input": {"message": "{{ paramters.x }}"}}})")),
      "$.tasks.a.input: unknown name 'paramters'"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.echo", "input": {"message": "{{ item }}"}}})")),
      "'item' exists only in the input of a task with with_items"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.echo", "input": {"message": "{{ result() }}"}}})")),
      "result(), succeeded() and failed() exist only in a task's next"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.noop", "next": [{"when": "{{ succeeded( }}"}]}})")),
      "$.tasks.a.next[0].when: "));
  BOOST_TEST(contains(
      error_of(
          with_tasks(R"({"a": {"action": "core.noop", "with_items": "{{ item }}"}})")),
      "$.tasks.a.with_items: unknown name 'item'"));
  BOOST_TEST(contains(error_of(with_tasks(R"({"a": {"action": "core.noop"}})",
                                          R"("output": {"x": "{{ failed() }}"}, )")),
                      "$.output: result(), succeeded() and failed()"));
}

BOOST_AUTO_TEST_CASE(graph_errors) {
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.noop", "next": [{"do": ["b", "c"]}]}, "b": {"action": "core.noop"}})")),
      "$.tasks.a.next[0].do[1]: unknown task 'c' (tasks: a, b)"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"a": {"action": "core.noop", "next": [{"do": "b"}]}, "b": {"action": "core.noop", "next": [{"do": "a"}]}})")),
      "no task starts the workflow"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"s": {"action": "core.noop", "next": [{"do": "a"}]}, "a": {"action": "core.noop", "next": [{"do": "b"}]}, "b": {"action": "core.noop", "next": [{"do": "a"}]}})")),
      "cycle without an exit: a -> b -> a"));
  BOOST_TEST(contains(
      error_of(with_tasks(
          R"({"s": {"action": "core.noop"}, "a": {"action": "core.noop", "next": [{"when": "{{ true }}", "do": "b"}]}, "b": {"action": "core.noop", "next": [{"do": "a"}]}})")),
      "$.tasks.a: task 'a' can never run"));
  BOOST_TEST(
      contains(error_of(with_tasks(R"({"s": {"action": "core.noop", "join": "all"}})")),
               "$.tasks.s.join: \"all\" on a task that no transition leads to"));
  // A loop with a condition is fine.
  BOOST_TEST(
      load(
          with_tasks(
              R"({"s": {"action": "core.noop", "next": [{"do": "a"}]}, "a": {"action": "core.noop", "next": [{"when": "{{ vars.n < 3 }}", "do": "a"}]}})"))
          .is_ok());
}

BOOST_AUTO_TEST_CASE(parameters_bind_over_defaults) {
  auto d = load(with_tasks(R"({"a": {"action": "core.noop"}})",
                           R"("input": {"hosts": [], "release": "v1"}, )"));
  BOOST_REQUIRE(d);
  auto p = bind_parameters(**d, *json::parse(R"({"release": "v2"})"));
  BOOST_REQUIRE(p);
  BOOST_TEST(*p == *json::parse(R"({"hosts": [], "release": "v2"})"));
  auto bad = bind_parameters(**d, *json::parse(R"({"relase": "v2"})"));
  BOOST_REQUIRE(!bad);
  BOOST_TEST(
      contains(bad.error().message(),
               "unknown parameter 'relase' (workflow t declares: hosts, release)"));
}

BOOST_AUTO_TEST_CASE(retry_delays) {
  retry_policy r;
  r.delay = std::chrono::milliseconds(100);
  r.backoff = backoff_kind::linear;
  BOOST_TEST(r.delay_before(3).count() == 300);
  r.backoff = backoff_kind::exponential;
  BOOST_TEST(r.delay_before(1).count() == 100);
  BOOST_TEST(r.delay_before(4).count() == 800);
  r.max_delay = std::chrono::milliseconds(500);
  BOOST_TEST(r.delay_before(4).count() == 500);
  BOOST_TEST(r.delay_before(1000).count() == 500);  // no overflow
}
