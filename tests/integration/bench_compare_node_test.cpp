// `troupe bench compare` against a real node, as a CI job would gate a pull
// request: one platform whose build records the commit it builds and whose
// suite measures 100 ms ± 0.5% for every commit but the slow one, 110 ms
// (+10%). A comparison with the slow head exits 1 and names the regression,
// in a table, as JSON and as Markdown; comparisons of two commits that
// perform alike exit 0, trial after trial. Builds happen each time the side
// changes (ABBA), the comparisons are listed by the API and shown on the
// dashboard, and bad requests are refused with the JSON path.
#define BOOST_TEST_MODULE bench_compare_node_test
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

const std::string slow = "bbbb2222";

struct compare_run {
  int code = -1;
  std::string out, err;
};

compare_run compare(const node_process& node, const std::string& dir,
                    std::vector<std::string> extra) {
  std::vector<std::string> argv{troupe_bin(), "bench", "compare",
                                "--server=http://" + node.http()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  child_process p(argv, dir);
  auto code = p.wait_exit(300s);
  BOOST_REQUIRE_MESSAGE(code, "troupe bench compare did not end: " << p.err());
  return {*code, p.out(), p.err()};
}

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_regression_exits_1_and_alike_commits_exit_0) {
  temp_dir dir("bench-compare");
  auto build = dir.file("build.sh");
  std::ofstream(build) << "#!/bin/sh\necho \"$1\" >> " << dir.file("builds.log") << "\n";
  ::chmod(build.c_str(), 0755);
  auto suite = dir.file("suite.sh");
  std::ofstream(suite)
      << "#!/bin/sh\nbase=100\n[ \"$1\" = \"" << slow << "\" ] && base=110\n"
      << "awk -v b=$base -v seed=$$ 'BEGIN { srand(seed); for (i = 0; i < 5; i++) "
         "printf \"t %.4f ms\\n\", b * (1 + 0.01 * (rand() - 0.5)) }'\n";
  ::chmod(suite.c_str(), 0755);
  std::ofstream(dir.file("node.ini"))
      << "[bench]\nwindow=1h\n[bench.platforms]\nlinux={\n  build=[\"" << build
      << "\",\"{commit}\"]\n  suites={\n    s={\n      argv=[\"" << suite
      << "\",\"{commit}\"]\n    }\n  }\n}\n";
  std::filesystem::create_directories(dir.file("data"));
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.file("data"));
  await_bench_ready(node.http());

  // Bad requests name their place and queue nothing.
  auto bad = http_once(node.http(), "POST", "/api/v1/bench/compare",
                       R"({"base":"aaaa1111","head":"XYZ"})");
  BOOST_CHECK_EQUAL(bad.status, 400);
  BOOST_CHECK_MESSAGE(bad.body.find("$.head") != std::string::npos, bad.body);
  bad = http_once(node.http(), "POST", "/api/v1/bench/compare",
                  R"({"base":"aaaa1111","head":"bbbb2222","platforms":["nope"]})");
  BOOST_CHECK_EQUAL(bad.status, 422);  // well formed, but no such platform
  BOOST_CHECK_MESSAGE(bad.body.find("no platform named 'nope'") != std::string::npos,
                      bad.body);
  bad = http_once(node.http(), "POST", "/api/v1/bench/compare",
                  R"({"base":"aaaa1111","head":"bbbb2222","rounds":1})");
  BOOST_CHECK_EQUAL(bad.status, 400);

  // The slow head: exit 1, the regression named, about +10%.
  auto r = compare(node, dir.path(), {"--base=aaaa1111", "--head=" + slow, "--rounds=6"});
  BOOST_TEST_MESSAGE(r.out << r.err);
  BOOST_CHECK_EQUAL(r.code, 1);
  BOOST_CHECK(r.out.find("s/t") != std::string::npos);
  BOOST_CHECK(r.out.find("regression") != std::string::npos);
  // ABBA over 6 rounds: 7 builds, alternating commits.
  BOOST_CHECK_EQUAL(count_lines(dir.file("builds.log")), 7u);

  // JSON: the change and its interval.
  r = compare(node, dir.path(),
              {"--base=aaaa1111", "--head=" + slow, "--rounds=4", "--json"});
  BOOST_CHECK_EQUAL(r.code, 1);
  auto doc = json::parse(r.out);
  BOOST_REQUIRE_MESSAGE(doc, r.out);
  auto& t = (*doc)["result"]["platforms"]["linux"]["benchmarks"]["s/t"];
  BOOST_CHECK(t["significant"].as_bool());
  BOOST_CHECK_EQUAL(t["verdict"].as_string(), "regression");
  BOOST_CHECK_CLOSE(t["change"].as_double(), 0.10, 15.0);
  BOOST_CHECK(t["low"].as_double() > 0 && t["low"].as_double() < 0.11 &&
              t["high"].as_double() > 0.09);
  BOOST_CHECK_EQUAL(t["rounds"].as_int(), 4);

  // --fail-above above the change: reported, but the gate passes.
  r = compare(node, dir.path(),
              {"--base=aaaa1111", "--head=" + slow, "--rounds=4", "--fail-above=20",
               "--markdown"});
  BOOST_CHECK_EQUAL(r.code, 0);
  BOOST_CHECK(r.out.find("| linux | `s/t` |") != std::string::npos);
  BOOST_CHECK(r.out.find("regression") != std::string::npos);

  // Commits that perform alike: exit 0, every trial.
  for (int trial = 0; trial < 3; ++trial) {
    r = compare(
        node, dir.path(),
        {"--base=aaaa1111", "--head=cccc333" + std::to_string(trial), "--rounds=6"});
    BOOST_CHECK_MESSAGE(r.code == 0, "trial " << trial << ": exit " << r.code << "\n"
                                              << r.out << r.err);
  }

  // Stored, listed, and on the dashboard.
  auto listed = get_json(node.http(), "/api/v1/bench/compares");
  BOOST_CHECK_EQUAL(listed["compares"].size(), 6u);
  for (auto& c : listed["compares"].items())
    BOOST_CHECK_EQUAL(c["state"].as_string(), "done");
  auto page = http_once(node.http(), "GET", "/dashboard");
  BOOST_CHECK(page.body.find("<section id=\"compares\">") != std::string::npos);
  BOOST_CHECK(page.body.find("class=\"compare\" data-id=\"1\" data-state=\"done\"") !=
              std::string::npos);
  BOOST_CHECK(page.body.find("data-verdict=\"regression\"") != std::string::npos);
}
