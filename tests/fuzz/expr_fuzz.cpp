// libFuzzer target for the expression engine: compiles arbitrary bytes as a
// template (as they are, and wrapped in "{{ }}" so that mutations reach the
// expression grammar at once) and renders them against a small fixed
// context; bytes that parse as JSON are also compiled and rendered as a JSON
// value with templates in its strings. Any crash, sanitizer report or
// timeout is a bug: the engine must turn every input into a value or an
// error within its limits.
//
// Not built by the main build (it needs clang): tests/fuzz/CMakeLists.txt
// builds it with definition_fuzz (-O1, -fsanitize=fuzzer,address,undefined)
// and tests/fuzz/run_fuzz.sh runs it for a bounded time, as the CTest test
// expr_fuzz. By hand:
//   tests/fuzz/run_fuzz.sh build/fuzz 60 expr_fuzz
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "actors/workflow/expr/context.hpp"
#include "actors/workflow/expr/json_template.hpp"
#include "actors/workflow/expr/template.hpp"
#include "runtime/base/json/json.hpp"

namespace {

using troupe::json;
namespace expr = troupe::expr;

// Tighter than the defaults so that each input stays fast and small.
const expr::limits& fuzz_limits() {
  static const expr::limits lim = [] {
    expr::limits l;
    l.max_steps = 100000;
    l.max_range = 10000;
    l.max_string_bytes = std::size_t{1} << 20;
    return l;
  }();
  return lim;
}

const expr::eval_context& fuzz_context() {
  static const json roots = *json::parse(R"({
    "parameters": {"hosts": ["a", "b", "c"], "n": 3, "s": "h\u00e9llo", "nothing": null,
                   "nested": {"list": [1, 2.5, [true, false]], "obj": {"k": "v"}}},
    "vars": {"ok": true, "count": 0, "big": 9223372036854775807, "neg": -1e308},
    "task": {"deploy": {"result": {"code": 0, "stdout": "{\"a\": 1}"}}},
    "system": {"execution_id": "e-1", "workflow": "fuzz"}
  })");
  static const expr::json_context base(
      roots, expr::task_outcome{true, json::parse("[1, 2]").value()});
  static const expr::item_context ctx(base, json("item"), 7);
  return ctx;
}

void run(std::string_view text) {
  auto t = expr::compile_template(text, fuzz_limits());
  if (!t) return;
  auto r = expr::render(*t, fuzz_context(), fuzz_limits());
  if (r) {
    (void)expr::truthy(*r);
    (void)r->dump();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  run(text);
  run("{{ " + std::string(text) + " }}");
  auto doc = json::parse(text);
  if (doc) {
    auto jt = expr::compile_json_template(*doc, troupe::json_path(), fuzz_limits());
    if (jt) (void)expr::render(*jt, fuzz_context(), fuzz_limits());
  }
  return 0;
}
