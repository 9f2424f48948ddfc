#define BOOST_TEST_MODULE metrics
#include "runtime/services/metrics/metrics.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "runtime/services/metrics/metrics_text.hpp"

namespace {

using troupe::metric_type;
using troupe::metrics_registry;

// Runs `promtool check metrics` on `text`; returns its exit status and output.
std::pair<int, std::string> promtool_check(const std::string& text) {
  char path[] = "/tmp/troupe_metrics_XXXXXX";
  int fd = mkstemp(path);
  BOOST_REQUIRE(fd >= 0);
  BOOST_REQUIRE_EQUAL(write(fd, text.data(), text.size()),
                      static_cast<ssize_t>(text.size()));
  close(fd);
  std::string command =
      std::string("/usr/bin/promtool check metrics < ") + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  int status = pclose(pipe);
  unlink(path);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace

BOOST_AUTO_TEST_CASE(value_formatting) {
  auto format = [](double v) {
    std::string out;
    troupe::append_metric_value(out, v);
    return out;
  };
  BOOST_TEST(format(0) == "0");
  BOOST_TEST(format(3) == "3");
  BOOST_TEST(format(100000) == "100000");
  BOOST_TEST(format(-2) == "-2");
  BOOST_TEST(format(0.25) == "0.25");
  BOOST_TEST(format(0.1) == "0.1");
  BOOST_TEST(format(1e300) == "1e+300");
  BOOST_TEST(format(INFINITY) == "+Inf");
  BOOST_TEST(format(-INFINITY) == "-Inf");
  BOOST_TEST(format(NAN) == "NaN");
}

BOOST_AUTO_TEST_CASE(counter_and_gauge_exact_text) {
  metrics_registry registry;
  auto& requests = registry.counter_family("troupe_http_requests_total",
                                           "HTTP requests served", {"method", "code"});
  requests.with({"POST", "201"}).inc(2);
  requests.with({"GET", "200"}).inc();
  requests.with({"GET", "200"}).inc(0.5);
  requests.with({"GET", "200"}).inc(-7);  // ignored: counters only go up
  auto& depth = registry.gauge_metric("troupe_queue_depth", "Items waiting");
  depth.set(5);
  depth.inc(2);
  depth.dec();
  BOOST_TEST(registry.render() ==
             "# HELP troupe_http_requests_total HTTP requests served\n"
             "# TYPE troupe_http_requests_total counter\n"
             "troupe_http_requests_total{method=\"GET\",code=\"200\"} 1.5\n"
             "troupe_http_requests_total{method=\"POST\",code=\"201\"} 2\n"
             "# HELP troupe_queue_depth Items waiting\n"
             "# TYPE troupe_queue_depth gauge\n"
             "troupe_queue_depth 6\n");
  BOOST_TEST(std::string(metrics_registry::content_type) ==
             "text/plain; version=0.0.4; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(same_registration_returns_same_family) {
  metrics_registry registry;
  auto& a = registry.counter_family("x_total", "first", {"a"});
  auto& b = registry.counter_family("x_total", "second help is ignored", {"a"});
  BOOST_TEST(&a == &b);
  BOOST_TEST(&a.with({"v"}) == &b.with({"v"}));
  auto& h1 = registry.histogram_family("h_seconds", "h", {}, {0.1, 1});
  auto& h2 = registry.histogram_family("h_seconds", "h", {}, {0.1, 1, INFINITY});
  BOOST_TEST(&h1 == &h2);
}

BOOST_AUTO_TEST_CASE(conflicts_and_bad_names_throw) {
  metrics_registry registry;
  registry.counter_family("x_total", "x", {"a"});
  BOOST_CHECK_THROW(registry.counter_family("x_total", "x", {"b"}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("x_total", "x", {"a"}), std::invalid_argument);
  registry.histogram_family("h", "h", {}, {1, 2});
  BOOST_CHECK_THROW(registry.histogram_family("h", "h", {}, {1, 3}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.counter_family("no_suffix", "x", {}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("g_total", "x", {}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("9bad", "x", {}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("bad-name", "x", {}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("g", "", {}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("g", "x", {"__reserved"}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("g", "x", {"a:b"}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_family("g", "x", {"a", "a"}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.histogram_family("h2", "x", {"le"}, {1}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.histogram_family("h3", "x", {}, {2, 1}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.histogram_family("h4", "x", {}, {1, NAN}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.counter_family("x_total", "x", {"a"}).with({}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(registry.gauge_callback("x_total", "x", [] { return 1.0; }),
                    std::invalid_argument);
  BOOST_TEST(troupe::is_valid_metric_name("ns:sub_name_2"));
  BOOST_TEST(troupe::is_valid_label_name("_x1"));
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_cumulative) {
  metrics_registry registry;
  auto& latency = registry.histogram_family("troupe_latency_seconds", "Latency",
                                            {"route"}, {0.1, 0.5, 1});
  auto& h = latency.with({"/a"});
  for (double v : {0.05, 0.1, 0.2, 0.5, 0.7, 3.0}) h.observe(v);
  h.observe(NAN);  // ignored
  BOOST_TEST(registry.render() ==
             "# HELP troupe_latency_seconds Latency\n"
             "# TYPE troupe_latency_seconds histogram\n"
             "troupe_latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 2\n"
             "troupe_latency_seconds_bucket{route=\"/a\",le=\"0.5\"} 4\n"
             "troupe_latency_seconds_bucket{route=\"/a\",le=\"1\"} 5\n"
             "troupe_latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 6\n"
             "troupe_latency_seconds_sum{route=\"/a\"} 4.55\n"
             "troupe_latency_seconds_count{route=\"/a\"} 6\n");
  auto& plain = registry.histogram_metric("troupe_size_bytes", "Size", {});
  plain.observe(10);
  const std::string text = registry.render();
  BOOST_TEST(text.find("troupe_size_bytes_bucket{le=\"+Inf\"} 1\n"
                       "troupe_size_bytes_sum 10\n"
                       "troupe_size_bytes_count 1\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(label_values_and_help_are_escaped) {
  metrics_registry registry;
  registry.gauge_family("g", "line one\nback\\slash \"quoted\"", {"v"})
      .with({"a\\b\"c\nd"})
      .set(1);
  BOOST_TEST(registry.render() ==
             "# HELP g line one\\nback\\\\slash \"quoted\"\n"
             "# TYPE g gauge\n"
             "g{v=\"a\\\\b\\\"c\\nd\"} 1\n");
}

BOOST_AUTO_TEST_CASE(concurrent_updates_sum_exactly) {
  metrics_registry registry;
  auto& family = registry.counter_family("hits_total", "Hits", {"worker"});
  auto& hist = registry.histogram_metric("work_seconds", "Work", {1, 2});
  auto& gauge = registry.gauge_metric("level", "Level");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto& own = family.with({std::to_string(t % 2)});
      for (int i = 0; i < kPerThread; ++i) {
        own.inc();
        family.with({"shared"}).inc(2);
        hist.observe(i % 3);
        gauge.inc();
        gauge.dec(0.5);
        if (i % 1000 == 0) registry.render();  // scraping while updating
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(family.with({"0"}).value() == kThreads / 2 * kPerThread);
  BOOST_TEST(family.with({"1"}).value() == kThreads / 2 * kPerThread);
  BOOST_TEST(family.with({"shared"}).value() == 2.0 * kThreads * kPerThread);
  BOOST_TEST(gauge.value() == 0.5 * kThreads * kPerThread);
  auto s = hist.collect();
  BOOST_TEST(s.count == static_cast<std::uint64_t>(kThreads * kPerThread));
  BOOST_TEST(s.cumulative.size() == 3u);
  BOOST_TEST(s.cumulative[2] == s.count);
}

BOOST_AUTO_TEST_CASE(callbacks_run_at_scrape_time) {
  metrics_registry registry;
  auto depth = std::make_shared<std::atomic<int>>(3);
  registry.gauge_callback("troupe_queue_items", "Queued",
                          [depth] { return depth->load(); });
  registry.callback_family(metric_type::counter, "troupe_pool_created_total", "Created",
                           {"pool"}, [] {
                             return std::vector<troupe::labeled_value>{
                                 {{"b"}, 2}, {{"a"}, 1}, {{"too", "many"}, 9}};
                           });
  *depth = 4;
  BOOST_TEST(registry.render() ==
             "# HELP troupe_pool_created_total Created\n"
             "# TYPE troupe_pool_created_total counter\n"
             "troupe_pool_created_total{pool=\"a\"} 1\n"
             "troupe_pool_created_total{pool=\"b\"} 2\n"
             "# HELP troupe_queue_items Queued\n"
             "# TYPE troupe_queue_items gauge\n"
             "troupe_queue_items 4\n");
  BOOST_TEST(registry.remove_callback("troupe_queue_items"));
  BOOST_TEST(!registry.remove_callback("troupe_queue_items"));
  BOOST_TEST(registry.render().find("troupe_queue_items") == std::string::npos);
  registry.gauge_callback("troupe_queue_items", "Queued again", [] { return 1.0; });
}

BOOST_AUTO_TEST_CASE(realistic_exposition_passes_promtool) {
  metrics_registry registry;
  auto& requests = registry.counter_family(
      "troupe_http_requests_total", "HTTP requests served", {"method", "route", "code"});
  requests.with({"GET", "/api/v1/pools/{pool}", "200"}).inc(41);
  requests.with({"POST", "/api/v1/pools", "201"}).inc(3);
  requests.with({"GET", "none", "404"}).inc();
  auto& duration = registry.histogram_family("troupe_http_request_duration_seconds",
                                             "HTTP request latency", {"method", "route"},
                                             troupe::default_duration_buckets());
  for (int i = 0; i < 100; ++i) {
    duration.with({"GET", "/api/v1/pools/{pool}"}).observe(0.0001 * i * i);
  }
  registry.gauge_metric("troupe_runners_idle", "Idle runners").set(12);
  registry
      .gauge_family("troupe_pool_runners", "Runners per pool and state",
                    {"pool", "state"})
      .with({"linux \"x64\"\nbig\\", "busy"})
      .set(7);
  registry
      .histogram_metric("troupe_store_batch_records", "Records per group commit",
                        troupe::exponential_buckets(1, 2, 8))
      .observe(17);
  registry.gauge_callback("troupe_uptime_seconds", "Seconds since start",
                          [] { return 12.5; });
  registry.counter_callback("troupe_process_spawns_total", "Processes spawned",
                            [] { return 1e6; });
  const std::string text = registry.render();
  auto [code, output] = promtool_check(text);
  BOOST_TEST_INFO("promtool output: " << output << "\nexposition:\n" << text);
  BOOST_TEST(code == 0);
}

BOOST_AUTO_TEST_CASE(promtool_catches_bad_text) {
  // Guards the check above: a lint problem must make promtool fail.
  auto [code, output] = promtool_check("# TYPE bad counter\nbad 1\n");
  BOOST_TEST(code != 0);
}
