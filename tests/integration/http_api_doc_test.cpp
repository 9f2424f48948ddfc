// docs/http-api.md against the node: every route the node registers (as GET
// /api/v1/node lists them) has its heading in the API reference, and every
// heading names a registered route, with method and pattern exactly as the
// code has them.
#define BOOST_TEST_MODULE http_api_doc_test
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"

using namespace troupe::testing;

namespace {

// "METHOD /pattern" of every "### `METHOD /pattern`" heading.
std::set<std::string> documented(const std::string& file) {
  std::ifstream in(file);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
  const std::regex heading(R"re(^### `([A-Z]+ /[^`]*)`\s*$)re");
  std::set<std::string> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_match(line, m, heading))
      BOOST_CHECK_MESSAGE(out.insert(m[1].str()).second,
                          file << ":" << n << ": " << m[1].str() << " documented twice");
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_api_reference_names_exactly_the_routes_the_node_serves) {
  node_process node;
  auto described = get_json(node.http(), "/api/v1/node");
  std::set<std::string> served;
  for (auto& r : described["routes"].items())
    served.insert(std::string(r["method"].as_string()) + " " +
                  std::string(r["pattern"].as_string()));
  BOOST_REQUIRE_GE(served.size(), 20u);  // node, fleet, workflow, bench and webhooks

  auto docs = documented(source_dir() + "/docs/http-api.md");
  for (auto& route : served)
    BOOST_CHECK_MESSAGE(docs.count(route),
                        route << " is served but not in docs/http-api.md");
  for (auto& route : docs)
    BOOST_CHECK_MESSAGE(served.count(route),
                        route << " is in docs/http-api.md but not served");
}
