// The expression language: literals, paths, every operator and its type
// rules, truthiness and short-circuits, precedence, and error messages with
// columns. Functions are in expr_functions_test.cpp, templates in
// expr_template_test.cpp, limits in expr_limits_test.cpp.
#define BOOST_TEST_MODULE expr
#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/actors/workflow/expr/expr_support.hpp"

using expr_test::error_of;
using expr_test::eval;
using expr_test::eval_error;
using expr_test::parse;
using troupe::json;

BOOST_AUTO_TEST_CASE(literals) {
  BOOST_TEST(eval("null").is_null());
  BOOST_TEST(eval("true") == json(true));
  BOOST_TEST(eval("false") == json(false));
  BOOST_TEST(eval("42").is_int());
  BOOST_TEST(eval("42").as_int() == 42);
  BOOST_TEST(eval("-42").as_int() == -42);
  BOOST_TEST(eval("9223372036854775807").as_int() == INT64_MAX);
  BOOST_TEST(eval("2.5").is_double());
  BOOST_TEST(eval("2.5").as_double() == 2.5);
  BOOST_TEST(eval("1e3").is_double());
  BOOST_TEST(eval("1.5E-1").as_double() == 0.15);
  BOOST_TEST(eval("'single'").as_string() == "single");
  BOOST_TEST(eval("\"double\"").as_string() == "double");
  BOOST_TEST(eval(R"('it\'s \"q\" \\ \/ \n\t\r\b\f')").as_string() ==
             "it's \"q\" \\ / \n\t\r\b\f");
  BOOST_TEST(eval(R"("\u00e9\u20ac\ud83d\ude00")").as_string() ==
             "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  BOOST_TEST(eval("[]") == json::array());
  BOOST_TEST(eval("[1, 'two', [3], null,]") == parse(R"([1, "two", [3], null])"));
  BOOST_TEST(eval("{}") == json::object());
  BOOST_TEST(eval(R"({"a": 1, 'b': [true], "a": 2})") ==
             parse(R"({"a": 2, "b": [true]})"));
  BOOST_TEST(eval(R"({"k" + "ey": parameters.n})") == parse(R"({"key": 3})"));
}

BOOST_AUTO_TEST_CASE(paths) {
  BOOST_TEST(eval("parameters.hosts") == parse(R"(["a", "b", "c"])"));
  BOOST_TEST(eval("parameters.hosts[0]").as_string() == "a");
  BOOST_TEST(eval("parameters.hosts[-1]").as_string() == "c");
  BOOST_TEST(eval("parameters.hosts[1.0]").as_string() == "b");
  BOOST_TEST(eval("parameters['hosts'][2]").as_string() == "c");
  BOOST_TEST(eval(R"(parameters.env["GIT-SHA"])").as_string() == "abc");
  BOOST_TEST(eval("parameters.env.in").as_int() == 1);  // keywords are fine as members
  BOOST_TEST(eval("task.deploy.result.hosts[0]").as_string() == "a");
  BOOST_TEST(eval("system.execution_id").as_string() == "e-1");
  BOOST_TEST(eval("parameters.hosts[parameters.n - 1]").as_string() == "c");
  BOOST_TEST(eval("[10, 20, 30][1]").as_int() == 20);
  BOOST_TEST(eval(R"({"a": {"b": 7}}.a.b)").as_int() == 7);
  BOOST_TEST(eval("keys(parameters.env)[0]").as_string() == "GIT-SHA");
  BOOST_TEST(eval("parameters.nothing").is_null());
}

BOOST_AUTO_TEST_CASE(missing_paths_name_the_path) {
  BOOST_TEST(
      eval_error("parameters.hostz") ==
      R"('parameters.hostz' is undefined at column 15 in "{{ parameters.hostz }}")");
  BOOST_TEST(eval_error("nope") == R"('nope' is undefined at column 4 in "{{ nope }}")");
  BOOST_TEST(
      eval_error("task.build.result").find("'task.build' is undefined at column 9") ==
      0u);
  BOOST_TEST(eval_error("parameters.hosts[3]") ==
             "'parameters.hosts[3]' is undefined (index 3 out of range for 3 elements) "
             R"(at column 20 in "{{ parameters.hosts[3] }}")");
  BOOST_TEST(eval_error("parameters.hosts[-4]").find("index -4 out of range") !=
             std::string::npos);
  BOOST_TEST(eval_error("parameters.n.x") ==
             "'parameters.n.x' is undefined ('parameters.n' is integer, not an object) "
             R"(at column 17 in "{{ parameters.n.x }}")");
  BOOST_TEST(eval_error("parameters.nothing[0]").find("'parameters.nothing' is null") !=
             std::string::npos);
  BOOST_TEST(eval_error("parameters.env['nope']")
                 .find("'parameters.env['nope']' is undefined") == 0u);
  BOOST_TEST(eval_error("parameters.hosts['a']")
                 .find("array index must be an integer, got string") == 0u);
  BOOST_TEST(
      eval_error("parameters.env[0]").find("object key must be a string, got integer") ==
      0u);
  BOOST_TEST(eval_error("parameters.hosts[0.5]").find("array index must be an integer") ==
             0u);
}

BOOST_AUTO_TEST_CASE(arithmetic) {
  BOOST_TEST(eval("1 + 2") == json(3));
  BOOST_TEST(eval("1 + 2").is_int());
  BOOST_TEST(eval("1 + 2.5") == json(3.5));
  BOOST_TEST(eval("5 - 7") == json(-2));
  BOOST_TEST(eval("6 * 7") == json(42));
  BOOST_TEST(eval("1.5 * 2").is_double());
  // '/' is true division: always a double.
  BOOST_TEST(eval("7 / 2") == json(3.5));
  BOOST_TEST(eval("6 / 2").is_double());
  BOOST_TEST(eval("6 / 2").as_double() == 3.0);
  // '//' floors, '%' takes the sign of the divisor (Python's rules).
  BOOST_TEST(eval("7 // 2") == json(3));
  BOOST_TEST(eval("7 // 2").is_int());
  BOOST_TEST(eval("-7 // 2") == json(-4));
  BOOST_TEST(eval("7 // -2") == json(-4));
  BOOST_TEST(eval("7.5 // 2").is_double());
  BOOST_TEST(eval("7.5 // 2").as_double() == 3.0);
  BOOST_TEST(eval("7 % 3") == json(1));
  BOOST_TEST(eval("-7 % 3") == json(2));
  BOOST_TEST(eval("7 % -3") == json(-2));
  BOOST_TEST(eval("-7.5 % 2").as_double() == 0.5);
  BOOST_TEST(eval("-9223372036854775807 - 1") == json(INT64_MIN));
  BOOST_TEST(eval("(-9223372036854775807 - 1) % -1") == json(0));
  BOOST_TEST(eval("-parameters.n") == json(-3));
  BOOST_TEST(eval("- -parameters.n") == json(3));
  BOOST_TEST(eval("-parameters.ratio") == json(-0.5));
  // + joins strings and arrays and merges objects (the right side wins).
  BOOST_TEST(eval("'ab' + \"cd\"").as_string() == "abcd");
  BOOST_TEST(eval("[1] + [2, 3]") == parse("[1, 2, 3]"));
  BOOST_TEST(eval("parameters.hosts + []") == parse(R"(["a", "b", "c"])"));
  BOOST_TEST(eval(R"({"a": 1, "b": 2} + {"a": 3, "c": 4})") ==
             parse(R"({"a": 3, "b": 2, "c": 4})"));
}

BOOST_AUTO_TEST_CASE(arithmetic_errors) {
  BOOST_TEST(eval_error("1 / 0") == R"(division by zero at column 6 in "{{ 1 / 0 }}")");
  BOOST_TEST(eval_error("1 // 0").find("division by zero") == 0u);
  BOOST_TEST(eval_error("1.5 // 0.0").find("division by zero") == 0u);
  BOOST_TEST(eval_error("1 % 0").find("modulo by zero") == 0u);
  BOOST_TEST(eval_error("9223372036854775807 + 1").find("integer overflow in '+'") == 0u);
  BOOST_TEST(eval_error("-9223372036854775807 - 2").find("integer overflow in '-'") ==
             0u);
  BOOST_TEST(eval_error("4611686018427387904 * 2").find("integer overflow in '*'") == 0u);
  BOOST_TEST(eval_error("(-9223372036854775807 - 1) // -1").find("integer overflow") ==
             0u);
  BOOST_TEST(
      eval_error("-(-9223372036854775807 - 1)").find("integer overflow in unary '-'") ==
      0u);
  BOOST_TEST(eval_error("'a' + 1") ==
             R"(cannot apply '+' to string and integer at column 8 in "{{ 'a' + 1 }}")");
  BOOST_TEST(eval_error("[1] - [1]").find("cannot apply '-' to array and array") == 0u);
  BOOST_TEST(eval_error("null * 2").find("cannot apply '*' to null and integer") == 0u);
  BOOST_TEST(eval_error("true % 2").find("cannot apply '%' to boolean and integer") ==
             0u);
  BOOST_TEST(eval_error("-'a'").find("cannot apply unary '-' to string") == 0u);
  BOOST_TEST(eval_error("99999999999999999999").find("number out of range") == 0u);
}

BOOST_AUTO_TEST_CASE(comparison) {
  BOOST_TEST(eval("1 == 1") == json(true));
  BOOST_TEST(eval("1 == 1.0") == json(true));
  BOOST_TEST(eval("1 != 2") == json(true));
  BOOST_TEST(eval("'1' == 1") ==
             json(false));  // different types are unequal, not an error
  BOOST_TEST(eval("null == null") == json(true));
  BOOST_TEST(eval("parameters.nothing == null") == json(true));
  BOOST_TEST(eval(R"([1, {"a": [2]}] == [1, {"a": [2.0]}])") == json(true));
  BOOST_TEST(eval(R"({"a": 1, "b": 2} == {"b": 2, "a": 1})") == json(true));
  BOOST_TEST(eval("1 < 2") == json(true));
  BOOST_TEST(eval("2 <= 2") == json(true));
  BOOST_TEST(eval("3 > 2.5") == json(true));
  BOOST_TEST(eval("2.5 >= 3") == json(false));
  BOOST_TEST(eval("9007199254740993 > 9007199254740992.0") == json(true));  // exact
  BOOST_TEST(eval("'abc' < 'abd'") == json(true));
  BOOST_TEST(eval("'b' > 'abc'") == json(true));
  BOOST_TEST(eval("parameters.n >= 3 and parameters.n < 4") == json(true));
  BOOST_TEST(
      eval_error("'a' < 1") ==
      R"(cannot compare string with integer using '<' at column 8 in "{{ 'a' < 1 }}")");
  BOOST_TEST(
      eval_error("[1] >= [0]").find("cannot compare array with array using '>='") == 0u);
  BOOST_TEST(eval_error("null > 0").find("cannot compare null with integer") == 0u);
  // Comparisons do not chain: (1 < 2) < 3 compares a boolean.
  BOOST_TEST(eval_error("1 < 2 < 3").find("cannot compare boolean with integer") == 0u);
}

BOOST_AUTO_TEST_CASE(membership) {
  BOOST_TEST(eval("'b' in parameters.hosts") == json(true));
  BOOST_TEST(eval("'z' in parameters.hosts") == json(false));
  BOOST_TEST(eval("'z' not in parameters.hosts") == json(true));
  BOOST_TEST(eval("[1] in [[1], 2]") == json(true));
  BOOST_TEST(eval("1.0 in [1, 2]") == json(true));
  BOOST_TEST(eval("'GIT-SHA' in parameters.env") == json(true));
  BOOST_TEST(eval("'abc' in parameters.env") == json(false));
  BOOST_TEST(eval("1 in parameters.env") == json(false));
  BOOST_TEST(eval("'ell' in 'hello'") == json(true));
  BOOST_TEST(eval("'' in 'hello'") == json(true));
  BOOST_TEST(eval("'x' not in 'hello'") == json(true));
  BOOST_TEST(eval("not 'a' in parameters.hosts") == json(false));
  BOOST_TEST(
      eval_error("1 in 'abc'") ==
      R"(cannot apply 'in' to integer and string at column 6 in "{{ 1 in 'abc' }}")");
  BOOST_TEST(
      eval_error("1 not in 5").find("cannot apply 'not in' to integer and integer") ==
      0u);
  BOOST_TEST(eval_error("'a' in null").find("cannot apply 'in' to string and null") ==
             0u);
}

BOOST_AUTO_TEST_CASE(truthiness) {
  for (const char* falsy : {"null", "false", "0", "0.0", "-0.0", "''", "[]", "{}"}) {
    BOOST_TEST(eval(std::string("not ") + falsy) == json(true), falsy);
    BOOST_TEST(eval(std::string("bool(") + falsy + ")") == json(false), falsy);
  }
  for (const char* truthy :
       {"true", "1", "-1", "0.1", "'0'", "' '", "[0]", "{'a': null}", "'false'"}) {
    BOOST_TEST(eval(std::string("not ") + truthy) == json(false), truthy);
    BOOST_TEST(troupe::expr::truthy(eval(truthy)), truthy);
  }
}

BOOST_AUTO_TEST_CASE(logic_short_circuits_and_returns_operands) {
  BOOST_TEST(eval("true and false") == json(false));
  BOOST_TEST(eval("true or false") == json(true));
  BOOST_TEST(eval("not true") == json(false));
  BOOST_TEST(eval("not not 'x'") == json(true));
  // Like Python: the operand that decides is the value.
  BOOST_TEST(eval("parameters.nothing or 'fallback'").as_string() == "fallback");
  BOOST_TEST(eval("'first' or 'second'").as_string() == "first");
  BOOST_TEST(eval("0 and 'x'") == json(0));
  BOOST_TEST(eval("1 and 'x'").as_string() == "x");
  // The right side is not evaluated when the left decides: no error here.
  BOOST_TEST(eval("false and missing.path") == json(false));
  BOOST_TEST(eval("vars.ok or 1 / 0") == json(true));
  BOOST_TEST(eval("parameters.flag and parameters.n.x.y") == json(false));
  BOOST_TEST(eval_error("true and missing").find("'missing' is undefined") == 0u);
}

BOOST_AUTO_TEST_CASE(precedence) {
  BOOST_TEST(eval("1 + 2 * 3") == json(7));
  BOOST_TEST(eval("(1 + 2) * 3") == json(9));
  BOOST_TEST(eval("10 - 4 - 3") == json(3));  // left to right
  BOOST_TEST(eval("2 * 3 % 4") == json(2));   // (2 * 3) % 4
  BOOST_TEST(eval("-2 * 3") == json(-6));
  BOOST_TEST(eval("- parameters.n * 2") == json(-6));
  BOOST_TEST(eval("1 + 2 == 3") == json(true));
  BOOST_TEST(eval("not 1 == 2") == json(true));               // not (1 == 2)
  BOOST_TEST(eval("true or false and false") == json(true));  // and binds tighter
  BOOST_TEST(eval("(true or false) and false") == json(false));
  BOOST_TEST(eval("not false and false") == json(false));  // (not false) and false
  BOOST_TEST(eval("1 + 1 in [2]") == json(true));          // (1 + 1) in [2]
  BOOST_TEST(eval("parameters.hosts[0] + parameters.hosts[1]").as_string() == "ab");
  BOOST_TEST(eval("length(parameters.hosts) * 2 + 1") == json(7));
}

BOOST_AUTO_TEST_CASE(syntax_errors_point_at_the_column) {
  BOOST_TEST(error_of("{{ length(x)) }}") ==
             R"(unexpected ')' at column 13 in "{{ length(x)) }}")");
  BOOST_TEST(error_of("{{ 1 + }}") ==
             R"(expected an expression, found '}}' at column 8 in "{{ 1 + }}")");
  BOOST_TEST(error_of("{{ }}") ==
             R"(expected an expression, found '}}' at column 4 in "{{ }}")");
  BOOST_TEST(error_of("{{ (1 + 2 }}") ==
             R"(expected ')', found '}}' at column 11 in "{{ (1 + 2 }}")");
  BOOST_TEST(error_of("{{ [1, 2 }}").find("expected ',' or ']', found '}}'") == 0u);
  BOOST_TEST(
      error_of("{{ {'a' 1} }}").find("expected ':' after an object key, found '1'") ==
      0u);
  BOOST_TEST(error_of("ab {{ x") ==
             R"(missing '}}' to close the template at column 4 in "ab {{ x")");
  BOOST_TEST(error_of("{{ x }") == R"(unexpected '}' at column 6 in "{{ x }")");
  BOOST_TEST(error_of("{{ 'abc }}") ==
             R"(unterminated string at column 4 in "{{ 'abc }}")");
  BOOST_TEST(error_of(R"({{ 'a\qb' }})") ==
             R"(invalid escape '\q' in string at column 6 in "{{ 'a\\qb' }}")");
  BOOST_TEST(
      error_of(R"({{ '\ud800' }})").find("invalid \\u escape in string at column 5") ==
      0u);
  BOOST_TEST(
      error_of("{{ a = 1 }}").find("unexpected '=' (use '==' to compare) at column 6") ==
      0u);
  BOOST_TEST(error_of("{{ !a }}").find("unexpected '!' (use 'not') at column 4") == 0u);
  BOOST_TEST(error_of("{{ a @ b }}").find("unexpected character '@' at column 6") == 0u);
  BOOST_TEST(error_of("{{ 12abc }}").find("invalid number '12abc' at column 4") == 0u);
  BOOST_TEST(error_of("{{ 1e }}").find("invalid number '1e'") == 0u);
  BOOST_TEST(error_of("{{ a. }}").find("expected a member name after '.', found '}}'") ==
             0u);
  BOOST_TEST(error_of("{{ a[1 }}").find("expected ']', found '}}'") == 0u);
  BOOST_TEST(error_of("{{ a b }}").find("unexpected 'b' at column 6") == 0u);
  BOOST_TEST(error_of("{{ a not b }}").find("unexpected 'not' at column 6") == 0u);
  BOOST_TEST(error_of("{{ nosuch(1) }}") ==
             R"(unknown function 'nosuch' at column 4 in "{{ nosuch(1) }}")");
  BOOST_TEST(error_of("{{ length() }}").find("length() takes 1 argument, got 0") == 0u);
  BOOST_TEST(error_of("{{ result(1) }}").find("result() takes 0 arguments, got 1") == 0u);
  BOOST_TEST(error_of("{{ range() }}").find("range() takes 1 to 3 arguments, got 0") ==
             0u);
  BOOST_TEST(error_of("{{ max() }}").find("max() takes at least 1 argument, got 0") ==
             0u);
  // Columns count characters, not bytes.
  BOOST_TEST(error_of("h\xC3\xA9llo {{ ) }}").find("at column 10") != std::string::npos);
  BOOST_TEST(error_of("{{ '\xC3\xA9' \xE2\x82\xAC }}") ==
             "unexpected character '\xE2\x82\xAC' at column 8 in \"{{ '\xC3\xA9' "
             "\xE2\x82\xAC }}\"");
}

BOOST_AUTO_TEST_CASE(long_templates_are_shown_as_an_excerpt) {
  std::string text = std::string(300, 'x') + " {{ ) }}";
  std::string message = error_of(text);
  BOOST_TEST(message.find("expected an expression, found ')' at column 305 in \"...") ==
             0u);
  BOOST_TEST(message.find("{{ ) }}\"") != std::string::npos);
  BOOST_TEST(message.size() < 200u);
  std::string tail = "{{ ) }}" + std::string(300, 'y');
  message = error_of(tail);
  BOOST_TEST(message.find("at column 4 in \"{{ ) }}yyy") != std::string::npos);
  BOOST_TEST(message.substr(message.size() - 4) == "...\"");
}
