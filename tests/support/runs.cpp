#include "tests/support/runs.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <sstream>
#include <thread>

namespace troupe::testing {

using namespace std::chrono_literals;

json body_of(const http_reply& r) {
  auto v = json::parse(r.body);
  BOOST_REQUIRE_MESSAGE(v, "not JSON: " + r.body);
  return *v;
}

json await_final(const std::string& http, const std::string& id) {
  std::uint64_t version = 0;
  for (int i = 0; i < 600; ++i) {
    auto r = http_once(http, "GET",
                       "/api/v1/runs/" + id + "?since=" + std::to_string(version));
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    auto s = body_of(r);
    auto state = std::string(s["state"].as_string());
    if (state != "running" && state != "paused") return s;
    version = static_cast<std::uint64_t>(s["version"].as_int());
  }
  BOOST_FAIL("the run did not end");
  return {};
}

std::string fan_out(int items, const std::string& seconds,
                    const std::string& task_fields) {
  std::ostringstream list;
  for (int i = 1; i <= items; ++i) list << (i > 1 ? "," : "") << i;
  return R"({"definition": {"version": 1, "name": "spread", "input": {"n": [)" +
         list.str() +
         R"(]}, "tasks": {"fan": {"action": "core.shell", "with_items": "{{ parameters.n }}",
           "concurrency": 4, )" +
         task_fields + R"("input": {"argv": ["sh", "-c", "sleep )" + seconds +
         R"(; echo $PPID $1", "x", "{{ item }}"]}}},
         "output": {"out": "{{ task.fan.result }}"}}})";
}

std::string start_run(const std::string& http, const std::string& doc) {
  auto r = http_once(http, "POST", "/api/v1/runs", doc);
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(body_of(r)["id"].as_string());
}

std::vector<std::pair<int, int>> ran(const json& run) {
  std::vector<std::pair<int, int>> out;
  for (auto& r : run["output"]["out"].items()) {
    std::istringstream line{std::string(r["stdout"].as_string())};
    int pid = 0, item = 0;
    line >> pid >> item;
    out.emplace_back(pid, item);
  }
  return out;
}

}  // namespace troupe::testing
