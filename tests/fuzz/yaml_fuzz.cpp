// libFuzzer target for YAML definitions: parses arbitrary bytes as YAML
// (yaml-cpp's event parser into troupe::json, with the marks of every value)
// and loads the result as a workflow definition against troupe's core
// actions, placing the error with the YAML line and column, as `troupe run
// x.yaml` and POST /api/v1/runs with Content-Type: application/yaml do.
// Each value's place is looked up too. Any crash, sanitizer report or
// timeout is a bug: every input must become a definition or an error.
//
// Built by tests/fuzz/CMakeLists.txt and run by tests/fuzz/run_fuzz.sh (a
// CTest test); by hand: tests/fuzz/run_fuzz.sh build/fuzz 60 yaml_fuzz
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "actors/common/action.hpp"
#include "actors/workflow/action_core.hpp"
#include "actors/workflow/definition_document.hpp"

namespace {

const troupe::workflow::action_registry& catalog() {
  static const troupe::workflow::action_registry actions =
      troupe::workflow::core_actions();
  return actions;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe::workflow;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = parse_definition_document(text, "fuzz.yaml", definition_format::yaml);
  if (!doc) return 0;
  (void)doc->marks.find("$.tasks.a.next[0].do[1]");
  (void)doc->marks.subtree(troupe::json_path().key("definition")).find("$.tasks");
  auto def = load_definition(*doc, catalog());
  if (!def) (void)def.error().message();
  return 0;
}
