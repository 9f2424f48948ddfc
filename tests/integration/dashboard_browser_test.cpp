// The bench dashboard in a real browser: a realistic page (2 platforms x 3
// benchmarks over 50 runs, a regression, a failed run, skipped commits, a
// gap) is written to disk and opened from file:// in headless Chromium with
// no network. The DOM Chromium built must hold every chart with its points,
// the coverage numbers and the tables, and no element injected by a hostile
// name; a screenshot of it must be a real picture, far from a blank page.
//
// Chromium is /usr/bin/chromium (Debian package chromium, installed by
// scripts/setup), or $TROUPE_CHROMIUM. Without it the test fails: a browser
// check that silently skips proves nothing. Set TROUPE_DASHBOARD_OUT=<dir> to
// keep the page and the screenshot for a look.
#define BOOST_TEST_MODULE dashboard_browser
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "actors/bench/dashboard_model.hpp"
#include "tests/support/html_text.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe::bench;
using troupe::testing::child_process;
using troupe::testing::count_of;
using troupe::testing::temp_dir;
using troupe::testing::text_by_id;

namespace {

const std::vector<std::string> platforms = {"linux-x64", "macos-arm64"};
const std::uint64_t first_run = 101, runs = 50, gap_run = 137, failed_run = 140;
const std::size_t regression_at = 30;  // index of the first slower run
const std::string hostile = "feature/<script>document.title='pwned'</script>";

// A deterministic stand-in for benchmark noise (an LCG in [-1, 1]).
double noise(std::uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53) * 2 - 1;
}

std::string sha_of(std::uint64_t n) {
  static const char* hex = "0123456789abcdef";
  std::string sha;
  std::uint64_t x = n * 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 40; ++i, x = x * 6364136223846793005ULL + 1)
    sha += hex[(x >> 60) & 15];
  return sha;
}

dashboard_series make_series(const std::string& platform, const std::string& benchmark,
                             const std::string& unit, double base, std::uint64_t seed) {
  dashboard_series s{platform, benchmark, unit, false, {}, {}};
  std::uint64_t state = seed;
  for (std::uint64_t i = 0; i < runs; ++i) {
    std::uint64_t run = first_run + i;
    if (platform == "macos-arm64" && run == gap_run) continue;
    dashboard_point p;
    p.run_id = run;
    p.sha = sha_of(run * 10);
    for (std::uint64_t c = 1 + run % 3; c > 0; --c)
      p.commit_range.push_back(sha_of(run * 10 - c));
    p.commit_range.push_back(p.sha);
    if (run % 11 == 0) p.skipped_before = {sha_of(run * 10 - 7), sha_of(run * 10 - 8)};
    p.reason = run % 10 == 0 ? "scheduled" : "push";
    p.time = 1714564800 + static_cast<std::int64_t>(i) * 900;
    double level = base * (benchmark == "BM_parse/4096" && platform == "linux-x64" &&
                                   i >= regression_at
                               ? 1.12
                               : 1.0);
    p.value = level * (1 + 0.01 * noise(state));
    p.min = p.value * (1 - 0.02 - 0.01 * std::abs(noise(state)));
    p.max = p.value * (1 + 0.02 + 0.02 * std::abs(noise(state)));
    p.stddev = p.value * 0.012;
    p.n = 10;
    if (platform == "macos-arm64" && benchmark == "BM_spawn" && run == failed_run) {
      p.error = true;
      p.error_message = "suite timed out after 600 s";
    }
    s.points.push_back(std::move(p));
  }
  return s;
}

dashboard_data realistic() {
  dashboard_data d;
  d.generated_at = 1714610000;
  d.commits_seen = 180, d.commits_benchmarked = 50, d.commits_covered = 140;
  d.commits_skipped = 25, d.commits_pending = 15, d.queue_depth = 4;
  d.platforms = {
      {"linux-x64", "running", first_run + runs, "bench-linux-1", 1714609990, 1200},
      {"macos-arm64", "waiting_for_host", first_run + runs, "bench-mac-1", 1714609000,
       95000}};
  std::uint64_t seed = 1;
  for (const auto& platform : platforms) {
    d.series.push_back(make_series(platform, "BM_parse/4096", "ns", 1830, seed++));
    d.series.push_back(make_series(platform, "BM_spawn", "us", 412.5, seed++));
    d.series.push_back(make_series(platform, "troupe --version", "s", 0.0213, seed++));
  }
  for (auto& s : d.series) s.noise = 0.01;  // as analysis measures it (1% runs)
  d.series[5].noise = 0.31;                 // one too noisy to compare
  d.series[5].noisy = true;
  const auto& culprit = d.series[0].points[regression_at];
  d.series[0].marks.push_back({culprit.run_id, "regression", 0.12, culprit.commit_range});
  for (int i = 0; i < 25; ++i)
    d.skipped.push_back({sha_of(9000 + i), i == 3 ? hostile : "main", "sampled_out",
                         static_cast<std::size_t>(21 + i % 5), 1714580000 + i * 60,
                         first_run + 20 + i / 5});
  d.gaps.push_back({gap_run, "macos-arm64", "deadline"});
  d.compares.push_back({8, sha_of(3), sha_of(4), "queued", 1714609500, 10, {}, {}});
  d.compares.push_back({7,
                        sha_of(1),
                        sha_of(2),
                        "done",
                        1714600000,
                        10,
                        {{"linux-x64", "BM_parse/4096", "ns", 1830, 2050, 0.12, 0.10,
                          0.14, 0.008, true, "regression"},
                         {"linux-x64", "BM_spawn", "us", 412.5, 413.1, 0.0015, -0.004,
                          0.007, 0.011, false, "noise"}},
                        {"macos-arm64"}});
  return d;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string chromium() {
  const char* env = std::getenv("TROUPE_CHROMIUM");
  return env != nullptr && *env != '\0' ? env : "/usr/bin/chromium";
}

// Runs headless Chromium on `url` with `extra` options and a fresh profile;
// returns its stdout. Fails the test on a missing browser, a timeout or a
// non-zero exit.
std::string run_chromium(const std::string& url, std::vector<std::string> extra) {
  std::string browser = chromium();
  BOOST_TEST_REQUIRE(::access(browser.c_str(), X_OK) == 0,
                     browser << " not found: the dashboard browser test needs Chromium; "
                                "scripts/setup installs it (Debian package chromium), or "
                                "set TROUPE_CHROMIUM to a Chromium binary");
  temp_dir profile("chromium");
  std::vector<std::string> argv = {browser,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile.path()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  child_process proc(argv, profile.path());
  auto exit = proc.wait_exit(std::chrono::seconds(120));
  BOOST_TEST_REQUIRE(exit.has_value(), "chromium still runs after 120 s; stderr:\n"
                                           << proc.err());
  BOOST_TEST_REQUIRE(*exit == 0, "chromium exited with " << *exit << "; stderr:\n"
                                                         << proc.err());
  return proc.out();
}

struct page {
  temp_dir dir{"dashboard"};
  std::string path = dir.file("index.html");
  std::string url = "file://" + path;
  page() { write(path, render_dashboard(realistic())); }
  // Copies `file` (in dir) to $TROUPE_DASHBOARD_OUT when that is set.
  void keep(const std::string& file) const {
    if (const char* out = std::getenv("TROUPE_DASHBOARD_OUT"))
      write(std::string(out) + "/" + file, slurp(dir.file(file)));
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(chromium_builds_every_chart_number_and_table) {
  page p;
  p.keep("index.html");
  std::string dom = run_chromium(p.url, {"--dump-dom"});
  BOOST_TEST_REQUIRE(dom.find("</html>") != std::string::npos, "no DOM dumped:\n" << dom);

  BOOST_TEST(count_of(dom, "<svg class=\"chart\"") == 6u);
  for (const auto& platform : platforms)
    for (const char* benchmark : {"BM_parse/4096", "BM_spawn", "troupe --version"})
      BOOST_TEST(dom.find("data-platform=\"" + platform + "\" data-benchmark=\"" +
                          benchmark + "\"") != std::string::npos,
                 platform << " " << benchmark << " has no chart");
  // 50 runs per chart on linux, 49 on macOS (the gap), one of them failed.
  BOOST_TEST(count_of(dom, "<circle class=\"point\"") == 3 * 50 + 3 * 49 - 1u);
  BOOST_TEST(count_of(dom, "class=\"point failed\"") == 1u);
  BOOST_TEST(count_of(dom, "class=\"mark regression\"") == 1u);
  BOOST_TEST(dom.find("<title>run 131 ") != std::string::npos);

  BOOST_TEST(text_by_id(dom, "coverage-seen") == "180");
  BOOST_TEST(text_by_id(dom, "coverage-benchmarked") == "50");
  BOOST_TEST(text_by_id(dom, "coverage-benchmarked-percent") == "27.8");
  BOOST_TEST(text_by_id(dom, "coverage-covered-percent") == "77.8");
  BOOST_TEST(text_by_id(dom, "coverage-skipped") == "25");
  BOOST_TEST(text_by_id(dom, "coverage-pending") == "15");
  BOOST_TEST(text_by_id(dom, "queue-depth") == "4");
  BOOST_TEST(count_of(dom, "<tr class=\"platform\"") == 2u);
  BOOST_TEST(count_of(dom, "<tr class=\"gap\">") == 1u);
  BOOST_TEST(count_of(dom, "<tr class=\"skip\">") == 25u);
  // A platform waiting for its host, with the time it waited.
  BOOST_TEST(dom.find("data-platform=\"macos-arm64\" data-state=\"waiting_for_host\"") !=
             std::string::npos);
  BOOST_TEST(dom.find(">waiting for host</span>") != std::string::npos);
  BOOST_TEST(dom.find("<td class=\"host-wait\">2 min</td>") != std::string::npos);
  // Comparisons: one queued, one done with a regression and an unchanged benchmark.
  BOOST_TEST(count_of(dom, "<table class=\"compare\"") == 2u);
  BOOST_TEST(dom.find("data-id=\"8\" data-state=\"queued\"") != std::string::npos);
  BOOST_TEST(count_of(dom, "<tr class=\"compare-row\"") == 2u);
  BOOST_TEST(count_of(dom, "data-verdict=\"regression\"") == 1u);
  BOOST_TEST(count_of(dom, "data-verdict=\"same\"") == 1u);
  BOOST_TEST(dom.find("(missing macos-arm64)") != std::string::npos);
  // Noise: every series shows its own; the noisy one is flagged.
  BOOST_TEST(count_of(dom, "<span class=\"noise\">noise 1.0%</span>") == 5u);
  BOOST_TEST(count_of(dom, "<span class=\"noise noisy\"") == 1u);
  BOOST_TEST(dom.find("noisy: 31.0%</span>") != std::string::npos);

  // The hostile branch name is text, not an element, and the title held.
  BOOST_TEST(dom.find("<script") == std::string::npos);
  BOOST_TEST(dom.find("feature/&lt;script&gt;") != std::string::npos);
  BOOST_TEST(dom.find("pwned</title>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(chromium_paints_the_page) {
  page p;
  write(p.dir.file("blank.html"), "<!DOCTYPE html><html><body></body></html>");
  std::string shot = p.dir.file("dashboard.png"), blank = p.dir.file("blank.png");
  run_chromium(p.url, {"--screenshot=" + shot, "--window-size=1280,2000"});
  run_chromium("file://" + p.dir.file("blank.html"),
               {"--screenshot=" + blank, "--window-size=1280,2000"});
  p.keep("dashboard.png");

  std::string png = slurp(shot);
  BOOST_TEST_REQUIRE(png.size() > 24u, "no screenshot written to " << shot);
  BOOST_TEST(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  auto be32 = [&](std::size_t at) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  BOOST_TEST(png.compare(12, 4, "IHDR") == 0);
  BOOST_TEST(be32(16) == 1280u);  // width
  BOOST_TEST(be32(20) == 2000u);  // height
  // A blank page of the same size compresses to a few KB; charts, text and
  // tables do not. Far above it means something was painted.
  std::size_t blank_size = slurp(blank).size();
  BOOST_TEST(blank_size > 0u);
  BOOST_TEST(png.size() > 5 * blank_size,
             "screenshot " << png.size() << " bytes vs blank page " << blank_size);
}
