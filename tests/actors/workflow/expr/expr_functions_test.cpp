// The builtin functions of the expression language, their type checks, and
// default()'s treatment of missing paths.
#define BOOST_TEST_MODULE expr_functions
#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/actors/workflow/expr/expr_support.hpp"

using expr_test::context;
using expr_test::error_of;
using expr_test::eval;
using expr_test::eval_error;
using expr_test::parse;
using expr_test::roots;
using troupe::json;
namespace expr = troupe::expr;

BOOST_AUTO_TEST_CASE(task_outcome_functions) {
  expr::json_context ok(roots(), expr::task_outcome{true, parse(R"({"stdout": "hi"})")});
  auto r = expr_test::render("{{ result() }}", ok);
  BOOST_REQUIRE(r.is_ok());
  BOOST_TEST(*r == parse(R"({"stdout": "hi"})"));
  BOOST_TEST(*expr_test::render("{{ succeeded() }}", ok) == json(true));
  BOOST_TEST(*expr_test::render("{{ failed() }}", ok) == json(false));
  BOOST_TEST(*expr_test::render("{{ result().stdout }}", ok) == json("hi"));

  expr::json_context bad(roots(), expr::task_outcome{false, json("boom")});
  BOOST_TEST(*expr_test::render("{{ succeeded() }}", bad) == json(false));
  BOOST_TEST(*expr_test::render("{{ failed() }}", bad) == json(true));
  BOOST_TEST(*expr_test::render("{{ result() }}", bad) == json("boom"));

  // Outside a task's transitions there is no outcome.
  BOOST_TEST(eval_error("result()") ==
             "result(): only available in a task's transitions at column 4 in "
             R"("{{ result() }}")");
  BOOST_TEST(eval_error("succeeded()").find("succeeded(): only available") == 0u);
}

BOOST_AUTO_TEST_CASE(length_keys_values) {
  BOOST_TEST(eval("length(parameters.hosts)") == json(3));
  BOOST_TEST(eval("length(parameters.env)") == json(2));
  BOOST_TEST(eval("length('abc')") == json(3));
  BOOST_TEST(eval("length('h\xC3\xA9\xE2\x82\xAC')") == json(3));  // code points
  BOOST_TEST(eval("length('')") == json(0));
  BOOST_TEST(eval("keys(parameters.env)") == parse(R"(["GIT-SHA", "in"])"));
  BOOST_TEST(eval("values(parameters.env)") == parse(R"(["abc", 1])"));
  BOOST_TEST(eval("keys({})") == json::array());
  BOOST_TEST(eval_error("length(5)") ==
             "length() expects a string, array or object, got integer at column 4 in "
             R"("{{ length(5) }}")");
  BOOST_TEST(eval_error("keys([1])").find("keys() expects an object, got array") == 0u);
  BOOST_TEST(eval_error("values('x')").find("values() expects an object, got string") ==
             0u);
}

BOOST_AUTO_TEST_CASE(join_and_split) {
  BOOST_TEST(eval("join(parameters.hosts, ',')").as_string() == "a,b,c");
  BOOST_TEST(eval("join(parameters.hosts)").as_string() == "abc");
  BOOST_TEST(eval("join([1, 'x', null, [2], {'k': true}], ' ')").as_string() ==
             R"(1 x null [2] {"k":true})");
  BOOST_TEST(eval("join([], '-')").as_string() == "");
  BOOST_TEST(eval("split('a,b,,c', ',')") == parse(R"(["a", "b", "", "c"])"));
  BOOST_TEST(eval("split('a<>b', '<>')") == parse(R"(["a", "b"])"));
  BOOST_TEST(eval("split('', ',')") == parse(R"([""])"));
  BOOST_TEST(eval("split('  a \\t b\\n ')") == parse(R"(["a", "b"])"));
  BOOST_TEST(eval("split('')") == json::array());
  BOOST_TEST(eval_error("join('abc', ',')")
                 .find("join() expects an array as argument 1, got string") == 0u);
  BOOST_TEST(eval_error("join([], 1)")
                 .find("join() expects a string as argument 2, got integer") == 0u);
  BOOST_TEST(
      eval_error("split('a', '')").find("split(): the separator must not be empty") ==
      0u);
  BOOST_TEST(eval_error("split(1, ',')").find("split() expects a string as argument 1") ==
             0u);
}

BOOST_AUTO_TEST_CASE(default_function) {
  BOOST_TEST(eval("default(parameters.release, 'v0')").as_string() == "v1");
  BOOST_TEST(eval("default(parameters.nothing, 'v0')").as_string() == "v0");
  BOOST_TEST(eval("default(parameters.missing, 'v0')").as_string() == "v0");
  BOOST_TEST(eval("default(nope.deeper.still, 1)") == json(1));
  BOOST_TEST(eval("default(parameters.hosts[10], 'none')").as_string() == "none");
  BOOST_TEST(eval("default(parameters.n.x, 0)") == json(0));
  BOOST_TEST(eval("default(task.build.result, [])") == json::array());
  // A missing path anywhere inside the first argument counts as missing.
  BOOST_TEST(eval("default(parameters.missing + 1, 5)") == json(5));
  BOOST_TEST(eval("default(length(parameters.missing), 0)") == json(0));
  // false and 0 are values, not missing.
  BOOST_TEST(eval("default(parameters.flag, true)") == json(false));
  BOOST_TEST(eval("default(default(parameters.a, parameters.b), 'c')").as_string() ==
             "c");
  // The fallback is only evaluated when needed, and its own errors count.
  BOOST_TEST(eval("default(1, missing)") == json(1));
  BOOST_TEST(
      eval_error("default(parameters.missing, missing)").find("'missing' is undefined") ==
      0u);
  // Other errors are not swallowed.
  BOOST_TEST(eval_error("default(1 / 0, 2)").find("division by zero") == 0u);
  BOOST_TEST(eval_error("default('a' < 1, 2)").find("cannot compare string") == 0u);
  BOOST_TEST(
      eval_error("default(parameters.hosts['x'], 2)").find("array index must be") == 0u);
}

BOOST_AUTO_TEST_CASE(tojson_and_fromjson) {
  BOOST_TEST(eval("tojson(parameters.env)").as_string() == R"({"GIT-SHA":"abc","in":1})");
  BOOST_TEST(eval("tojson('a\"b')").as_string() == R"("a\"b")");
  BOOST_TEST(eval("tojson(null)").as_string() == "null");
  BOOST_TEST(eval("tojson(1.5)").as_string() == "1.5");
  BOOST_TEST(eval(R"(fromjson('{"a": [1, 2.5, null]}'))") ==
             parse(R"({"a": [1, 2.5, null]})"));
  BOOST_TEST(eval("fromjson(tojson(parameters))") == roots()["parameters"]);
  BOOST_TEST(eval("fromjson('7')") == json(7));
  BOOST_TEST(eval_error("fromjson('{')").find("fromjson(): fromjson:1:2:") == 0u);
  BOOST_TEST(eval_error("fromjson(1)").find("fromjson() expects a string, got integer") ==
             0u);
}

BOOST_AUTO_TEST_CASE(range_function) {
  BOOST_TEST(eval("range(4)") == parse("[0, 1, 2, 3]"));
  BOOST_TEST(eval("range(0)") == json::array());
  BOOST_TEST(eval("range(-3)") == json::array());
  BOOST_TEST(eval("range(2, 5)") == parse("[2, 3, 4]"));
  BOOST_TEST(eval("range(5, 2)") == json::array());
  BOOST_TEST(eval("range(0, 10, 3)") == parse("[0, 3, 6, 9]"));
  BOOST_TEST(eval("range(10, 0, -4)") == parse("[10, 6, 2]"));
  BOOST_TEST(eval("range(3.0)") == parse("[0, 1, 2]"));
  BOOST_TEST(eval("range(parameters.n)") == parse("[0, 1, 2]"));
  BOOST_TEST(eval("length(range(1000000))") == json(1000000));
  BOOST_TEST(eval("range(9223372036854775806, 9223372036854775807)") ==
             parse("[9223372036854775806]"));
  BOOST_TEST(eval("length(range(-9223372036854775807 - 1, 9223372036854775807, "
                  "4611686018427387904))") == json(4));
  BOOST_TEST(eval_error("range(0, 5, 0)").find("range(): the step must not be 0") == 0u);
  BOOST_TEST(eval_error("range(1.5)")
                 .find("range() expects an integer as argument 1, got number") == 0u);
  BOOST_TEST(eval_error("range('3')").find("range() expects an integer") == 0u);
  BOOST_TEST(eval_error("range(10000001)") ==
             "range(): more than 10000000 elements at column 4 in "
             R"("{{ range(10000001) }}")");
  BOOST_TEST(eval_error("range(-9223372036854775807 - 1, 9223372036854775807)")
                 .find("range(): more than") == 0u);
}

BOOST_AUTO_TEST_CASE(text_functions) {
  BOOST_TEST(eval("lower('AbC-\xC3\x89')").as_string() == "abc-\xC3\x89");  // ASCII only
  BOOST_TEST(eval("upper('abc-1')").as_string() == "ABC-1");
  BOOST_TEST(eval("trim('  a b \\n')").as_string() == "a b");
  BOOST_TEST(eval("trim('')").as_string() == "");
  BOOST_TEST(eval("replace('a-b-c', '-', '+')").as_string() == "a+b+c");
  BOOST_TEST(eval("replace('aaa', 'aa', 'b')").as_string() == "ba");
  BOOST_TEST(eval("startswith('deploy-web', 'deploy')") == json(true));
  BOOST_TEST(eval("startswith('de', 'deploy')") == json(false));
  BOOST_TEST(eval("endswith('deploy-web', '-web')") == json(true));
  BOOST_TEST(eval("endswith('web', 'deploy-web')") == json(false));
  BOOST_TEST(eval_error("lower(1)").find("lower() expects a string, got integer") == 0u);
  BOOST_TEST(eval_error("replace('a', '', 'b')").find("replace(): the text to replace") ==
             0u);
  BOOST_TEST(eval_error("startswith('a', 1)")
                 .find("startswith() expects a string as argument 2, got integer") == 0u);
}

BOOST_AUTO_TEST_CASE(conversions) {
  BOOST_TEST(eval("int('42')") == json(42));
  BOOST_TEST(eval("int(' -7 ')") == json(-7));
  BOOST_TEST(eval("int(3.9)") == json(3));
  BOOST_TEST(eval("int(-3.9)") == json(-3));
  BOOST_TEST(eval("int(true)") == json(1));
  BOOST_TEST(eval("int(5)") == json(5));
  BOOST_TEST(eval("float('2.5')") == json(2.5));
  BOOST_TEST(eval("float(2)").is_double());
  BOOST_TEST(eval("float(false)").as_double() == 0.0);
  BOOST_TEST(eval("str(12)").as_string() == "12");
  BOOST_TEST(eval("str('x')").as_string() == "x");
  BOOST_TEST(eval("str([1, 'a'])").as_string() == R"([1,"a"])");
  BOOST_TEST(eval("str(null)").as_string() == "null");
  BOOST_TEST(eval("bool([])") == json(false));
  BOOST_TEST(eval("bool('x')") == json(true));
  BOOST_TEST(eval("type(1)").as_string() == "integer");
  BOOST_TEST(eval("type(1.5)").as_string() == "number");
  BOOST_TEST(eval("type(parameters)").as_string() == "object");
  BOOST_TEST(eval("type(parameters.nothing)").as_string() == "null");
  BOOST_TEST(eval("abs(-3)") == json(3));
  BOOST_TEST(eval("abs(-2.5)") == json(2.5));
  BOOST_TEST(
      eval_error("int('4x')") ==
      R"(int(): cannot convert "4x" to an integer at column 4 in "{{ int('4x') }}")");
  BOOST_TEST(eval_error("int(1e300)").find("int(): cannot convert") == 0u);
  BOOST_TEST(eval_error("int(null)")
                 .find("int() expects a number, boolean or string, got null") == 0u);
  BOOST_TEST(
      eval_error("float('abc')").find("float(): cannot convert \"abc\" to a number") ==
      0u);
  BOOST_TEST(eval_error("abs('1')").find("abs() expects a number, got string") == 0u);
  BOOST_TEST(
      eval_error("abs(-9223372036854775807 - 1)").find("abs(): integer overflow") == 0u);
}

BOOST_AUTO_TEST_CASE(min_max_sum) {
  BOOST_TEST(eval("min([3, 1, 2])") == json(1));
  BOOST_TEST(eval("max([3, 1.5, 2])") == json(3));
  BOOST_TEST(eval("max(1, 2.5)") == json(2.5));
  BOOST_TEST(eval("min('b', 'a', 'c')").as_string() == "a");
  BOOST_TEST(eval("max(parameters.hosts)").as_string() == "c");
  BOOST_TEST(eval("sum([1, 2, 3])") == json(6));
  BOOST_TEST(eval("sum([1, 2, 3])").is_int());
  BOOST_TEST(eval("sum([1, 0.5])") == json(1.5));
  BOOST_TEST(eval("sum([])") == json(0));
  BOOST_TEST(eval_error("min([])").find("min(): empty array") == 0u);
  BOOST_TEST(
      eval_error("max([1, 'a'])").find("max(): cannot compare string with integer") ==
      0u);
  BOOST_TEST(eval_error("min(5)").find("min() expects an array") == 0u);
  BOOST_TEST(eval_error("sum([1, 'a'])").find("sum(): cannot add string") == 0u);
  BOOST_TEST(
      eval_error("sum([9223372036854775807, 1])").find("sum(): integer overflow") == 0u);
}

BOOST_AUTO_TEST_CASE(arguments_are_evaluated_before_the_call) {
  BOOST_TEST(
      eval_error("length(parameters.nope)").find("'parameters.nope' is undefined") == 0u);
  BOOST_TEST(eval("length(join(split('a b c'), ''))") == json(3));
  BOOST_TEST(eval("max(1, 2, 3, 4, 5, 6)") == json(6));  // more than the inline buffer
  BOOST_TEST(error_of("{{ nosuch }}").find("'nosuch' is undefined") == 0u);
}
