// Bench input from outside, all-or-nothing with the place of the error:
// commit lists (JSON paths), GitHub push payloads (the real fixtures), the
// [bench] configuration (file:line and key), artifacts (round trip and
// malformed documents) and how a job's commands fold into an artifact.
#define BOOST_TEST_MODULE bench_intake_test
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_config.hpp"
#include "actors/bench/commit_json.hpp"
#include "actors/bench/platform_job.hpp"
#include "runtime/base/json/json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::bench;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

json fixture(const std::string& name) {
  auto doc =
      json::parse_file(testing::shared_dir() + "/fixtures/github-webhooks/push/" + name);
  BOOST_REQUIRE_MESSAGE(doc, doc.error().message());
  return *doc;
}

// Loads an INI with [bench] declared; the first error of load or check.
status load(const std::string& text) {
  testing::temp_dir dir("bench-config");
  std::ofstream(dir.file("node.ini")) << text;
  node_config cfg;
  bench_settings settings;
  declare_bench_options(cfg, settings);
  auto st = cfg.load({"--config-file=" + dir.file("node.ini")});
  if (st) st = check_bench_settings(cfg, settings);
  if (st) st = read_platforms(cfg).error();
  return st;
}

}  // namespace

BOOST_AUTO_TEST_CASE(commit_lists_name_the_bad_value) {
  auto ok = parse_commit_list(
      R"([{"sha":"abcd1234","branch":"main","time":"2019-05-15T15:20:41-04:00"},
                                  {"sha":"abcd1235","parent":"abcd1234","branch":"main","time":12,"message":"m"}])");
  BOOST_REQUIRE_MESSAGE(ok, ok.error().message());
  BOOST_CHECK_EQUAL(ok->size(), 2u);
  BOOST_CHECK_EQUAL((*ok)[0].time, 1557948041);
  BOOST_CHECK_EQUAL((*ok)[1].parent, "abcd1234");
  BOOST_CHECK(parse_commit_list(R"({"commits":[{"sha":"abcd1234","branch":"b"}]})"));
  auto err = [](const char* body) { return parse_commit_list(body).error().message(); };
  BOOST_CHECK_EQUAL(
      err(R"([{"sha":"abcd1234","branch":"main"},{"sha":"XYZ","branch":"main"}])"),
      "$[1].sha: expected 4-64 lower-case hex digits");
  BOOST_CHECK_EQUAL(err(R"([{"sha":"abcd1234"}])"),
                    "$[0].branch: missing, expected a string");
  BOOST_CHECK_EQUAL(err(R"([{"sha":"abcd1234","branch":3}])"),
                    "$[0].branch: expected a string, found a number");
  // null stands for an absent optional member.
  BOOST_CHECK(parse_commit_list(R"([{"sha":"abcd1234","branch":"m","parent":null}])"));
  BOOST_CHECK_EQUAL(err(R"([{"sha":"abcd1234","branch":"m","time":true}])"),
                    "$[0].time: expected unix seconds or an RFC 3339 string");
  BOOST_CHECK_EQUAL(
      err(R"([{"sha":"abcd1234","branch":"m","colour":1}])"),
      "$[0].colour: unknown field 'colour' (known: sha, parent, time, message, branch)");
  BOOST_CHECK_EQUAL(err(R"({"commit":[]})"),
                    "$.commits: missing, expected a list of commits");
  BOOST_CHECK_EQUAL(err(R"({"commits":{}})"),
                    "$.commits: expected a list of commits, found an object");
  BOOST_CHECK(contains(err("[{"), "request body:1:3"));
}

BOOST_AUTO_TEST_CASE(push_payloads_give_the_branch_commits_or_a_reason) {
  auto created = commits_of_push(fixture("with-new-branch.payload.json"));
  BOOST_REQUIRE(created);
  BOOST_CHECK(created->ignored.empty());
  BOOST_REQUIRE_EQUAL(created->commits.size(), 1u);
  auto& c = created->commits[0];
  BOOST_CHECK_EQUAL(c.sha, "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
  BOOST_CHECK_EQUAL(c.branch, "master");
  BOOST_CHECK_EQUAL(c.parent, "");  // a new branch: before is all zeros
  BOOST_CHECK_EQUAL(c.message, "Initial commit");
  BOOST_CHECK_EQUAL(c.time, parse_rfc3339("2019-05-15T15:19:25Z").value());
  BOOST_CHECK(commits_of_push(fixture("with-no-username-committer.payload.json"))
                  ->commits.size() == 1u);
  for (auto* name : {"payload.json", "with-organization.payload.json"}) {
    auto tag = commits_of_push(fixture(name));
    BOOST_REQUIRE(tag);
    BOOST_CHECK(tag->commits.empty());
    BOOST_CHECK_EQUAL(tag->ignored, "not a branch push (refs/tags/simple-tag)");
  }
  auto deleted = fixture("with-new-branch.payload.json").set("deleted", true);
  BOOST_CHECK_EQUAL(commits_of_push(deleted)->ignored,
                    "branch deleted (refs/heads/master)");
  // Parents chain from `before` through the pushed commits.
  auto two =
      fixture("with-new-branch.payload.json")
          .set("before", "1111111111111111111111111111111111111111")
          .set("commits",
               json::array()
                   .push_back(json::object().set("id", "aaaa1111").set("message", "a"))
                   .push_back(json::object().set("id", "bbbb2222").set("message", "b")));
  auto chained = commits_of_push(two);
  BOOST_REQUIRE(chained);
  BOOST_CHECK_EQUAL(chained->commits[0].parent,
                    "1111111111111111111111111111111111111111");
  BOOST_CHECK_EQUAL(chained->commits[1].parent, "aaaa1111");
  BOOST_CHECK_EQUAL(commits_of_push(json::object().set("ref", 3)).error().message(),
                    "$.ref: expected a string, found a number");
  BOOST_CHECK_EQUAL(commits_of_push(json::object()).error().message(),
                    "$.ref: missing, expected a string");
}

BOOST_AUTO_TEST_CASE(configuration_errors_name_file_line_and_key) {
  auto platform = [](const std::string& suite_body, const std::string& extra = "") {
    return "[bench.platforms]\nlinux={\n  workdir=\"/tmp\"\n" + extra +
           "  suites={\n    micro={\n" + suite_body + "    }\n  }\n}\n";
  };
  BOOST_CHECK_MESSAGE(load(platform("      argv=[\"a\"]\n      format=\"hyperfine\"\n")),
                      "valid");
  auto unknown = load(platform("      argv=[\"a\"]\n      colour=3\n")).message();
  BOOST_CHECK_MESSAGE(
      contains(unknown,
               "node.ini:7: unknown key 'bench.platforms.linux.suites.micro.colour'"),
      unknown);
  auto format = load(platform("      argv=[\"a\"]\n      format=\"xml\"\n")).message();
  BOOST_CHECK_MESSAGE(
      contains(format,
               "node.ini:7: key 'bench.platforms.linux.suites.micro.format' unknown "
               "result format \"xml\" (expected google-benchmark"),
      format);
  auto type = load(platform("      argv=\"a\"\n")).message();
  BOOST_CHECK_MESSAGE(
      contains(
          type,
          "node.ini:6: key 'bench.platforms.linux.suites.micro.argv' expects a list"),
      type);
  auto top = load(platform("      argv=[\"a\"]\n", "  bogus=1\n")).message();
  BOOST_CHECK_MESSAGE(
      contains(top, "node.ini:4: unknown key 'bench.platforms.linux.bogus'"), top);
  BOOST_CHECK(
      contains(load("[bench.platforms]\nlinux={\n  workdir=\"/tmp\"\n}\n").message(),
               "key 'bench.platforms.linux.suites' must hold at least one suite"));
  BOOST_CHECK(contains(
      load("[bench]\ndrop-threshold=3\n").message(),
      "node.ini:2: key 'bench.drop-threshold' expects at least widen-threshold"));
  BOOST_CHECK(contains(load("[bench]\nwindow=\"soon\"\n").message(),
                       "node.ini:2: key 'bench.window'"));
  BOOST_CHECK(contains(load("[bench]\ncolour=1\n").message(),
                       "node.ini:2: unknown key 'bench.colour'"));
  BOOST_CHECK(load(""));  // no platforms: idle, valid
}

BOOST_AUTO_TEST_CASE(artifacts_round_trip_and_malformed_ones_are_refused) {
  artifact a;
  a.run_id = 7;
  a.platform = "linux";
  a.branch = "main";
  a.commit = "abcd1234";
  a.reason = "push";
  a.commit_range = {"abcd1233", "abcd1234"};
  a.host = {"box", "Linux 6.1 x86_64", "Some CPU", 8};
  a.started_ms = 1;
  a.finished_ms = 2;
  benchmark_result r;
  r.name = "parse";
  r.unit = "ns";
  r.samples = {3, 1, 2};
  compute_statistics(r);
  r.min = std::nan("");
  a.results.push_back({"micro", r});
  a.failures.push_back({"other", 1, "timeout", -1, "timed out"});
  auto text = to_json(a).dump();
  auto back = parse_artifact(text, "a.json");
  BOOST_REQUIRE_MESSAGE(back, back.error().message());
  BOOST_CHECK_EQUAL(back->run_id, 7u);
  BOOST_CHECK(back->commit_range == a.commit_range);
  BOOST_CHECK_EQUAL(back->host.cpu_count, 8u);
  BOOST_REQUIRE_EQUAL(back->results.size(), 1u);
  BOOST_CHECK_EQUAL(back->results[0].suite, "micro");
  BOOST_CHECK_EQUAL(back->results[0].result.median, 2.0);
  BOOST_CHECK(std::isnan(back->results[0].result.min));  // unknown stays unknown
  BOOST_CHECK(back->results[0].result.samples == r.samples);
  BOOST_CHECK_EQUAL(back->failures[0].kind, "timeout");
  auto doc = *json::parse(text);
  BOOST_CHECK_EQUAL(
      parse_artifact(doc.set("schema_version", 9).dump(), "a.json").error().message(),
      "a.json: $.schema_version: unsupported version 9 (this node reads 1)");
  auto bad_sample = doc.set("results", json::array().push_back(doc["results"][0].set(
                                           "samples", json::array().push_back("x"))));
  BOOST_CHECK_EQUAL(parse_artifact(bad_sample.dump(), "a.json").error().message(),
                    "a.json: $.results[0].samples[0]: expected a number, found a string");
  BOOST_CHECK(!parse_artifact(text.substr(0, text.size() / 2), "a.json"));
}

BOOST_AUTO_TEST_CASE(a_job_merges_repetitions_and_records_failures) {
  platform_config p;
  p.name = "linux";
  p.workdir = "/w";
  p.build = {"make", "REV={commit}"};
  p.suites = {{"micro",
               {"./bench", "--sha={sha}", "{run}"},
               result_format::simple,
               2,
               std::chrono::seconds(5)},
              {"other", {"./other"}, result_format::simple, 1, {}}};
  artifact header;
  header.run_id = 3;
  header.platform = "linux";
  header.commit = "abcd1234";
  auto steps = plan_job(p, bench_settings{}, header);
  BOOST_REQUIRE_EQUAL(steps.size(), 4u);
  BOOST_CHECK(steps[0].spec.argv == (std::vector<std::string>{"make", "REV=abcd1234"}));
  BOOST_CHECK(steps[1].spec.argv ==
              (std::vector<std::string>{"./bench", "--sha=abcd1234", "3"}));
  BOOST_CHECK_EQUAL(steps[1].spec.timeout.count(), 5000);
  BOOST_CHECK_EQUAL(steps[3].spec.timeout.count(), 30 * 60 * 1000);
  BOOST_CHECK_EQUAL(steps[1].spec.cwd, "/w");
  job_outcome job(header);
  process_result ok;
  ok.exit_code = 0;
  BOOST_CHECK(job.record(steps[0], ok));
  ok.out = "t 1 ms\nt 3 ms\n";
  BOOST_CHECK(job.record(steps[1], ok));
  ok.out = "t 2 ms\nu error broken\n";
  BOOST_CHECK(job.record(steps[2], ok));
  process_result timed_out;
  timed_out.timed_out = true;
  timed_out.term_signal = 15;
  BOOST_CHECK(job.record(steps[3], timed_out));
  auto done = job.finish(9);
  BOOST_REQUIRE_EQUAL(done.results.size(), 2u);
  BOOST_CHECK_EQUAL(done.results[0].result.n, 3u);
  BOOST_CHECK_EQUAL(done.results[0].result.median, 2.0);
  BOOST_CHECK(done.results[1].result.error);
  BOOST_REQUIRE_EQUAL(done.failures.size(), 1u);
  BOOST_CHECK_EQUAL(done.failures[0].step, "other");
  BOOST_CHECK_EQUAL(done.failures[0].kind, "timeout");
  // A failed build stops the job.
  job_outcome broken(header);
  process_result failed;
  failed.exit_code = 2;
  failed.err = "make: *** no rule\n";
  BOOST_CHECK(!broken.record(steps[0], failed));
  auto none = broken.finish(1);
  BOOST_CHECK(none.results.empty());
  BOOST_CHECK_EQUAL(none.failures[0].message, "exit code 2: make: *** no rule");
}

BOOST_AUTO_TEST_CASE(troupe_perf_output_becomes_one_sample_per_number) {
  auto text =
      "name  value\nrow   1\n"
      R"({"benchmark":"bench_pipeline","results":[{"model":"troupe","max_queue_depth":3,)"
      R"("commits_per_hour_processed":600.5,"p50_push_to_result_s":12},{"lost":0}]})"
      "\n";
  auto r = parse_results(result_format::troupe_perf, text, "perf");
  BOOST_REQUIRE_MESSAGE(r, r.error().message());
  BOOST_REQUIRE_EQUAL(r->benchmarks.size(), 4u);
  BOOST_CHECK_EQUAL(r->benchmarks[0].name, "bench_pipeline/troupe/max_queue_depth");
  BOOST_CHECK_EQUAL(r->benchmarks[0].unit, "value");
  BOOST_CHECK_EQUAL(r->benchmarks[2].unit, "s");
  BOOST_CHECK_EQUAL(r->benchmarks[3].name, "bench_pipeline/#1/lost");
  BOOST_CHECK_EQUAL(r->benchmarks[1].median, 600.5);
  BOOST_CHECK_EQUAL(
      parse_results(result_format::troupe_perf, "table only\n", "perf").error().message(),
      "perf (last line):1:1: invalid literal, expected true, false or null (byte 0)");
}
