// Helpers shared by the expression engine's tests: a fixed context and
// one-line evaluation of expressions and templates.
#pragma once

#include <boost/test/unit_test.hpp>
#include <string>

#include "actors/workflow/expr/context.hpp"
#include "actors/workflow/expr/template.hpp"
#include "runtime/base/json/json.hpp"

namespace expr_test {

using troupe::json;

inline json parse(std::string_view text) {
  auto r = json::parse(text);
  BOOST_REQUIRE_MESSAGE(r.is_ok(), r.error().message());
  return *r;
}

// parameters, vars, task results and system as a workflow would hold them.
inline const json& roots() {
  static const json value = parse(R"({
    "parameters": {"hosts": ["a", "b", "c"], "n": 3, "release": "v1",
                   "nothing": null, "flag": false, "ratio": 0.5,
                   "env": {"GIT-SHA": "abc", "in": 1}},
    "vars": {"ok": true, "deployed": 0, "names": ["x", "y"]},
    "task": {"deploy": {"result": {"code": 0, "hosts": ["a"]}}},
    "system": {"execution_id": "e-1", "workflow": "deploy"}
  })");
  return value;
}

inline troupe::expr::json_context context() {
  return troupe::expr::json_context(roots());
}

// Renders `text` (a template) against `ctx`.
inline troupe::result<json> render(const std::string& text,
                                   const troupe::expr::eval_context& ctx,
                                   const troupe::expr::limits& lim = {}) {
  auto t = troupe::expr::compile_template(text, lim);
  if (!t) return t.error();
  return troupe::expr::render(*t, ctx, lim);
}

// The value of the expression `e` ("{{ e }}") in the default context;
// fails the test on an error.
inline json eval(const std::string& e) {
  auto ctx = context();
  auto r = render("{{ " + e + " }}", ctx);
  BOOST_REQUIRE_MESSAGE(r.is_ok(), e + ": " + r.error().message());
  return *r;
}

// The error message of the template `text` (compile or render); fails the
// test if it succeeds.
inline std::string error_of(const std::string& text,
                            const troupe::expr::limits& lim = {}) {
  auto ctx = context();
  auto r = render(text, ctx, lim);
  if (r.is_ok()) BOOST_FAIL(text + " should fail, gave " + r->dump());
  return r.error().message();
}

// The error of the expression `e` ("{{ e }}").
inline std::string eval_error(const std::string& e) {
  return error_of("{{ " + e + " }}");
}

}  // namespace expr_test
