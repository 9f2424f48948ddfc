// docs/http-api.md against the node: every route the node registers (as GET
// /api/v1/node lists them) has its heading in the API reference, and every
// heading names a registered route, with method and pattern exactly as the
// code has them, and the scope its "Auth:" line names is the route's access.
#define BOOST_TEST_MODULE http_api_doc_test
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <string>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"

using namespace troupe::testing;

namespace {

// "METHOD /pattern" of every "### `METHOD /pattern`" heading, with the
// access its "Auth:" line names ("none" and a webhook's signature: open).
std::map<std::string, std::string> documented(const std::string& file) {
  std::ifstream in(file);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
  const std::regex heading(R"re(^### `([A-Z]+ /[^`]*)`\s*$)re");
  const std::regex auth(R"re(^Auth: (\w+)\b.*)re");
  std::map<std::string, std::string> out;
  std::string line, route;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_match(line, m, heading)) {
      route = m[1].str();
      BOOST_CHECK_MESSAGE(out.emplace(route, "").second,
                          file << ":" << n << ": " << route << " documented twice");
    } else if (!route.empty() && out[route].empty() && std::regex_match(line, m, auth)) {
      auto word = m[1].str();
      out[route] = word == "none" || word == "the" ? "open" : word;
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_api_reference_names_exactly_the_routes_the_node_serves) {
  node_process node;
  auto described = get_json(node.http(), "/api/v1/node");
  std::map<std::string, std::string> served;
  for (auto& r : described["routes"].items())
    served[std::string(r["method"].as_string()) + " " +
           std::string(r["pattern"].as_string())] = std::string(r["access"].as_string());
  BOOST_REQUIRE_GE(served.size(), 20u);  // node, fleet, workflow, bench and webhooks

  auto docs = documented(source_dir() + "/docs/http-api.md");
  for (auto& [route, access] : served) {
    auto doc = docs.find(route);
    if (doc == docs.end()) {
      BOOST_ERROR(route << " is served but not in docs/http-api.md");
      continue;
    }
    BOOST_CHECK_MESSAGE(doc->second == access, route << " needs '" << access
                                                     << "' but docs/http-api.md says '"
                                                     << doc->second << "'");
  }
  for (auto& [route, access] : docs)
    BOOST_CHECK_MESSAGE(served.count(route),
                        route << " is in docs/http-api.md but not served");
}
