// `troupe run`: stdout holds only the workflow's output as JSON; the exit
// code says succeeded (0), failed (1) or invalid (2), with the reason on
// stderr.
#define BOOST_TEST_MODULE run_command_test
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "runtime/base/json/json.hpp"
#include "tests/support/process.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

struct outcome {
  int code = -1;
  std::string out, err;
};

outcome run(std::vector<std::string> args) {
  args.insert(args.begin(), {troupe_bin(), "run"});
  child_process p(args, source_dir());
  auto code = p.wait_exit(60s);
  BOOST_REQUIRE_MESSAGE(code, "troupe run did not exit");
  return {*code, p.out(), p.err()};
}

}  // namespace

BOOST_AUTO_TEST_CASE(success_prints_only_the_output) {
  auto r = run({"config/workflows/hello.json", "--param", "who=troupe"});
  BOOST_TEST(r.code == 0, r.err);
  auto out = json::parse(r.out);
  BOOST_REQUIRE_MESSAGE(out, r.out);
  BOOST_TEST((*out)["greeting"] == json("hello, troupe"));
  BOOST_TEST((*out)["shouted"] == json("HELLO, TROUPE"));
}

BOOST_AUTO_TEST_CASE(a_failed_workflow_exits_1_with_its_errors) {
  auto r = run({"config/workflows/retry-until-healthy.json", "--param",
                "argv=[\"false\"]", "--param", "max_checks=2", "--param", "pause=0.05"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find("task give_up: not healthy after 2 checks") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(invalid_definitions_and_parameters_exit_2) {
  temp_dir dir("run-cmd");
  std::ofstream(dir.file("bad.json"))
      << R"({"version": 1, "name": "bad", "tasks": {"a": {"action": "core.echo", "next": [{"do": "zz"}]}}})";
  auto bad = run({dir.file("bad.json")});
  BOOST_TEST(bad.code == 2);
  BOOST_TEST(bad.err.find("bad.json: $.tasks.a.next[0].do[0]: unknown task 'zz'") !=
                 std::string::npos,
             bad.err);
  auto param = run({"config/workflows/hello.json", "--param", "whom=x"});
  BOOST_TEST(param.code == 2);
  BOOST_TEST(param.err.find("unknown parameter 'whom'") != std::string::npos, param.err);
  auto params_file =
      run({"config/workflows/hello.json", "--params-file=" + dir.file("missing.json")});
  BOOST_TEST(params_file.code == 2);
  BOOST_TEST(run({}).code == 2);
}

BOOST_AUTO_TEST_CASE(a_yaml_definition_runs_like_its_json_twin) {
  temp_dir dir("run-yaml");
  auto hello = run({"tests/fixtures/workflows/hello.yaml", "--param", "who=yaml"});
  BOOST_TEST(hello.code == 0, hello.err);
  auto out = json::parse(hello.out);
  BOOST_REQUIRE_MESSAGE(out, hello.out);
  BOOST_TEST((*out)["greeting"] == json("hello, yaml"));
  BOOST_TEST((*out)["shouted"] == json("HELLO, YAML"));
  auto matrix =
      run({"config/workflows/build-matrix.yaml", "--param", "workdir=" + dir.path()});
  BOOST_TEST(matrix.code == 0, matrix.err);
  out = json::parse(matrix.out);
  BOOST_REQUIRE_MESSAGE(out, matrix.out);
  BOOST_TEST((*out)["built"] == json(3));
  BOOST_TEST((*out)["logs"][0] == json("asan.log"));
  BOOST_TEST((*out)["logs"][1] == json("debug.log"));
  BOOST_TEST((*out)["logs"][2] == json("release.log"));
}

BOOST_AUTO_TEST_CASE(an_invalid_yaml_definition_exits_2_naming_line_and_column) {
  temp_dir dir("run-yaml-bad");
  std::ofstream(dir.file("bad.yml")) << "version: 1\n"
                                        "name: bad\n"
                                        "tasks:\n"
                                        "  a:\n"
                                        "    action: core.echo\n"
                                        "    next:\n"
                                        "      - do: zz\n";
  auto bad = run({dir.file("bad.yml")});
  BOOST_TEST(bad.code == 2);
  BOOST_TEST(bad.err.find(dir.file("bad.yml") +
                          ":7:9: $.tasks.a.next[0].do[0]: unknown task 'zz'") !=
                 std::string::npos,
             bad.err);
  std::ofstream(dir.file("dup.yaml")) << "version: 1\nname: a\nname: b\n";
  auto dup = run({dir.file("dup.yaml")});
  BOOST_TEST(dup.code == 2);
  BOOST_TEST(dup.err.find(dir.file("dup.yaml") +
                          ":3:1: duplicate key 'name' (first at line 2, column 1)") !=
                 std::string::npos,
             dup.err);
}
