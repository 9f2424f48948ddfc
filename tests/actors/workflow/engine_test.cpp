// The workflow engine end to end on a real actor system (no store):
// transitions, publish, joins, failure handling, with-items, retry,
// timeouts, cancel, pause/resume, and shell arguments that stay literal.
#define BOOST_TEST_MODULE workflow_engine
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/workflow/embedded_engine.hpp"
#include "tests/support/temp_dir.hpp"

using troupe::json;
using troupe::run_status;
using namespace troupe::workflow;

namespace {

// One engine for the module, torn down before static destructors run.
std::unique_ptr<embedded_engine> the_engine;

struct engine_fixture {
  engine_fixture() {
    embedded_options o;
    o.runners = 8;
    o.resume = false;
    the_engine = std::make_unique<embedded_engine>(o);
  }
  ~engine_fixture() { the_engine.reset(); }
};

embedded_engine& engine() {
  return *the_engine;
}

json parse(const std::string& text) {
  auto v = json::parse(text);
  BOOST_REQUIRE_MESSAGE(v, v.error().message());
  return *v;
}

troupe::result<run_status> start(const std::string& doc, json params = json::object()) {
  return engine().start({"test.json", parse(doc), std::move(params), {}});
}

run_status run(const std::string& doc, json params = json::object()) {
  auto s = start(doc, std::move(params));
  BOOST_REQUIRE_MESSAGE(s, s.error().message());
  auto done = engine().wait(s->id);
  BOOST_REQUIRE_MESSAGE(done, done.error().message());
  return *done;
}

const troupe::run_task_status* task(const run_status& s, const std::string& name) {
  for (auto& t : s.tasks)
    if (t.name == name) return &t;
  return nullptr;
}

std::string errors(const run_status& s) {
  std::string out;
  for (auto& e : s.errors) out += e + "; ";
  return out;
}

}  // namespace

BOOST_GLOBAL_FIXTURE(engine_fixture);

BOOST_AUTO_TEST_CASE(transitions_publish_and_output) {
  auto s =
      run(R"({"version": 1, "name": "chain", "input": {"who": "world"}, "vars": {"n": 1},
    "tasks": {
      "a": {"action": "core.echo", "input": {"message": "hello {{ parameters.who }}"},
            "next": [{"publish": {"greeting": "{{ result() }}", "n": "{{ vars.n + 1 }}"}, "do": "b"}]},
      "b": {"action": "core.echo", "input": {"message": {"g": "{{ vars.greeting }}", "n": "{{ vars.n }}"}}}
    },
    "output": {"b": "{{ task.b.result }}", "id": "{{ system.execution }}"}})",
          parse(R"({"who": "troupe"})"));
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(s.output["b"] == parse(R"({"g": "hello troupe", "n": 2})"));
  BOOST_TEST(s.output["id"] == json(s.id));
  BOOST_TEST(s.tasks_done == 2u);
}

BOOST_AUTO_TEST_CASE(join_all_waits_and_no_join_runs_per_arrival) {
  auto s = run(R"({"version": 1, "name": "join",
    "tasks": {
      "a": {"action": "core.noop", "next": [{"do": ["joined", "each"]}]},
      "b": {"action": "core.noop", "next": [{"do": ["joined", "each"]}]},
      "joined": {"action": "core.noop", "join": "all"},
      "each": {"action": "core.noop"}
    }})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(task(s, "joined#0") != nullptr);
  BOOST_TEST(task(s, "joined#1") == nullptr);
  BOOST_TEST(task(s, "each#0") != nullptr);
  BOOST_TEST(task(s, "each#1") != nullptr);
}

BOOST_AUTO_TEST_CASE(a_loop_with_an_exit) {
  auto s = run(R"({"version": 1, "name": "loop", "vars": {"n": 0},
    "tasks": {
      "start": {"action": "core.noop", "next": [{"do": "step"}]},
      "step": {"action": "core.noop",
               "next": [{"publish": {"n": "{{ vars.n + 1 }}"}},
                        {"when": "{{ vars.n < 5 }}", "do": "step"}]}
    },
    "output": {"n": "{{ vars.n }}"}})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(s.output["n"] == json(5));
  BOOST_TEST(task(s, "step#4") != nullptr);
  BOOST_TEST(task(s, "step#5") == nullptr);
}

BOOST_AUTO_TEST_CASE(handled_and_unhandled_failures) {
  auto handled = run(R"({"version": 1, "name": "h",
    "tasks": {
      "a": {"action": "core.fail", "input": {"message": "boom"},
            "next": [{"when": "{{ failed() }}", "publish": {"why": "{{ result() }}"}, "do": "recover"}]},
      "recover": {"action": "core.echo", "input": {"message": "{{ vars.why }}"}}
    },
    "output": {"r": "{{ task.recover.result }}"}})");
  BOOST_TEST(handled.state == "succeeded", errors(handled));
  BOOST_TEST(handled.output["r"] == json("boom"));

  auto unhandled = run(R"({"version": 1, "name": "u",
    "tasks": {
      "a": {"action": "core.fail", "input": {"message": "boom"}, "next": [{"do": "never"}]},
      "never": {"action": "core.noop"}
    }})");
  BOOST_TEST(unhandled.state == "failed");
  BOOST_REQUIRE(!unhandled.errors.empty());
  BOOST_TEST(unhandled.errors[0] == "task a: boom");
  BOOST_TEST(task(unhandled, "never#0") == nullptr);

  auto bad_template = run(R"({"version": 1, "name": "t",
    "tasks": {"a": {"action": "core.noop", "next": [{"when": "{{ vars.missing > 1 }}", "do": "b"}]},
              "b": {"action": "core.noop"}}})");
  BOOST_TEST(bad_template.state == "failed");
  BOOST_TEST(
      errors(bad_template)
              .find("task a, $.tasks.a.next[0].when: 'vars.missing' is undefined") !=
          std::string::npos,
      errors(bad_template));
}

BOOST_AUTO_TEST_CASE(with_items_keeps_item_order) {
  // Later items finish first; results stay in item order.
  auto s = run(R"({"version": 1, "name": "items", "input": {"xs": [3, 2, 1, 0]},
    "tasks": {"t": {"action": "core.shell", "with_items": "{{ parameters.xs }}", "concurrency": 4,
                    "input": {"argv": ["sh", "-c", "sleep 0.$1; echo $1", "sh", "{{ item }}"]}}},
    "output": {"out": "{{ task.t.result }}"}})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_REQUIRE(s.output["out"].size() == 4u);
  for (std::size_t i = 0; i < 4; ++i)
    BOOST_TEST(s.output["out"][i]["json"] == json(3 - static_cast<int>(i)));
  BOOST_TEST(s.items_done == 4u);

  auto inline_items = run(R"({"version": 1, "name": "many",
    "tasks": {"t": {"action": "core.echo", "with_items": "{{ range(5000) }}", "concurrency": 100,
                    "input": {"message": "{{ item * 2 }}"}}},
    "output": {"n": "{{ length(task.t.result) }}", "last": "{{ task.t.result[4999] }}"}})");
  BOOST_TEST(inline_items.state == "succeeded", errors(inline_items));
  BOOST_TEST(inline_items.output["n"] == json(5000));
  BOOST_TEST(inline_items.output["last"] == json(9998));
}

BOOST_AUTO_TEST_CASE(a_failed_item_fails_the_task_after_items_in_flight) {
  auto s = run(R"({"version": 1, "name": "f",
    "tasks": {"t": {"action": "core.shell", "with_items": "{{ [0, 1, 2, 3, 4, 5] }}", "concurrency": 2,
                    "input": {"argv": ["sh", "-c", "test $1 -ne 1", "sh", "{{ item }}"]}}}})");
  BOOST_TEST(s.state == "failed");
  auto* t = task(s, "t#0");
  BOOST_REQUIRE(t);
  BOOST_TEST(t->error.find("item 1: core.shell: exit code 1") != std::string::npos,
             t->error);
  BOOST_TEST(t->items_done < 6u);  // no new item started after the failure
}

BOOST_AUTO_TEST_CASE(retry_until_success_and_retry_exhausted) {
  troupe::testing::temp_dir dir;
  auto counter = dir.file("attempts");
  // Fails on attempts 1 and 2, succeeds on 3.
  std::string script = "n=$(cat " + counter +
                       " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter +
                       "; test $n -ge 3";
  auto doc = [&](int count) {
    return R"({"version": 1, "name": "r", "tasks": {"t": {"action": "core.shell",
      "retry": {"count": )" +
           std::to_string(count) + R"(, "delay": 0.01, "backoff": "exponential"},
      "input": {"argv": ["sh", "-c", ")" +
           script + R"("]}}}})";
  };
  auto ok = run(doc(2));
  BOOST_TEST(ok.state == "succeeded", errors(ok));
  std::filesystem::remove(counter);
  auto exhausted = run(doc(1));
  BOOST_TEST(exhausted.state == "failed");
  std::ifstream in(counter);
  int attempts = 0;
  in >> attempts;
  BOOST_TEST(attempts == 2);
}

BOOST_AUTO_TEST_CASE(task_and_workflow_timeouts) {
  auto t = run(R"({"version": 1, "name": "t",
    "tasks": {"slow": {"action": "core.sleep", "input": {"seconds": 30}, "timeout": 0.2}}})");
  BOOST_TEST(t.state == "failed");
  BOOST_TEST(errors(t).find("timeout after 0.2s") != std::string::npos, errors(t));

  auto w = run(R"({"version": 1, "name": "w", "timeout": 0.3,
    "tasks": {"slow": {"action": "core.shell", "input": {"argv": ["sleep", "30"]}}}})");
  BOOST_TEST(w.state == "failed");
  BOOST_TEST(errors(w).find("workflow timed out after 0.3s") != std::string::npos,
             errors(w));
}

BOOST_AUTO_TEST_CASE(cancel_stops_running_tasks) {
  troupe::testing::temp_dir dir;
  auto pidfile = dir.file("pid");
  auto s = start(R"({"version": 1, "name": "c",
    "tasks": {"slow": {"action": "core.shell",
                       "input": {"argv": ["sh", "-c", "echo $$ > )" +
                 pidfile + R"(; exec sleep 30"]},
                       "next": [{"do": "after"}]},
              "after": {"action": "core.noop"}}})");
  BOOST_REQUIRE(s);
  int pid = 0;
  for (int i = 0; i < 500 && pid == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ifstream(pidfile) >> pid;
  }
  BOOST_REQUIRE(pid > 0);
  auto c = engine().cancel(s->id);
  BOOST_REQUIRE(c);
  auto done = engine().wait(s->id);
  BOOST_REQUIRE(done);
  BOOST_TEST(done->state == "canceled");
  BOOST_TEST(task(*done, "after#0") == nullptr);
  BOOST_TEST(task(*done, "slow#0")->state == "canceled");
  // The command was stopped, not left behind.
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = ::kill(pid, 0) != 0;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_TEST(gone);
}

BOOST_AUTO_TEST_CASE(cancel_while_paused_cancels_what_waits) {
  auto s = start(R"({"version": 1, "name": "cp",
    "tasks": {"a": {"action": "core.sleep", "input": {"seconds": 0.1}, "next": [{"do": "b"}]},
              "b": {"action": "core.noop"}}})");
  BOOST_REQUIRE(s);
  BOOST_REQUIRE(engine().pause(s->id));
  run_status now = *engine().status(s->id);
  while (!task(now, "b#0"))
    now = *engine().status(s->id, now.version);  // a ended, b waits
  BOOST_REQUIRE(engine().cancel(s->id));
  auto done = engine().wait(s->id);
  BOOST_REQUIRE(done);
  BOOST_TEST(done->state == "canceled");
  BOOST_TEST(task(*done, "b#0")->state == "canceled");
}

BOOST_AUTO_TEST_CASE(with_items_edge_cases) {
  auto empty = run(R"({"version": 1, "name": "e",
    "tasks": {"t": {"action": "core.shell", "with_items": "{{ [] }}", "input": {"argv": ["false"]}}},
    "output": {"r": "{{ task.t.result }}"}})");
  BOOST_TEST(empty.state == "succeeded", errors(empty));
  BOOST_TEST(empty.output["r"] == json::array());
  // Each item is retried on its own: item 1 fails twice then succeeds.
  troupe::testing::temp_dir dir;
  auto counter = dir.file("n");
  auto retried = run(R"({"version": 1, "name": "r",
    "tasks": {"t": {"action": "core.shell", "with_items": "{{ range(3) }}", "concurrency": 3,
                    "retry": {"count": 2, "delay": 0.01},
                    "input": {"argv": ["sh", "-c",
                      "test $1 -ne 1 && exit 0; n=$(cat )" +
                     counter + R"( 2>/dev/null || echo 0); echo $((n+1)) > )" + counter +
                     R"(; test $n -ge 2",
                      "sh", "{{ item }}"]}}}})");
  BOOST_TEST(retried.state == "succeeded", errors(retried));
  int attempts = 0;
  std::ifstream(counter) >> attempts;
  BOOST_TEST(attempts == 3);
}

BOOST_AUTO_TEST_CASE(join_all_counts_tasks_not_arrivals_and_join_n_counts_arrivals) {
  // a arrives twice (two matching entries); "all" still waits for b.
  auto all = run(R"({"version": 1, "name": "ja",
    "tasks": {"a": {"action": "core.noop", "next": [{"do": "j"}, {"do": "j"}]},
              "b": {"action": "core.sleep", "input": {"seconds": 0.2}, "next": [{"do": "j"}]},
              "j": {"action": "core.echo", "input": {"message": "{{ task.b.state }}"}, "join": "all"}},
    "output": {"b": "{{ task.j.result }}"}})");
  BOOST_TEST(all.state == "succeeded", errors(all));
  BOOST_TEST(all.output["b"] == json("succeeded"));  // b had finished when j started
  BOOST_TEST(task(all, "j#1") == nullptr);
  auto n = run(R"({"version": 1, "name": "jn",
    "tasks": {"a": {"action": "core.noop", "next": [{"do": "j"}, {"do": "j"}]},
              "b": {"action": "core.sleep", "input": {"seconds": 0.2}, "next": [{"do": "j"}]},
              "j": {"action": "core.echo", "input": {"message": "{{ default(task.b.state, 'not yet') }}"}, "join": 2}},
    "output": {"b": "{{ task.j.result }}"}})");
  BOOST_TEST(n.state == "succeeded", errors(n));
  BOOST_TEST(n.output["b"] == json("not yet"));  // two arrivals from a were enough
}

BOOST_AUTO_TEST_CASE(pause_holds_successors_until_resume) {
  auto s = start(R"({"version": 1, "name": "p",
    "tasks": {"a": {"action": "core.sleep", "input": {"seconds": 0.3}, "next": [{"do": "b"}]},
              "b": {"action": "core.noop"}}})");
  BOOST_REQUIRE(s);
  auto p = engine().pause(s->id);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->state == "paused");
  // Follow the versions until a has finished: b is scheduled, not started.
  run_status now = *p;
  while (!task(now, "a#0") || task(now, "a#0")->state != "succeeded") {
    auto next = engine().status(s->id, now.version);
    BOOST_REQUIRE(next);
    now = *next;
  }
  BOOST_TEST(now.state == "paused");
  BOOST_REQUIRE(task(now, "b#0"));
  BOOST_TEST(task(now, "b#0")->state == "scheduled");
  BOOST_REQUIRE(engine().resume(s->id));
  auto done = engine().wait(s->id);
  BOOST_REQUIRE(done);
  BOOST_TEST(done->state == "succeeded");
}

BOOST_AUTO_TEST_CASE(hostile_arguments_stay_literal) {
  troupe::testing::temp_dir dir;
  auto pwned = dir.file("pwned");
  std::string hostile = "'; touch " + pwned + "; echo \"$(touch " + pwned +
                        ")\" `touch " + pwned + "`\n && touch " + pwned + " | cat; $HOME";
  json params = json::object().set("arg", json(hostile));
  auto s = run(R"({"version": 1, "name": "h", "input": {"arg": ""},
    "tasks": {"t": {"action": "core.shell", "input": {"argv": ["printf", "%s", "{{ parameters.arg }}"]}}},
    "output": {"out": "{{ task.t.result.stdout }}"}})",
               params);
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(s.output["out"] == json(hostile));
  BOOST_TEST(!std::filesystem::exists(pwned));
}

BOOST_AUTO_TEST_CASE(sub_workflows_return_their_output_and_failure) {
  auto s = run(R"({"version": 1, "name": "parent",
    "tasks": {"child": {"action": "core.workflow", "input": {
        "definition": {"version": 1, "name": "child", "input": {"n": 0},
                       "tasks": {"a": {"action": "core.echo", "input": {"message": "{{ parameters.n + 1 }}"}}},
                       "output": {"n": "{{ task.a.result }}"}},
        "parameters": {"n": 41}},
      "next": [{"when": "{{ succeeded() }}", "publish": {"n": "{{ result().n }}"}}]}},
    "vars": {"n": 0},
    "output": {"n": "{{ vars.n }}"}})");
  BOOST_TEST(s.state == "succeeded", errors(s));
  BOOST_TEST(s.output["n"] == json(42));
  auto f = run(R"({"version": 1, "name": "parent",
    "tasks": {"child": {"action": "core.workflow", "input": {
        "definition": {"version": 1, "name": "child",
                       "tasks": {"a": {"action": "core.fail", "input": {"message": "inner"}}}}}}}})");
  BOOST_TEST(f.state == "failed");
  BOOST_TEST(errors(f).find("child") != std::string::npos);
  BOOST_TEST(errors(f).find("task a: inner") != std::string::npos, errors(f));
}

BOOST_AUTO_TEST_CASE(a_request_with_an_id_starts_that_execution_once) {
  auto doc = parse(R"({"version": 1, "name": "once",
    "tasks": {"a": {"action": "core.sleep", "input": {"seconds": 0.3}}}})");
  auto first = engine().start({"test.json", doc, json::object(), "fixed-id-1"});
  BOOST_REQUIRE_MESSAGE(first, first.error().message());
  BOOST_TEST(first->id == "fixed-id-1");
  // Live: the same execution answers, nothing new starts.
  auto again = engine().start({"test.json", doc, json::object(), "fixed-id-1"});
  BOOST_REQUIRE_MESSAGE(again, again.error().message());
  BOOST_TEST(again->id == "fixed-id-1");
  BOOST_TEST(again->state == "running");
  BOOST_TEST(again->started_ms == first->started_ms);
  auto done = engine().wait("fixed-id-1");
  BOOST_REQUIRE(done);
  BOOST_TEST(done->state == "succeeded");
  // Ended: its final status, still nothing new.
  auto after = engine().start({"test.json", doc, json::object(), "fixed-id-1"});
  BOOST_REQUIRE_MESSAGE(after, after.error().message());
  BOOST_TEST(after->state == "succeeded");
  BOOST_TEST(after->started_ms == first->started_ms);
}

BOOST_AUTO_TEST_CASE(invalid_definitions_and_parameters_start_nothing) {
  auto bad =
      start(R"({"version": 1, "name": "x", "tasks": {"a": {"action": "core.nope"}}})");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(
      bad.error().message().find(
          "test.json: $.tasks.a.action: unknown action 'core.nope'") != std::string::npos,
      bad.error().message());
  auto params =
      start(R"({"version": 1, "name": "x", "tasks": {"a": {"action": "core.noop"}}})",
            parse(R"({"surprise": 1})"));
  BOOST_REQUIRE(!params);
  BOOST_TEST(params.error().message().find("unknown parameter 'surprise'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(executions_read_the_wall_clock_they_are_given) {
  // 2030-01-01T00:00:00Z: far from the machine's clock.
  auto fixed = std::chrono::system_clock::time_point(std::chrono::seconds(1893456000));
  embedded_options o;
  o.runners = 2;
  o.resume = false;
  o.now = [fixed] { return fixed; };
  embedded_engine own(o);
  auto s = own.start(
      {"test.json",
       parse(R"({"version": 1, "name": "x", "tasks": {"a": {"action": "core.noop"}}})"),
       json::object(),
       {}});
  BOOST_REQUIRE_MESSAGE(s, s.error().message());
  auto done = own.wait(s->id);
  BOOST_REQUIRE_MESSAGE(done, done.error().message());
  BOOST_TEST(done->started_ms == 1893456000000);
  BOOST_TEST(done->finished_ms == 1893456000000);
  auto* a = task(*done, "a#0");
  BOOST_REQUIRE(a);
  BOOST_TEST(a->started_ms == 1893456000000);
  BOOST_TEST(a->finished_ms == 1893456000000);
}
