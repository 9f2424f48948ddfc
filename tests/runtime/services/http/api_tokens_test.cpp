// api_tokens: the node's token file. Named, scoped tokens one per line
// (comments and blank lines skipped); a lone bare token is the admin token
// "default" (the format before scopes). Every bad line is refused naming
// the file and line, and no error ever shows a token.
#define BOOST_TEST_MODULE api_tokens_test
#include "runtime/services/http/api_tokens.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "tests/support/temp_dir.hpp"

using namespace troupe;

namespace {

const std::string a = "aaaaaaaaaaaaaaaa1", b = "bbbbbbbbbbbbbbbb2",
                  c = "cccccccccccccccc3";

// The error of parsing `text` as "tokens.txt"; checks it names no token.
std::string refusal(const std::string& text) {
  auto parsed = parse_api_tokens(text, "tokens.txt");
  BOOST_REQUIRE(!parsed);
  auto message = parsed.error().message();
  for (auto& secret : {a, b, c, std::string("short")})
    BOOST_CHECK_MESSAGE(message.find(secret) == std::string::npos, message);
  return message;
}

}  // namespace

BOOST_AUTO_TEST_CASE(named_scoped_tokens_one_per_line) {
  auto parsed =
      parse_api_tokens("; who scope token\n\ngrafana read " + a +
                           "\n# the CI system\nci\toperate  " + b + "\r\nops admin " + c,
                       "tokens.txt");
  BOOST_REQUIRE_MESSAGE(parsed, parsed.error().message());
  BOOST_REQUIRE_EQUAL(parsed->size(), 3u);
  BOOST_CHECK_EQUAL((*parsed)[0].name, "grafana");
  BOOST_CHECK((*parsed)[0].scope == http_access::read);
  BOOST_CHECK_EQUAL((*parsed)[0].secret, a);
  BOOST_CHECK_EQUAL((*parsed)[1].name, "ci");
  BOOST_CHECK((*parsed)[1].scope == http_access::operate);
  BOOST_CHECK_EQUAL((*parsed)[1].secret, b);
  BOOST_CHECK((*parsed)[2].scope == http_access::admin);
  BOOST_CHECK_EQUAL((*parsed)[2].secret, c);
}

BOOST_AUTO_TEST_CASE(a_lone_bare_token_is_the_admin_token_default) {
  auto parsed = parse_api_tokens(a, "tokens.txt");
  BOOST_REQUIRE(parsed);
  BOOST_REQUIRE_EQUAL(parsed->size(), 1u);
  BOOST_CHECK_EQUAL((*parsed)[0].name, "default");
  BOOST_CHECK((*parsed)[0].scope == http_access::admin);
  BOOST_CHECK_EQUAL((*parsed)[0].secret, a);
}

BOOST_AUTO_TEST_CASE(bad_lines_are_refused_naming_file_and_line) {
  BOOST_CHECK_EQUAL(refusal("ci operate " + a + "\nbot writer " + b),
                    "tokens.txt:2: unknown scope 'writer' (read, operate or admin)");
  BOOST_CHECK_EQUAL(refusal("ci operate " + a + "\nci read " + b),
                    "tokens.txt:2: a second token named 'ci'");
  BOOST_CHECK_EQUAL(refusal("ci operate " + a + "\nbot read " + a),
                    "tokens.txt:2: the same token as an earlier line");
  BOOST_CHECK_EQUAL(refusal("ci operate short"),
                    "tokens.txt:1: the token must be at least 16 characters");
  BOOST_CHECK_EQUAL(refusal("ci " + a),
                    "tokens.txt:1: expected \"<name> <scope> <token>\"");
  BOOST_CHECK_EQUAL(refusal("c/i read " + a),
                    "tokens.txt:1: a token's name is letters, digits, '.', '_' or '-'");
  BOOST_CHECK_EQUAL(
      refusal(a + "\nci read " + b),
      "tokens.txt: a bare token (no name and scope) must be the file's only one");
  BOOST_CHECK_EQUAL(refusal("; nothing but a comment\n"), "tokens.txt: no token");
}

BOOST_AUTO_TEST_CASE(read_from_a_file_errors_name_the_key) {
  testing::temp_dir dir{"api-tokens"};
  auto path = dir.file("tokens");
  std::ofstream(path) << "ci operate " << a << "\nbot nope " << b << "\n";
  auto read = read_api_tokens(path, "http.token-file");
  BOOST_REQUIRE(!read);
  BOOST_CHECK_EQUAL(
      read.error().message(),
      path + ":2: unknown scope 'nope' (read, operate or admin) (http.token-file)");
  auto missing = read_api_tokens(dir.file("absent"), "http.token-file");
  BOOST_REQUIRE(!missing);
  BOOST_CHECK(missing.error().message().find("http.token-file") != std::string::npos);
}
