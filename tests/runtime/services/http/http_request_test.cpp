#define BOOST_TEST_MODULE http_request
#include <boost/test/unit_test.hpp>

#include "runtime/services/http/request.hpp"
#include "runtime/services/http/response.hpp"

BOOST_AUTO_TEST_CASE(percent_decoding) {
  BOOST_TEST(*troupe::percent_decode("a%20b%2Fc%7e", false) == "a b/c~");
  BOOST_TEST(*troupe::percent_decode("a+b", false) == "a+b");
  BOOST_TEST(*troupe::percent_decode("a+b", true) == "a b");
  BOOST_TEST(*troupe::percent_decode("", true) == "");
  for (const char* bad : {"%", "%4", "%zz", "a%2", "%g0"}) {
    BOOST_TEST(!troupe::percent_decode(bad, false).is_ok(), bad);
  }
}

BOOST_AUTO_TEST_CASE(query_parsing) {
  auto query = troupe::parse_query("a=1&b=x%20y&&flag&c=&d=e=f&e+1=%2B");
  BOOST_REQUIRE(query.is_ok());
  using pairs = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST((*query == pairs{{"a", "1"},
                              {"b", "x y"},
                              {"flag", ""},
                              {"c", ""},
                              {"d", "e=f"},
                              {"e 1", "+"}}));
  BOOST_TEST(!troupe::parse_query("a=%").is_ok());
  BOOST_TEST(troupe::parse_query("")->empty());
}

BOOST_AUTO_TEST_CASE(headers_are_case_insensitive_and_params_default_empty) {
  troupe::http_request request;
  request.headers = {{"Content-Type", "text/plain"}, {"X-Twice", "1"}, {"x-twice", "2"}};
  request.query = {{"q", "1"}};
  request.path_params = {{"pool", "linux"}};
  BOOST_TEST(request.header("content-type").value_or("") == "text/plain");
  BOOST_TEST(request.header("X-TWICE").value_or("") == "1");  // the first one
  BOOST_TEST(!request.header("missing").has_value());
  BOOST_TEST(request.query_param("q").value_or("") == "1");
  BOOST_TEST(!request.query_param("Q").has_value());
  BOOST_TEST(request.param("pool") == "linux");
  BOOST_TEST(request.param("other") == "");
}

BOOST_AUTO_TEST_CASE(json_error_escapes_its_fields) {
  auto response = troupe::json_error(422, "bad_value", "field \"a\"\nis wrong");
  BOOST_TEST(response.status == 422);
  BOOST_TEST(response.content_type == "application/json");
  BOOST_TEST(response.body ==
             "{\"error\":\"bad_value\",\"detail\":\"field \\\"a\\\"\\nis wrong\"}");
  auto text = troupe::text_response("ready\n");
  BOOST_TEST(text.content_type == "text/plain; charset=utf-8");
  BOOST_TEST(text.status == 200);
}
