// The layers of the source tree (docs/architecture.md): every #include of a
// troupe header must point to the including file's own unit or to a lower
// layer. Subsystems (fleet, workflow, bench, cluster) share a layer and never
// include each other. Every source file must belong to a layer.
#define BOOST_TEST_MODULE layers
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

struct unit {
  std::string folder;  // prefix of the paths it holds, with a trailing '/'
  int rank;            // a unit may include units of lower rank
};

// Lowest first; the same order as the library targets in CMakeLists.txt.
const std::vector<unit> units = {
    {"runtime/base/", 0},    {"messages/", 1},          {"runtime/services/", 2},
    {"actors/common/", 3},   {"actors/supervisor/", 4}, {"actors/fleet/", 5},
    {"actors/workflow/", 5}, {"actors/bench/", 5},      {"actors/cluster/", 5},
    {"runtime/app/", 6},
};

std::optional<unit> unit_of(const std::string& path) {
  for (auto& u : units)
    if (path.compare(0, u.folder.size(), u.folder) == 0) return u;
  return std::nullopt;
}

// "file:line: message" for every file outside the layers and every include
// against their order, in the tree at `root`.
std::vector<std::string> violations(const fs::path& root) {
  std::vector<std::string> out;
  const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
  for (auto top : {"actors", "messages", "runtime"}) {
    if (!fs::exists(root / top)) continue;
    for (auto& entry : fs::recursive_directory_iterator(root / top)) {
      auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      auto path = fs::relative(entry.path(), root).generic_string();
      auto from = unit_of(path);
      if (!from) {
        out.push_back(path + ": in no layer");
        continue;
      }
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, include)) continue;
        auto target = m[1].str();
        auto to = unit_of(target);
        if (!to) {
          if (target.rfind("tests/", 0) == 0 || target.rfind("perf/", 0) == 0 ||
              fs::exists(root / target))
            out.push_back(path + ":" + std::to_string(n) + ": includes " + target +
                          ", which is in no layer");
          continue;
        }
        bool same = to->folder == from->folder;
        if (!same && to->rank >= from->rank)
          out.push_back(
              path + ":" + std::to_string(n) + ": " + from->folder + " includes " +
              target +
              (to->rank == from->rank ? " (a sibling subsystem)" : " (a higher layer)"));
      }
    }
  }
  return out;
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_source_tree_keeps_its_layers) {
  const char* src = std::getenv("TROUPE_SOURCE_DIR");
  BOOST_REQUIRE(src);
  BOOST_REQUIRE(fs::exists(fs::path(src) / "runtime/base"));
  auto found = violations(src);
  for (auto& v : found) BOOST_ERROR(v);
  BOOST_CHECK(found.empty());
}

BOOST_AUTO_TEST_CASE(includes_against_the_order_are_found) {
  troupe::testing::temp_dir dir("layers");
  fs::path root = dir.path();
  write(root / "runtime/base/status.hpp", "#pragma once\n");
  write(root / "messages/fleet.hpp", "#include \"runtime/base/status.hpp\"\n");
  // Allowed: downward and within a unit.
  write(root / "actors/fleet/pool.cpp",
        "#include \"messages/fleet.hpp\"\n#include \"actors/fleet/pool.hpp\"\n");
  write(root / "actors/fleet/pool.hpp", "#pragma once\n#include <vector>\n");
  BOOST_CHECK(violations(root).empty());

  write(root / "runtime/services/store/store.cpp",
        "#include \"actors/fleet/pool.hpp\"\n");
  write(root / "actors/bench/x.cpp", "\n  #include \"actors/fleet/pool.hpp\"\n");
  write(root / "messages/bench.hpp", "#include \"runtime/services/store/store.hpp\"\n");
  write(root / "runtime/stray.hpp", "#pragma once\n");
  auto found = violations(root);
  std::sort(found.begin(), found.end());
  BOOST_REQUIRE_EQUAL(found.size(), 4u);
  BOOST_CHECK_EQUAL(found[0],
                    "actors/bench/x.cpp:2: actors/bench/ includes actors/fleet/pool.hpp "
                    "(a sibling subsystem)");
  BOOST_CHECK_EQUAL(found[1],
                    "messages/bench.hpp:1: messages/ includes "
                    "runtime/services/store/store.hpp (a higher layer)");
  BOOST_CHECK_EQUAL(found[2],
                    "runtime/services/store/store.cpp:1: runtime/services/ includes "
                    "actors/fleet/pool.hpp (a higher layer)");
  BOOST_CHECK_EQUAL(found[3], "runtime/stray.hpp: in no layer");
}
