#include "tests/support/http_json.hpp"

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <thread>

#include "tests/support/http_client.hpp"

namespace troupe::testing {

using namespace std::chrono_literals;

namespace {

// The routes that take `?since=V` (docs/http-api.md, "Long polls"): one
// pool, one run.
bool long_polls(const std::string& path) {
  for (std::string prefix : {"/api/v1/pools/", "/api/v1/runs/"})
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size())
      return path.find_first_of("/?", prefix.size()) == std::string::npos;
  return false;
}

json parsed(const std::string& path, const http_reply& r) {
  auto v = json::parse(r.body);
  BOOST_REQUIRE_MESSAGE(v, path << ": not JSON: " << r.body);
  return *v;
}

}  // namespace

json get_json(const std::string& http, const std::string& path) {
  auto r = http_once(http, "GET", path);
  for (int i = 0; i < 200 && r.status == 503; ++i) {
    std::this_thread::sleep_for(50ms);
    r = http_once(http, "GET", path);
  }
  BOOST_REQUIRE_MESSAGE(r.status == 200, path << ": " << r.status << " " << r.body);
  return parsed(path, r);
}

json await_json(const std::string& http, const std::string& path,
                const std::function<bool(const json&)>& done,
                std::chrono::milliseconds limit,
                const std::function<std::string()>& context) {
  auto until = std::chrono::steady_clock::now() + limit;
  std::string next = path;
  for (;;) {
    auto r = http_once(http, "GET", next);
    next = path;
    if (r.status == 200) {
      auto j = parsed(path, r);
      if (done(j)) return j;
      if (long_polls(path) && j["version"].is_int())
        next = path + "?since=" + std::to_string(j["version"].as_int());
    }
    if (std::chrono::steady_clock::now() > until)
      BOOST_FAIL(path << (r.status == 200 ? " never fit: "
                                          : ": " + std::to_string(r.status) + " ")
                      << r.body << (context ? "\n" + context() : ""));
    if (next == path) std::this_thread::sleep_for(100ms);
  }
}

double metric_sample(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(line.rfind(' ') + 1));
  return -1;
}

double await_metric(const std::string& http, const std::string& prefix,
                    const std::function<bool(double)>& done,
                    std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto r = http_once(http, "GET", "/metrics");
    double value = r.status == 200 ? metric_sample(r.body, prefix) : -1;
    if (r.status == 200 && done(value)) return value;
    if (std::chrono::steady_clock::now() > until)
      BOOST_FAIL("/metrics: " << prefix << "never fit (last " << value << ", HTTP "
                              << r.status << ")");
    std::this_thread::sleep_for(100ms);
  }
}

void await_bench_ready(const std::string& http) {
  await_json(http, "/api/v1/bench/status",
             [](const json& s) { return s["ready"].as_bool(); });
}

}  // namespace troupe::testing
