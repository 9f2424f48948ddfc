// placement: which member nodes may create for a pool (role by provider,
// node labels), and the pool definition a member receives.
#define BOOST_TEST_MODULE placement_test
#include "actors/fleet/placement.hpp"

#include <boost/test/unit_test.hpp>

using namespace troupe;
using namespace troupe::fleet;

namespace {

pool_config pool(const std::string& provider, std::vector<std::string> node_labels = {}) {
  pool_config p;
  p.name = "linux";
  p.provider = provider;
  p.command = {"/bin/sleep", "{name}"};
  p.node_labels = std::move(node_labels);
  return p;
}

member_info member(std::vector<std::string> roles, std::vector<std::string> labels) {
  return {"w1", std::move(roles), "", std::move(labels), "0.1.0"};
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(process_pools_place_on_runner_nodes_others_on_creator_nodes) {
  BOOST_CHECK_EQUAL(placement_role("process"), std::string("runner"));
  BOOST_CHECK_EQUAL(placement_role("kubernetes"), std::string("creator"));
  BOOST_CHECK_EQUAL(placement_role("sim"), std::string("creator"));
  BOOST_CHECK(placement_refusal(pool("process"), member({"runner"}, {})).empty());
  auto why = placement_refusal(pool("process"), member({"creator"}, {}));
  BOOST_CHECK_MESSAGE(contains(why, "role 'runner'") && contains(why, "w1"), why);
  BOOST_CHECK(
      placement_refusal(pool("kubernetes"), member({"creator", "platform"}, {})).empty());
  BOOST_CHECK(!placement_refusal(pool("kubernetes"), member({"runner"}, {})).empty());
}

BOOST_AUTO_TEST_CASE(node_labels_must_all_be_present) {
  auto p = pool("sim", {"zone=a", "gpu"});
  BOOST_CHECK(
      placement_refusal(p, member({"creator"}, {"gpu", "zone=a", "x=y"})).empty());
  auto why = placement_refusal(p, member({"creator"}, {"zone=b", "gpu"}));
  BOOST_CHECK_MESSAGE(contains(why, "zone=a") && !contains(why, "gpu"), why);
  BOOST_CHECK(!placement_refusal(p, member({"creator"}, {})).empty());
}

BOOST_AUTO_TEST_CASE(runners_of_node_local_providers_end_with_their_node) {
  BOOST_CHECK(runners_live_on_node("process"));
  BOOST_CHECK(runners_live_on_node("sim"));
  BOOST_CHECK(!runners_live_on_node("kubernetes"));
}

BOOST_AUTO_TEST_CASE(
    a_member_receives_the_provider_definition_and_runs_no_local_creators) {
  auto p = pool("kubernetes", {"zone=a"});
  p.api_server = "https://kube:6443";
  p.resource_path = "/api/v1/namespaces/ci/pods";
  p.labels = {"self-hosted", "linux"};
  p.creation_timeout = std::chrono::seconds(7);
  p.creation_concurrency = 33;
  p.worker_creators = 5;
  p.sim_jitter = std::chrono::milliseconds(3);
  auto back = from_placement(to_placement(p, pool_pull_actor{}, "coord"));
  BOOST_CHECK_EQUAL(back.name, p.name);
  BOOST_CHECK_EQUAL(back.provider, "kubernetes");
  BOOST_CHECK_EQUAL(back.api_server, p.api_server);
  BOOST_CHECK_EQUAL(back.resource_path, p.resource_path);
  BOOST_CHECK(back.labels == p.labels);
  BOOST_CHECK(back.node_labels == p.node_labels);
  BOOST_CHECK(back.command == p.command);
  BOOST_CHECK(back.creation_timeout == p.creation_timeout);
  BOOST_CHECK(back.sim_jitter == p.sim_jitter);
  BOOST_CHECK_EQUAL(back.creation_concurrency, 33u);
  BOOST_CHECK_EQUAL(back.worker_creators, 5u);
  BOOST_CHECK_EQUAL(local_creator_count(back), 0u);
  BOOST_CHECK_EQUAL(to_placement(p, pool_pull_actor{}, "coord").owner, "coord");
}
