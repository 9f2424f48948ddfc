// libFuzzer target for the definition loader: parses arbitrary bytes as a
// workflow definition (simdjson, then validation: fields, templates, the
// task graph, each action's input) against troupe's core actions
// (core_actions(), the catalog the engine uses; core.shell's check_input is
// the real one, so the process code is linked though never run). A loaded
// definition also binds an empty parameter object. Any crash, sanitizer
// report or timeout is a bug: the loader must turn every input into a
// definition or an error naming its JSON path.
//
// Built with expr_fuzz by tests/fuzz/CMakeLists.txt (clang, -O1,
// -fsanitize=fuzzer,address,undefined) and run for a bounded time by
// tests/fuzz/run_fuzz.sh, a CTest test (see tests/CMakeLists.txt). By hand:
//   tests/fuzz/run_fuzz.sh build/fuzz 60
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "actors/common/action.hpp"
#include "actors/workflow/action_core.hpp"
#include "actors/workflow/definition.hpp"

namespace {

const troupe::workflow::action_registry& catalog() {
  static const troupe::workflow::action_registry actions =
      troupe::workflow::core_actions();
  return actions;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto def = troupe::workflow::parse_definition(text, "fuzz.json", catalog());
  if (!def) {
    (void)def.error().message();
    return 0;
  }
  (void)troupe::workflow::bind_parameters(**def, troupe::json::object());
  return 0;
}
