// Templates: exact templates keep their value's type, mixed text renders
// to a string, text without templates is shared, and JSON values with
// templates in their strings render as a whole (with-items style).
#define BOOST_TEST_MODULE expr_template
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "actors/workflow/expr/json_template.hpp"
#include "tests/actors/workflow/expr/expr_support.hpp"

using expr_test::context;
using expr_test::error_of;
using expr_test::parse;
using expr_test::roots;
using troupe::json;
namespace expr = troupe::expr;

namespace {

json render(const std::string& text) {
  auto ctx = context();
  auto r = expr_test::render(text, ctx);
  BOOST_REQUIRE_MESSAGE(r.is_ok(), text + ": " + r.error().message());
  return *r;
}

expr::compiled_template compile(const std::string& text) {
  auto t = expr::compile_template(text);
  BOOST_REQUIRE_MESSAGE(t.is_ok(), text + ": " + t.error().message());
  return *t;
}

}  // namespace

BOOST_AUTO_TEST_CASE(exact_templates_keep_the_type) {
  BOOST_TEST(render("{{ parameters.n }}").is_int());
  BOOST_TEST(render("{{ parameters.n }}") == json(3));
  BOOST_TEST(render("{{parameters.n}}") == json(3));
  BOOST_TEST(render("{{ \t\n parameters.n \n }}") == json(3));
  BOOST_TEST(render("{{ parameters.hosts }}") == parse(R"(["a", "b", "c"])"));
  BOOST_TEST(render("{{ parameters.env }}") == parse(R"({"GIT-SHA": "abc", "in": 1})"));
  BOOST_TEST(render("{{ vars.ok }}") == json(true));
  BOOST_TEST(render("{{ parameters.nothing }}").is_null());
  BOOST_TEST(render("{{ parameters.ratio }}") == json(0.5));
  BOOST_TEST(render("{{ 'text' }}") == json("text"));
  BOOST_TEST(render("{{ {'a': {'b': [1]}} }}") == parse(R"({"a": {"b": [1]}})"));
  BOOST_TEST(render("{{{'a': 1}}}") == parse(R"({"a": 1})"));
  BOOST_TEST(compile("{{ x }}").is_exact());
  // An exact template of a context value shares it (no deep copy).
  BOOST_TEST(render("{{ parameters.hosts }}").identity() ==
             roots()["parameters"]["hosts"].identity());
}

BOOST_AUTO_TEST_CASE(mixed_templates_render_text) {
  BOOST_TEST(render("host-{{ parameters.hosts[0] }}") == json("host-a"));
  BOOST_TEST(render("{{ parameters.n }} hosts") == json("3 hosts"));
  BOOST_TEST(render(" {{ parameters.n }}") == json(" 3"));  // outer space: mixed
  BOOST_TEST(render("{{ 1 }}{{ 2 }}") == json("12"));       // two templates: mixed
  BOOST_TEST(render("list={{ parameters.hosts }}") == json(R"(list=["a","b","c"])"));
  BOOST_TEST(render("obj={{ {'k': null} }}") == json(R"(obj={"k":null})"));
  BOOST_TEST(render("v={{ null }},{{ true }},{{ 2.5 }}") == json("v=null,true,2.5"));
  BOOST_TEST(render("{{ 'a' }}-{{ 'b' }}") == json("a-b"));
  BOOST_TEST(!compile("a {{ x }}").is_exact());
  BOOST_TEST(compile("a {{ x }}").has_expressions());
}

BOOST_AUTO_TEST_CASE(text_without_templates) {
  auto t = compile("plain text } { }} {");
  BOOST_TEST(!t.has_expressions());
  BOOST_TEST(!t.is_exact());
  auto ctx = context();
  json a = *expr::render(t, ctx);
  json b = *expr::render(t, ctx);
  BOOST_TEST(a == json("plain text } { }} {"));
  BOOST_TEST(a.identity() == b.identity());  // the same shared string every time
  BOOST_TEST(render("") == json(""));
  BOOST_TEST(*expr::render(expr::compiled_template(), ctx) == json(""));
  // "{{" itself is written as a template of a string.
  BOOST_TEST(render("{{ '{{' }} x }}") == json("{{ x }}"));
  BOOST_TEST(render("a }} b {{ 1 }}") == json("a }} b 1"));
}

BOOST_AUTO_TEST_CASE(unicode_passes_through) {
  BOOST_TEST(render("h\xC3\xA9llo {{ 'w\xC3\xB6rld \xE2\x9C\x93' }} \xF0\x9F\x98\x80") ==
             json("h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93 \xF0\x9F\x98\x80"));
  BOOST_TEST(render("{{ '\xE6\x97\xA5\xE6\x9C\xAC' + '\xE8\xAA\x9E' }}") ==
             json("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"));
  BOOST_TEST(render("{{ length('\xE6\x97\xA5\xE6\x9C\xAC') }}") == json(2));
  BOOST_TEST(render("{{ '\xC3\xA9' in 'caf\xC3\xA9' }}") == json(true));
}

BOOST_AUTO_TEST_CASE(compiled_once_rendered_per_item) {
  auto t = compile("ping -c1 {{ item }} #{{ index }}");
  auto exact = compile("{{ item }}");
  expr::json_context base(roots());
  json hosts = roots()["parameters"]["hosts"];
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    expr::item_context ctx(base, hosts[i], static_cast<std::int64_t>(i));
    lines.push_back(std::string(expr::render(t, ctx)->as_string()));
    BOOST_TEST(*expr::render(exact, ctx) == hosts[i]);
    BOOST_TEST(expr::render(exact, ctx)->identity() == hosts[i].identity());
  }
  BOOST_TEST(lines == (std::vector<std::string>{"ping -c1 a #0", "ping -c1 b #1",
                                                "ping -c1 c #2"}));
  // item and index are only defined inside with-items.
  BOOST_TEST(error_of("{{ item }}") ==
             R"('item' is undefined at column 4 in "{{ item }}")");
}

BOOST_AUTO_TEST_CASE(roots_and_task_outcome_are_reported) {
  auto t = compile(
      "{{ parameters.a }} {{ item }} {{ parameters.b + vars.c }} {{ default(x, 1) }}");
  BOOST_TEST(t.roots() == (std::vector<std::string>{"parameters", "item", "vars", "x"}));
  BOOST_TEST(!t.uses_task_outcome());
  BOOST_TEST(compile("{{ succeeded() and result().ok }}").uses_task_outcome());
  BOOST_TEST(compile("{{ failed() }}").uses_task_outcome());
  BOOST_TEST(compile("{{ failed() }}").roots().empty());
  BOOST_TEST(compile("x {{ 1 }}").text() == "x {{ 1 }}");
}

BOOST_AUTO_TEST_CASE(json_values_with_templates) {
  json input = parse(R"({
    "argv": ["ping", "-c1", "{{ item }}"],
    "count": "{{ parameters.n }}",
    "static": {"deep": ["no templates here", 1, {"x": "y"}]},
    "message": "deploying {{ length(parameters.hosts) }} hosts",
    "keys {{ are }} not templates": true
  })");
  auto t = expr::compile_json_template(
      input, troupe::json_path::of({"tasks", "check", "input"}));
  BOOST_REQUIRE_MESSAGE(t.is_ok(), t.error().message());
  BOOST_TEST(t->has_expressions());
  BOOST_TEST(t->roots() == (std::vector<std::string>{"item", "parameters"}));
  BOOST_TEST(t->source() == input);

  expr::json_context base(roots());
  expr::item_context ctx(base, json("b"), 1);
  auto r = expr::render(*t, ctx);
  BOOST_REQUIRE_MESSAGE(r.is_ok(), r.error().message());
  BOOST_TEST(*r == parse(R"({
    "argv": ["ping", "-c1", "b"],
    "count": 3,
    "static": {"deep": ["no templates here", 1, {"x": "y"}]},
    "message": "deploying 3 hosts",
    "keys {{ are }} not templates": true
  })"));
  // What holds no template is shared with the definition, not copied.
  BOOST_TEST((*r)["static"].identity() == input["static"].identity());
  BOOST_TEST((*r)["argv"][0].identity() == input["argv"][0].identity());
  // Member order is kept.
  std::vector<std::string> keys;
  for (auto m : r->members()) keys.emplace_back(m.key);
  BOOST_TEST(keys.front() == "argv");
  BOOST_TEST(keys.back() == "keys {{ are }} not templates");
}

BOOST_AUTO_TEST_CASE(json_values_without_templates_are_returned_as_is) {
  json input = parse(R"({"a": [1, "two", {"b": null}], "c": "}} {"})");
  auto t = expr::compile_json_template(input);
  BOOST_REQUIRE(t.is_ok());
  BOOST_TEST(!t->has_expressions());
  auto ctx = context();
  BOOST_TEST(expr::render(*t, ctx)->identity() == input.identity());
  BOOST_TEST(expr::render(expr::json_template(), ctx)->is_null());
  auto s = expr::compile_json_template(json("{{ parameters.release }}"));
  BOOST_REQUIRE(s.is_ok());
  BOOST_TEST(*expr::render(*s, ctx) == json("v1"));
}

BOOST_AUTO_TEST_CASE(json_template_errors_name_the_path) {
  json input = parse(R"({"argv": ["ping", "{{ length(x)) }}"]})");
  auto t = expr::compile_json_template(
      input, troupe::json_path::of({"tasks", "check", "input"}));
  BOOST_REQUIRE(!t.is_ok());
  BOOST_TEST(
      t.error().message() ==
      R"($.tasks.check.input.argv[1]: unexpected ')' at column 13 in "{{ length(x)) }}")");

  json output = parse(R"({"result": {"GIT-SHA": "{{ task.deploy.result.nope }}"}})");
  auto o = expr::compile_json_template(output, troupe::json_path::of({"output"}));
  BOOST_REQUIRE(o.is_ok());
  auto ctx = context();
  auto r = expr::render(*o, ctx);
  BOOST_REQUIRE(!r.is_ok());
  BOOST_TEST(
      r.error().message() ==
      R"($.output.result["GIT-SHA"]: 'task.deploy.result.nope' is undefined at column 23 )"
      R"(in "{{ task.deploy.result.nope }}")");
}

BOOST_AUTO_TEST_CASE(templates_are_safe_to_share_between_threads) {
  auto t = compile("{{ join(parameters.hosts, ',') }}-{{ item }}");
  auto copy = t;  // copies share the compiled form
  BOOST_TEST(copy.text() == t.text());
  expr::json_context base(roots());
  for (int i = 0; i < 3; ++i) {
    expr::item_context ctx(base, json(i), i);
    BOOST_TEST(*expr::render(copy, ctx) == json("a,b,c-" + std::to_string(i)));
  }
}
