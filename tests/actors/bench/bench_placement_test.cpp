// Bench placement: which cluster member may run a platform (role, platform
// name, labels, node name), who may pull (this node, fitting members; not
// strangers, not members of another platform, not unknown platforms), and the
// platform's definition on the wire and back, unchanged and checked.
#define BOOST_TEST_MODULE bench_placement
#include <boost/test/unit_test.hpp>

#include "actors/bench/placement.hpp"
#include "messages/errors.hpp"

using namespace troupe;
using namespace troupe::bench;

namespace {

platform_config platform(std::vector<std::string> labels = {}, std::string node = "") {
  platform_config p;
  p.name = "x86";
  p.labels = std::move(labels);
  p.node = std::move(node);
  p.workdir = "/srv/bench";
  p.build = {"make", "{commit}"};
  p.suites.push_back({"micro",
                      {"./micro", "--json"},
                      result_format::google_benchmark,
                      3,
                      std::chrono::seconds(9)});
  p.suites.push_back(
      {"tools", {"./tools"}, result_format::simple, 1, std::chrono::nanoseconds(0)});
  return p;
}

member_info member(std::string platform, std::vector<std::string> labels = {},
                   std::string name = "w1") {
  return {std::move(name),
          {"runner", "platform"},
          std::move(platform),
          std::move(labels),
          "1"};
}

caf::node_id node_of(std::uint32_t pid) {
  return *caf::make_node_id(pid, std::string(40, static_cast<char>('a' + pid)));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_member_fits_by_role_platform_labels_and_node) {
  BOOST_CHECK_EQUAL(placement_mismatch(member("x86"), platform()), "");
  BOOST_CHECK_NE(placement_mismatch(member("arm"), platform()), "");
  BOOST_CHECK_NE(placement_mismatch(member(""), platform()), "");
  auto no_role = member("x86");
  no_role.roles = {"runner"};
  BOOST_CHECK_NE(placement_mismatch(no_role, platform()), "");
  BOOST_CHECK_EQUAL(
      placement_mismatch(member("x86", {"avx2", "big"}), platform({"avx2"})), "");
  BOOST_CHECK_NE(placement_mismatch(member("x86", {"big"}), platform({"avx2"})), "");
  BOOST_CHECK_EQUAL(placement_mismatch(member("x86", {}, "w1"), platform({}, "w1")), "");
  BOOST_CHECK_NE(placement_mismatch(member("x86", {}, "w2"), platform({}, "w1")), "");
}

BOOST_AUTO_TEST_CASE(only_this_node_and_fitting_members_may_pull) {
  auto local = node_of(1), worker = node_of(2), other = node_of(3), stranger = node_of(4);
  cluster_members members;
  members.admit(worker, member("x86"));
  members.admit(other, member("arm", {}, "w2"));
  std::vector<platform_config> platforms{platform()};
  BOOST_CHECK(!placement_refusal(&members, local, local, platforms, "x86"));
  BOOST_CHECK(!placement_refusal(&members, worker, local, platforms, "x86"));
  BOOST_CHECK(is(placement_refusal(&members, other, local, platforms, "x86"),
                 errc::not_a_member));
  BOOST_CHECK(is(placement_refusal(&members, stranger, local, platforms, "x86"),
                 errc::not_a_member));
  BOOST_CHECK(is(placement_refusal(nullptr, worker, local, platforms, "x86"),
                 errc::not_a_member));
  BOOST_CHECK(
      is(placement_refusal(&members, worker, local, platforms, "arm"), errc::not_found));
  members.remove(worker);
  BOOST_CHECK(is(placement_refusal(&members, worker, local, platforms, "x86"),
                 errc::not_a_member));
}

BOOST_AUTO_TEST_CASE(a_definition_round_trips_with_its_limits) {
  bench_settings s;
  s.suite_timeout = std::chrono::minutes(3);
  s.build_timeout = std::chrono::minutes(7);
  s.max_output_bytes = 4096;
  auto p = platform({"avx2"}, "w1");
  auto back = from_definition(to_definition(p, s));
  BOOST_REQUIRE(back);
  auto& [q, t] = *back;
  BOOST_CHECK_EQUAL(q.name, p.name);
  BOOST_CHECK(q.labels == p.labels);
  BOOST_CHECK_EQUAL(q.node, p.node);
  BOOST_CHECK_EQUAL(q.workdir, p.workdir);
  BOOST_CHECK(q.build == p.build);
  BOOST_REQUIRE_EQUAL(q.suites.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    BOOST_CHECK_EQUAL(q.suites[i].name, p.suites[i].name);
    BOOST_CHECK(q.suites[i].argv == p.suites[i].argv);
    BOOST_CHECK(q.suites[i].format == p.suites[i].format);
    BOOST_CHECK_EQUAL(q.suites[i].repetitions, p.suites[i].repetitions);
    BOOST_CHECK(q.suites[i].timeout == p.suites[i].timeout);
  }
  BOOST_CHECK(t.suite_timeout == s.suite_timeout);
  BOOST_CHECK(t.build_timeout == s.build_timeout);
  BOOST_CHECK_EQUAL(t.max_output_bytes, s.max_output_bytes);
}

BOOST_AUTO_TEST_CASE(a_broken_definition_is_refused_with_the_reason) {
  auto def = to_definition(platform(), bench_settings{});
  def.suites[1].format = "xml";
  auto bad = from_definition(def);
  BOOST_REQUIRE(!bad);
  BOOST_CHECK(bad.error().message().find("xml") != std::string::npos);
  def = to_definition(platform(), bench_settings{});
  def.suites.clear();
  BOOST_CHECK(!from_definition(def));
  def = to_definition(platform(), bench_settings{});
  def.suite_timeout_ns = 0;
  BOOST_CHECK(!from_definition(def));
}
