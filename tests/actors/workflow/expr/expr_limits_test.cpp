// The limits that keep hostile templates cheap: nesting depth (parser and
// evaluator recursion), expression length, evaluation steps, range() size
// and string size. Each is an error with a message, never a crash.
#define BOOST_TEST_MODULE expr_limits
#include <boost/test/unit_test.hpp>
#include <string>

#include "tests/actors/workflow/expr/expr_support.hpp"

using expr_test::error_of;
using expr_test::eval;
using expr_test::eval_error;
using troupe::json;

BOOST_AUTO_TEST_CASE(limits_bound_hostile_input) {
  // Nesting: parentheses, unary operators, literals and long chains are all
  // bounded by max_depth (the parser and the evaluator recurse on them).
  std::string parens = std::string(100000, '(') + "1" + std::string(100000, ')');
  BOOST_TEST(
      error_of("{{ " + parens + " }}").find("expression nested deeper than 128 levels") ==
      0u);
  BOOST_TEST(error_of("{{ " + std::string(5000, '[') + " }}").find("nested deeper") !=
             std::string::npos);
  BOOST_TEST(error_of("{{ " + std::string(5000, '-') + "1 }}").find("nested deeper") !=
             std::string::npos);
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  BOOST_TEST(error_of("{{ " + nots + "1 }}").find("nested deeper") != std::string::npos);
  std::string chain = "1";
  for (int i = 0; i < 3000; ++i) chain += " + 1";
  BOOST_TEST(error_of("{{ " + chain + " }}").find("nested deeper") != std::string::npos);
  std::string calls;
  for (int i = 0; i < 3000; ++i) calls += "length(";
  BOOST_TEST(error_of("{{ " + calls + " }}").find("nested deeper") != std::string::npos);
  // Within the limit, deep expressions work.
  std::string ok = std::string(50, '(') + "2" + std::string(50, ')');
  BOOST_TEST(eval(ok) == json(2));
  std::string sum = "0";
  for (int i = 0; i < 100; ++i) sum += " + 1";
  BOOST_TEST(eval(sum) == json(100));

  // Expression length.
  troupe::expr::limits small;
  small.max_expression_bytes = 64;
  BOOST_TEST(error_of("{{ '" + std::string(100, 'x') + "' }}", small) ==
             "expression longer than 64 bytes at column 4 in \"{{ '" +
                 std::string(100, 'x') + "' }}\"");
  BOOST_TEST(error_of("{{ 1" + std::string(100, ' ') + "+ 1 }}", small)
                 .find("expression longer than 64 bytes at column 105") == 0u);
  // The text around templates is not an expression.
  auto ctx = expr_test::context();
  BOOST_TEST(expr_test::render(std::string(1000, 'x') + "{{ 1 }}", ctx, small).is_ok());

  // Evaluation steps and sizes.
  BOOST_TEST(eval_error("range(10000000) + range(10000000) + range(10000000)")
                 .find("range(): evaluation needs more than 20000000 steps") == 0u);
  troupe::expr::limits tight;
  tight.max_steps = 1000;
  BOOST_TEST(error_of("{{ range(2000) }}", tight)
                 .find("range(): evaluation needs more than 1000 steps") == 0u);
  BOOST_TEST(error_of("{{ join(range(999), ',') }}", tight).find("steps") !=
             std::string::npos);
  tight.max_string_bytes = 100;
  BOOST_TEST(error_of("{{ join(range(50), ',') }}", tight)
                 .find("join(): string longer than 100") == 0u);
  BOOST_TEST(error_of("{{ tojson(range(50)) }}", tight)
                 .find("tojson(): string longer than 100") == 0u);
  BOOST_TEST(
      error_of("{{ '" + std::string(60, 'a') + "' + '" + std::string(60, 'b') + "' }}",
               tight)
          .find("string longer than 100 bytes") == 0u);
  BOOST_TEST(
      error_of(std::string(90, 'x') + "{{ '" + std::string(20, 'y') + "' }}", tight)
          .find("string longer than 100 bytes at column 91") == 0u);
  tight.max_range = 10;
  BOOST_TEST(error_of("{{ range(11) }}", tight).find("range(): more than 10 elements") ==
             0u);
}
