// The workflow engine inside a real node: the /api/v1/runs API, and crash
// safety — kill -9 the node in the middle of a workflow, start it again on
// the same data directory, and the execution resumes: tasks that completed
// do not run again, the task that was in flight runs again (at-least-once),
// and the run ends with every task succeeded exactly once in its record.
// A core.workflow task in flight at the kill (in its first attempt or in a
// retry) finds the child execution it had started instead of a second one.
// core.http sends a [workflow.secrets] secret that stays out of the run's
// status and the node's log; an unreadable secret file stops the node.
#define BOOST_TEST_MODULE workflow_node_test
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "runtime/services/http/server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/runs.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(api_runs_named_and_inline_workflows_and_reports_errors) {
  temp_dir dir("wf-api");
  std::ofstream(dir.file("echo.json"))
      << R"({"version": 1, "name": "echo", "input": {"x": 1},
             "tasks": {"a": {"action": "core.echo", "input": {"message": "{{ parameters.x * 2 }}"}}},
             "output": {"y": "{{ task.a.result }}"}})";
  std::ofstream(dir.file("broken.json"))
      << R"({"version": 1, "name": "broken", "tasks": {}})";
  node_process node({"--workflow.workflows-dir=" + dir.path()}, dir.path());
  auto r = http_once(node.http(), "POST", "/api/v1/runs",
                     R"({"workflow": "echo", "parameters": {"x": 21}})");
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto id = std::string(body_of(r)["id"].as_string());
  auto done = await_final(node.http(), id);
  BOOST_TEST(done["state"] == json("succeeded"));
  BOOST_TEST(done["output"]["y"] == json(42));

  auto bad = http_once(
      node.http(), "POST", "/api/v1/runs",
      R"({"definition": {"version": 1, "name": "x", "tasks": {"a": {"action": "core.nope"}}}})");
  BOOST_TEST(bad.status == 422);
  BOOST_TEST(bad.body.find("inline: $.tasks.a.action: unknown action 'core.nope'") !=
                 std::string::npos,
             bad.body);
  BOOST_TEST(
      http_once(node.http(), "POST", "/api/v1/runs", R"({"workflow": "../etc/passwd"})")
          .status == 422);
  BOOST_TEST(http_once(node.http(), "POST", "/api/v1/runs",
                       R"({"workflow": "echo", "extra": 1})")
                 .status == 400);
  BOOST_TEST(http_once(node.http(), "POST", "/api/v1/runs", "{").status == 400);
  BOOST_TEST(http_once(node.http(), "GET", "/api/v1/runs/nope").status == 404);
  BOOST_TEST(http_once(node.http(), "POST", "/api/v1/runs/" + id + "/cancel").status ==
             409);

  auto list = body_of(http_once(node.http(), "GET", "/api/v1/workflows"));
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0]["name"] == json("broken"));
  BOOST_TEST(list[0]["valid"] == json(false));
  BOOST_TEST(list[1]["valid"] == json(true));
  auto runs = body_of(http_once(node.http(), "GET", "/api/v1/runs"));
  BOOST_REQUIRE(runs.size() >= 1u);
  BOOST_TEST(runs[0]["id"] == json(id));
  auto metrics = http_once(node.http(), "GET", "/metrics").body;
  BOOST_TEST(metrics.find("troupe_workflow_tasks_total{outcome=\"succeeded\"} 1") !=
             std::string::npos);
  BOOST_TEST(metrics.find("troupe_workflow_executions_total{state=\"succeeded\"} 1") !=
             std::string::npos);
}

// YAML definitions over the API: a named .yaml file of the directory, an
// inline definition in a body sent as Content-Type: application/yaml, a YAML
// file run by core.workflow; bad YAML and invalid definitions are answered
// 400 and 422 naming line and column.
BOOST_AUTO_TEST_CASE(api_runs_yaml_definitions_and_places_their_errors) {
  temp_dir dir("wf-yaml");
  std::ofstream(dir.file("greet.yaml"))
      << "version: 1\n"
         "name: greet\n"
         "input: {x: 1}\n"
         "tasks:\n"
         "  a:\n"
         "    action: core.echo\n"
         "    input: {message: \"{{ parameters.x * 2 }}\"}\n"
         "output: {y: \"{{ task.a.result }}\"}\n";
  std::ofstream(dir.file("bad-type.yml")) << "version: 1\n"
                                             "name: bad-type\n"
                                             "tasks:\n"
                                             "  a: {action: 3}\n";
  std::ofstream(dir.file("parent.json"))
      << R"({"version": 1, "name": "parent", "input": {"child": "greet"},
             "tasks": {"call": {"action": "core.workflow",
                                "input": {"workflow": "{{ parameters.child }}",
                                          "parameters": {"x": 5}}}},
             "output": {"child": "{{ task.call.result }}"}})";
  node_process node({"--workflow.workflows-dir=" + dir.path()}, dir.path());
  auto named = http_once(node.http(), "POST", "/api/v1/runs",
                         R"({"workflow": "greet", "parameters": {"x": 21}})");
  BOOST_REQUIRE_MESSAGE(named.status == 201, named.body);
  auto done = await_final(node.http(), std::string(body_of(named)["id"].as_string()));
  BOOST_TEST(done["state"] == json("succeeded"));
  BOOST_TEST(done["output"]["y"] == json(42));

  const std::vector<std::pair<std::string, std::string>> yaml{
      {"Content-Type", "application/yaml; charset=utf-8"}};
  auto post_yaml = [&](const std::string& body) {
    return http_once(node.http(), "POST", "/api/v1/runs", body, yaml);
  };
  auto inline_run = post_yaml(
      "definition:\n"
      "  version: 1\n"
      "  name: inline-yaml\n"
      "  input: {who: nobody}\n"
      "  tasks:\n"
      "    a:\n"
      "      action: core.echo\n"
      "      input: {message: \"{{ parameters.who }}\"}\n"
      "  output: {said: \"{{ task.a.result }}\", flag: on}\n"
      "parameters:\n"
      "  who: yaml\n");
  BOOST_REQUIRE_MESSAGE(inline_run.status == 201, inline_run.body);
  done = await_final(node.http(), std::string(body_of(inline_run)["id"].as_string()));
  BOOST_TEST(done["state"] == json("succeeded"));
  BOOST_TEST(done["output"]["said"] == json("yaml"));
  BOOST_TEST(done["output"]["flag"] == json("on"));  // a string, not a boolean

  auto detail = [](const troupe::testing::http_reply& r) {
    return std::string(body_of(r)["detail"].as_string());
  };
  auto invalid = post_yaml(
      "definition:\n  version: 1\n  name: x\n  tasks:\n    a: {action: core.nope}\n");
  BOOST_TEST(invalid.status == 422);
  BOOST_TEST(detail(invalid).rfind("inline:5:9: $.tasks.a.action: unknown action "
                                   "'core.nope'",
                                   0) == 0,
             invalid.body);
  auto syntax = post_yaml("definition: [\n");
  BOOST_TEST(syntax.status == 400);
  BOOST_TEST(detail(syntax).rfind("request body:2:1: ", 0) == 0, syntax.body);
  auto unknown = post_yaml("workflow: greet\nextra: 1\n");
  BOOST_TEST(unknown.status == 400);
  BOOST_TEST(
      detail(unknown).rfind("request body:2:1: $.extra: unknown field 'extra'", 0) == 0,
      unknown.body);
  auto duplicate = post_yaml("workflow: greet\nparameters: {}\nworkflow: greet\n");
  BOOST_TEST(duplicate.status == 400);
  BOOST_TEST(detail(duplicate) ==
                 "request body:3:1: duplicate key 'workflow' (first at line 1, column 1)",
             duplicate.body);
  auto tagged = post_yaml("workflow: !!python/object:os.system greet\n");
  BOOST_TEST(tagged.status == 400);
  BOOST_TEST(
      detail(tagged).rfind("request body:1:11: tag '!!python/object:os.system'", 0) == 0,
      tagged.body);
  // Without the YAML Content-Type a body is JSON, as before.
  BOOST_TEST(http_once(node.http(), "POST", "/api/v1/runs", "workflow: greet\n").status ==
             400);

  auto bad_file =
      http_once(node.http(), "POST", "/api/v1/runs", R"({"workflow": "bad-type"})");
  BOOST_TEST(bad_file.status == 422);
  BOOST_TEST(detail(bad_file) ==
                 "bad-type.yml:4:7: $.tasks.a.action: expected a string, found a number",
             bad_file.body);

  // core.workflow finds YAML files by name too, and places their errors.
  auto parent =
      http_once(node.http(), "POST", "/api/v1/runs", R"({"workflow": "parent"})");
  BOOST_REQUIRE_MESSAGE(parent.status == 201, parent.body);
  done = await_final(node.http(), std::string(body_of(parent)["id"].as_string()));
  BOOST_TEST(done["state"] == json("succeeded"));
  BOOST_TEST(done["output"]["child"]["y"] == json(10));
  parent = http_once(node.http(), "POST", "/api/v1/runs",
                     R"({"workflow": "parent", "parameters": {"child": "bad-type"}})");
  BOOST_REQUIRE_MESSAGE(parent.status == 201, parent.body);
  done = await_final(node.http(), std::string(body_of(parent)["id"].as_string()));
  BOOST_TEST(done["state"] == json("failed"));
  BOOST_TEST(done.dump().find("bad-type.yml:4:7: $.tasks.a.action: expected a string") !=
                 std::string::npos,
             done.dump());

  auto list = body_of(http_once(node.http(), "GET", "/api/v1/workflows"));
  BOOST_REQUIRE(list.size() == 3u);
  BOOST_TEST(list[0]["name"] == json("bad-type"));
  BOOST_TEST(list[0]["valid"] == json(false));
  BOOST_TEST(list[1]["name"] == json("greet"));
  BOOST_TEST(list[1]["valid"] == json(true));
}

BOOST_AUTO_TEST_CASE(a_workflow_scales_a_pool_through_fleet_scale) {
  temp_dir dir("wf-fleet");
  std::ofstream(dir.file("node.ini"))
      << "[fleet.pools]\nsim={\n  max=10\n  provider=\"sim\"\n"
      << "  sim-latency=10ms\n}\n";
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.path());
  // A pool answers with its recovered state only once it listed its provider.
  await_json(node.http(), "/api/v1/pools/sim",
             [](const json& pool) { return pool["ready"].as_bool(); });
  auto r = http_once(node.http(), "POST", "/api/v1/runs",
                     R"({"definition": {"version": 1, "name": "grow",
      "tasks": {"scale": {"action": "fleet.scale", "input": {"pool": "sim", "replicas": 3}}},
      "output": {"desired": "{{ task.scale.result.desired }}"}}})");
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto done = await_final(node.http(), std::string(body_of(r)["id"].as_string()));
  BOOST_TEST(done["state"] == json("succeeded"), done.dump());
  BOOST_TEST(done["output"]["desired"] == json(3), done.dump());
  auto pool = body_of(http_once(node.http(), "GET", "/api/v1/pools/sim"));
  BOOST_TEST(pool["desired"] == json(3));
}

BOOST_AUTO_TEST_CASE(a_workflow_submits_commits_through_bench_submit) {
  temp_dir dir("wf-bench");
  node_process node({}, dir.path());
  auto doc = R"({"definition": {"version": 1, "name": "submit",
      "input": {"commits": []},
      "tasks": {"send": {"action": "bench.submit", "input": {"commits": "{{ parameters.commits }}"}}},
      "output": {"intake": "{{ task.send.result }}"}},
    "parameters": {"commits": [{"sha": "aaaa1111", "branch": "main", "message": "one"},
                               {"sha": "bbbb2222", "parent": "aaaa1111", "branch": "main", "message": "two"}]}})";
  auto first = await_final(
      node.http(),
      std::string(body_of(http_once(node.http(), "POST", "/api/v1/runs", doc))["id"]
                      .as_string()));
  BOOST_TEST(first["state"] == json("succeeded"), first.dump());
  BOOST_TEST(first["output"]["intake"]["accepted"] == json(2), first.dump());
  auto again = await_final(
      node.http(),
      std::string(body_of(http_once(node.http(), "POST", "/api/v1/runs", doc))["id"]
                      .as_string()));
  BOOST_TEST(again["output"]["intake"]["duplicates"] == json(2), again.dump());
  auto bad = await_final(
      node.http(),
      std::string(body_of(http_once(
          node.http(), "POST", "/api/v1/runs",
          R"({"definition": {"version": 1, "name": "bad", "tasks": {"send": {"action": "bench.submit",
          "input": {"commits": [{"sha": "not hex", "branch": "main"}]}}}}})"))["id"]
                      .as_string()));
  BOOST_TEST(bad["state"] == json("failed"));
  BOOST_TEST(bad["errors"][0].as_string().find("bench.submit: commits[0].sha") !=
                 std::string_view::npos,
             bad.dump());
}

BOOST_AUTO_TEST_CASE(kill9_mid_workflow_resumes_without_rerunning_completed_tasks) {
  temp_dir dir("wf-kill");
  auto log = dir.file("ran.log");
  // t1 -> t2 (with-items, 4 items) -> t3 -> ... -> t8; each appends its
  // name to the log when it starts and takes 300 ms.
  std::ostringstream def;
  def << R"({"version": 1, "name": "chain", "tasks": {)";
  for (int i = 1; i <= 8; ++i) {
    auto name = "t" + std::to_string(i);
    def << (i > 1 ? "," : "") << "\"" << name << "\": {\"action\": \"core.shell\", ";
    if (i == 2) def << R"("with_items": "{{ range(4) }}", "concurrency": 4, )";
    def << R"("input": {"argv": ["sh", "-c", "echo $1 >> )" << log
        << R"(; sleep 0.3", "sh", ")" << name << (i == 2 ? "-{{ item }}" : "") << "\"]}";
    if (i < 8) def << ", \"next\": [{\"do\": \"t" << i + 1 << "\"}]";
    def << "}";
  }
  def << R"(}, "output": {"last": "{{ task.t8.result.exit_code }}"}})";
  std::ofstream(dir.file("chain.json")) << def.str();

  std::vector<std::string> args{"--workflow.workflows-dir=" + dir.path()};
  std::optional<node_process> node(std::in_place, args, dir.path());
  auto r = http_once(node->http(), "POST", "/api/v1/runs", R"({"workflow": "chain"})");
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto id = std::string(body_of(r)["id"].as_string());
  // Kill it while t5 runs.
  for (int i = 0; i < 400; ++i) {
    auto l = lines_of(log);
    if (!l.empty() && l.back() == "t5") break;
    std::this_thread::sleep_for(10ms);
  }
  node->proc().signal(SIGKILL);
  BOOST_REQUIRE(node->proc().wait_exit(10s));
  auto before = lines_of(log);
  BOOST_REQUIRE(!before.empty());
  BOOST_TEST_MESSAGE("ran before the kill: " << before.size() << " starts, last "
                                             << before.back());

  node.emplace(args, dir.path());
  auto done = await_final(node->http(), id);
  BOOST_TEST(done["state"] == json("succeeded"), done.dump());
  BOOST_TEST(done["output"]["last"] == json(0));

  std::map<std::string, int> starts;
  for (auto& l : lines_of(log)) ++starts[l];
  // Everything that had completed before the kill ran once; the task in
  // flight at the kill (t5) ran at most twice; the rest once.
  for (auto name : {"t1", "t2-0", "t2-1", "t2-2", "t2-3", "t3", "t4", "t6", "t7", "t8"})
    BOOST_TEST(starts[name] == 1, name << " started " << starts[name] << " times");
  // t5 was running at the kill (t6 had not started): it runs again.
  bool t6_before = std::find(before.begin(), before.end(), "t6") != before.end();
  BOOST_TEST(before.back() == "t5");
  if (!t6_before) BOOST_TEST(starts["t5"] == 2);
  // The record: one execution of each task, all succeeded.
  BOOST_TEST(done["tasks"].size() == 8u, done["tasks"].dump());
  for (auto& t : done["tasks"].items())
    BOOST_TEST(t["state"] == json("succeeded"), t.dump());
  BOOST_TEST(done["tasks"][1]["items_total"] == json(4));
}

BOOST_AUTO_TEST_CASE(kill9_mid_sub_workflow_resumes_the_same_child) {
  temp_dir dir("wf-kill-child");
  auto log = dir.file("ran.log");
  auto step = [&](const std::string& name, const char* sleep, const std::string& next) {
    return R"({"action": "core.shell", "input": {"argv": ["sh", "-c", "echo )" + name +
           " >> " + log + "; sleep " + sleep + R"("]})" + next + "}";
  };
  // The parent's one task runs a child workflow: a, then b (slow).
  auto child = R"({"version": 1, "name": "child", "tasks": {"a": )" +
               step("a", "0", R"(, "next": [{"do": "b"}])") + R"(, "b": )" +
               step("b", "1.5", "") + "}}";
  std::ofstream(dir.file("parent.json"))
      << R"({"version": 1, "name": "parent", "tasks": {"run": {"action": "core.workflow", "input": {"definition": )"
      << child << R"(}}}, "output": {"child": "{{ task.run.result }}"}})";

  std::vector<std::string> args{"--workflow.workflows-dir=" + dir.path()};
  std::optional<node_process> node(std::in_place, args, dir.path());
  auto r = http_once(node->http(), "POST", "/api/v1/runs", R"({"workflow": "parent"})");
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto id = std::string(body_of(r)["id"].as_string());
  // Kill it while the child's b runs.
  for (int i = 0; i < 400; ++i) {
    auto l = lines_of(log);
    if (!l.empty() && l.back() == "b") break;
    std::this_thread::sleep_for(10ms);
  }
  BOOST_REQUIRE(lines_of(log) == (std::vector<std::string>{"a", "b"}));
  node->proc().signal(SIGKILL);
  BOOST_REQUIRE(node->proc().wait_exit(10s));

  node.emplace(args, dir.path());
  auto done = await_final(node->http(), id);
  BOOST_TEST(done["state"] == json("succeeded"), done.dump());
  // The parent's task ran again and found the child it had started: a did
  // not run again (a second child would run it); b, in flight at the kill,
  // ran again when the child resumed.
  BOOST_TEST(lines_of(log) == (std::vector<std::string>{"a", "b", "b"}));
}

BOOST_AUTO_TEST_CASE(kill9_during_a_retried_sub_workflow_resumes_that_attempts_child) {
  temp_dir dir("wf-kill-retry");
  auto log = dir.file("ran.log");
  auto marker = dir.file("failed-once");
  // The child's a fails the first time (no marker yet), so the parent's task
  // retries: its second child passes a and runs b (slow).
  auto child =
      R"({"version": 1, "name": "child", "tasks": {)"
      R"("a": {"action": "core.shell", "input": {"argv": ["sh", "-c", "echo a >> )" +
      log + "; if [ -e " + marker + " ]; then exit 0; fi; touch " + marker +
      R"(; exit 1"]},)"
      R"( "next": [{"when": "{{ succeeded() }}", "do": "b"}]},)"
      R"("b": {"action": "core.shell", "input": {"argv": ["sh", "-c", "echo b >> )" +
      log + R"(; sleep 1.5"]}}}})";
  std::ofstream(dir.file("parent.json"))
      << R"({"version": 1, "name": "parent", "tasks": {"run": {"action": "core.workflow",)"
      << R"( "retry": {"count": 1, "delay": 0.1}, "input": {"definition": )" << child
      << R"(}}}})";

  std::vector<std::string> args{"--workflow.workflows-dir=" + dir.path()};
  std::optional<node_process> node(std::in_place, args, dir.path());
  auto r = http_once(node->http(), "POST", "/api/v1/runs", R"({"workflow": "parent"})");
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto id = std::string(body_of(r)["id"].as_string());
  // Kill it while the second child's b runs.
  for (int i = 0; i < 500; ++i) {
    auto l = lines_of(log);
    if (!l.empty() && l.back() == "b") break;
    std::this_thread::sleep_for(10ms);
  }
  BOOST_REQUIRE(lines_of(log) == (std::vector<std::string>{"a", "a", "b"}));
  node->proc().signal(SIGKILL);
  BOOST_REQUIRE(node->proc().wait_exit(10s));

  node.emplace(args, dir.path());
  auto done = await_final(node->http(), id);
  BOOST_TEST(done["state"] == json("succeeded"), done.dump());
  // The rerun task took the first child's failure and then found the second
  // child, which resumed (its b, in flight at the kill, ran again): no third
  // child, so a ran twice in all.
  BOOST_TEST(lines_of(log) == (std::vector<std::string>{"a", "a", "b", "b"}));
}

BOOST_AUTO_TEST_CASE(sigterm_with_live_executions_exits_and_they_resume) {
  temp_dir dir("wf-term");
  std::vector<std::string> args;
  std::optional<node_process> node(std::in_place, args, dir.path());
  auto doc = R"({"definition": {"version": 1, "name": "held",
      "tasks": {"a": {"action": "core.noop", "next": [{"do": "b"}]},
                "b": {"action": "core.shell", "input": {"argv": ["sleep", "30"]}}}}})";
  auto r = http_once(node->http(), "POST", "/api/v1/runs", doc);
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto running = std::string(body_of(r)["id"].as_string());
  auto p = http_once(node->http(), "POST", "/api/v1/runs",
                     R"({"definition": {"version": 1, "name": "paused",
      "tasks": {"a": {"action": "core.sleep", "input": {"seconds": 0.2}, "next": [{"do": "b"}]},
                "b": {"action": "core.noop"}}}})");
  BOOST_REQUIRE(p.status == 201);
  auto paused = std::string(body_of(p)["id"].as_string());
  BOOST_REQUIRE(
      http_once(node->http(), "POST", "/api/v1/runs/" + paused + "/pause").status == 200);
  // Its a ends; b waits for the resume.
  await_json(node->http(), "/api/v1/runs/" + paused,
             [](const json& run) { return run["progress"]["tasks_done"].as_int() == 1; });
  node->proc().signal(SIGTERM);
  auto code = node->proc().wait_exit(20s);
  BOOST_REQUIRE_MESSAGE(code, "the node did not exit after SIGTERM with live executions");
  BOOST_TEST(*code == 0);

  node.emplace(args, dir.path());
  auto after =
      body_of(http_once(node->http(), "POST", "/api/v1/runs/" + paused + "/resume", ""));
  BOOST_TEST(after["state"] == json("running"), after.dump());
  auto done = await_final(node->http(), paused);
  BOOST_TEST(done["state"] == json("succeeded"), done.dump());
  auto still = body_of(http_once(node->http(), "GET", "/api/v1/runs/" + running));
  BOOST_TEST(still["state"] == json("running"), still.dump());  // resumed: b runs again
  BOOST_TEST(
      http_once(node->http(), "POST", "/api/v1/runs/" + running + "/cancel").status ==
      200);
  BOOST_TEST(await_final(node->http(), running)["state"] == json("canceled"));
  BOOST_TEST(http_once(node->http(), "POST", "/api/v1/runs/nope/cancel").status == 404);
}

BOOST_AUTO_TEST_CASE(core_http_secret_reaches_the_server_but_not_the_run_or_the_log) {
  temp_dir dir("wf-http");
  const std::string secret = "node-secret-0123456789";
  std::ofstream(dir.file("token")) << secret << "\n";
  std::ofstream(dir.file("node.ini"))
      << "[log]\nlevel=\"debug\"\n[workflow.secrets]\napi_token=\"" << dir.file("token")
      << "\"\n";
  std::mutex mu;
  std::string seen;
  troupe::http_options o;
  o.listen = "127.0.0.1:0";
  troupe::http_server api(o);
  api.route(
      "POST", "/status",
      [&](const troupe::http_request& q, troupe::http_responder respond) {
        {
          std::lock_guard<std::mutex> lock(mu);
          seen = q.header("authorization").value_or("") + " " + q.body;
        }
        respond(troupe::json_response(R"({"accepted": true})", 201));
      },
      troupe::http_access::open);
  auto bound = api.start();
  BOOST_REQUIRE_MESSAGE(bound, bound.error().message());
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.path());
  auto r = http_once(node.http(), "POST", "/api/v1/runs", R"({"definition": {"version": 1,
      "name": "notify", "tasks": {"post": {"action": "core.http", "input": {
        "method": "POST", "url": "http://)" + *bound + R"(/status",
        "secret_headers": {"Authorization": {"secret": "api_token", "prefix": "token "}},
        "body": {"state": "success"}, "expected_status": [201]}}},
      "output": {"answer": "{{ task.post.result.body }}"}}})");
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  auto id = std::string(body_of(r)["id"].as_string());
  auto done = await_final(node.http(), id);
  BOOST_TEST(done["state"] == json("succeeded"), done.dump());
  BOOST_TEST(done["output"]["answer"]["accepted"] == json(true));
  {
    std::lock_guard<std::mutex> lock(mu);
    BOOST_TEST(seen == "token " + secret + R"( {"state":"success"})");
  }
  auto stored = http_once(node.http(), "GET", "/api/v1/runs/" + id).body;
  BOOST_TEST(stored.find(secret) == std::string::npos, stored);
  BOOST_TEST(stored.find(R"("result":{"status":201)") != std::string::npos, stored);
  BOOST_TEST(node.proc().err().find(secret) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreadable_secret_file_stops_the_node) {
  temp_dir dir("wf-secret");
  std::ofstream(dir.file("node.ini"))
      << "[workflow.secrets]\n\napi_token=\"" << dir.file("missing") << "\"\n";
  auto run = run_to_end({troupe_bin(), "node", "--config-file=" + dir.file("node.ini"),
                         "--node.data-dir=" + dir.path()},
                        dir.path());
  BOOST_TEST(run.rc == 2, run.err);
  BOOST_TEST(run.err.find("node.ini:3: workflow.secrets.api_token") != std::string::npos,
             run.err);
  BOOST_TEST(run.err.find("cannot read the secret file") != std::string::npos, run.err);
}
