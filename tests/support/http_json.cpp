#include "tests/support/http_json.hpp"

#include <boost/test/unit_test.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "tests/support/http_client.hpp"

namespace troupe::testing {

using namespace std::chrono_literals;

namespace {

// The long poll (docs/http-api.md, "Long polls") that changes when `path`
// may: the route itself for a pool, a run, bench's status and the cluster
// view; bench's status for bench's other routes; "" for a route with none.
std::string feed_of(const std::string& path) {
  auto route = path.substr(0, path.find('?'));
  for (std::string prefix : {"/api/v1/pools/", "/api/v1/runs/"})
    if (route.rfind(prefix, 0) == 0 && route.size() > prefix.size() &&
        route.find('/', prefix.size()) == std::string::npos)
      return route;
  if (route == "/api/v1/cluster") return route;
  if (route.rfind("/api/v1/bench/", 0) == 0) return "/api/v1/bench/status";
  return {};
}

json parsed(const std::string& path, const http_reply& r) {
  auto v = json::parse(r.body);
  BOOST_REQUIRE_MESSAGE(v, path << ": not JSON: " << r.body);
  return *v;
}

}  // namespace

json get_json(const std::string& http, const std::string& path) {
  auto r = http_once(http, "GET", path);
  BOOST_REQUIRE_MESSAGE(r.status == 200, path << ": " << r.status << " " << r.body);
  return parsed(path, r);
}

json await_json(const std::string& http, const std::string& path,
                const std::function<bool(const json&)>& done,
                std::chrono::milliseconds limit,
                const std::function<std::string()>& context) {
  auto until = std::chrono::steady_clock::now() + limit;
  auto feed = feed_of(path);
  std::optional<std::int64_t> seen;  // the feed's version last answered
  auto since = [&] { return feed + "?since=" + std::to_string(seen.value_or(0)); };
  for (;;) {
    auto r = http_once(http, "GET", feed == path && seen ? since() : path);
    if (r.status == 200) {
      auto j = parsed(path, r);
      if (done(j)) return j;
      if (feed == path && j["version"].is_int()) seen = j["version"].as_int();
    }
    if (std::chrono::steady_clock::now() > until)
      BOOST_FAIL(path << (r.status == 200 ? " never fit: "
                                          : ": " + std::to_string(r.status) + " ")
                      << r.body << (context ? "\n" + context() : ""));
    if (feed.empty() || (feed == path && !seen)) {
      std::this_thread::sleep_for(100ms);  // no change feed: ask again
    } else if (feed != path) {             // waits for the feed's next change
      auto f = http_once(http, "GET", since());
      if (auto v = json::parse(f.body); f.status == 200 && v && (*v)["version"].is_int())
        seen = (*v)["version"].as_int();
    }
  }
}

double metric_sample(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(line.rfind(' ') + 1));
  return -1;
}

double await_bench_metric(const std::string& http, const std::string& prefix,
                          const std::function<bool(double)>& done,
                          std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  std::int64_t seen = 0;  // bench's status version last answered
  for (;;) {
    auto r = http_once(http, "GET", "/metrics");
    double value = r.status == 200 ? metric_sample(r.body, prefix) : -1;
    if (r.status == 200 && done(value)) return value;
    if (std::chrono::steady_clock::now() > until)
      BOOST_FAIL("/metrics: " << prefix << "never fit (last " << value << ", HTTP "
                              << r.status << ")");
    auto f = http_once(http, "GET", "/api/v1/bench/status?since=" + std::to_string(seen));
    if (auto v = json::parse(f.body); f.status == 200 && v && (*v)["version"].is_int())
      seen = (*v)["version"].as_int();
  }
}

void await_bench_ready(const std::string& http) {
  await_json(http, "/api/v1/bench/status",
             [](const json& s) { return s["ready"].as_bool(); });
}

}  // namespace troupe::testing
