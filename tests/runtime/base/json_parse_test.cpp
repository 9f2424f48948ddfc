// json text: parse and dump round trips, error messages with their place,
// limits, files, and json_path formatting.
#define BOOST_TEST_MODULE json_parse
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_path.hpp"

using troupe::json;

namespace {

json parse_ok(std::string_view text) {
  auto r = json::parse(text);
  BOOST_TEST_REQUIRE(r.is_ok(), "unexpected error: " << r.error().message());
  return std::move(r).value();
}

std::string parse_error(std::string_view text, std::string_view source = "doc.json") {
  auto r = json::parse(text, source);
  BOOST_TEST_REQUIRE(!r.is_ok(), "expected an error for: " << text);
  return r.error().message();
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_type) {
  json v = parse_ok(R"({"n":null,"t":true,"f":false,"i":-42,"d":2.5,"s":"x\ny",)"
                    R"("a":[1,[2,{}],[]],"o":{"k":"v"}})");
  BOOST_TEST(v["n"].is_null());
  BOOST_TEST(v["t"].as_bool());
  BOOST_TEST(!v["f"].as_bool());
  BOOST_TEST(v["i"].as_int() == -42);
  BOOST_TEST(v["d"].as_double() == 2.5);
  BOOST_TEST(v["s"].as_string() == "x\ny");
  BOOST_TEST(v["a"].size() == 3u);
  BOOST_TEST(v["a"][1][0].as_int() == 2);
  BOOST_TEST(v["a"][1][1].is_object());
  BOOST_TEST(v["o"]["k"].as_string() == "v");
  BOOST_TEST(parse_ok("  7 ").as_int() == 7);
  BOOST_TEST(parse_ok("\"\\u00e9\\ud83d\\ude00\"").as_string() ==
             "\xc3\xa9\xf0\x9f\x98\x80");
}

BOOST_AUTO_TEST_CASE(numbers_keep_their_kind) {
  BOOST_TEST(parse_ok("1").is_int());
  BOOST_TEST(parse_ok("1.0").is_double());
  BOOST_TEST(parse_ok("1e2").is_double());
  BOOST_TEST(parse_ok("-9223372036854775808").as_int() ==
             std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(parse_ok("9223372036854775807").as_int() ==
             std::numeric_limits<std::int64_t>::max());
  json big = parse_ok("18446744073709551615");  // beyond int64: a double
  BOOST_TEST(big.is_double());
  BOOST_TEST(big.as_double() == 18446744073709551615.0);
  BOOST_TEST(parse_ok("1e-400").as_double() == 0.0);
}

BOOST_AUTO_TEST_CASE(round_trips) {
  for (std::string text : {
           R"(null)",
           R"(true)",
           R"(0)",
           R"(-1)",
           R"(1.5)",
           R"("")",
           R"([])",
           R"({})",
           R"({"b":1,"a":[true,false,null],"c":{"d":"e\"\\\/\u0001"}})",
           R"([0.1,1e+100,-0.0,5e-324,1.7976931348623157e+308,123456789.125])",
       }) {
    json v = parse_ok(text);
    json again = parse_ok(v.dump());
    BOOST_TEST(again == v, text);
    BOOST_TEST(again.dump() == v.dump());
    BOOST_TEST(parse_ok(v.dump(2)) == v);
  }
  // Member order is insertion order, kept through parse and dump.
  BOOST_TEST(parse_ok(R"({"z":1,"a":2,"m":3})").dump() == R"({"z":1,"a":2,"m":3})");
  BOOST_TEST(parse_ok("[1.0, 2]").dump() == "[1.0,2]");
  BOOST_TEST(parse_ok("0.1").dump() == "0.1");
  BOOST_TEST(json(1e100).dump() == "1e+100");
}

BOOST_AUTO_TEST_CASE(doubles_round_trip_exactly) {
  std::uint64_t bits = 0x3ff0000000000001ull;
  for (int i = 0; i < 2000; ++i) {
    bits = bits * 6364136223846793005ull + 1442695040888963407ull;
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isfinite(d)) continue;
    json back = parse_ok(json(d).dump());
    BOOST_TEST_REQUIRE(back.is_double());
    double read = back.as_double();
    BOOST_TEST_REQUIRE(std::memcmp(&d, &read, sizeof d) == 0);
  }
}

BOOST_AUTO_TEST_CASE(non_finite_dump_as_null) {
  BOOST_TEST(json(std::nan("")).dump() == "null");
  BOOST_TEST(json(HUGE_VAL).dump() == "null");
  BOOST_TEST(json::array().push_back(-HUGE_VAL).dump() == "[null]");
}

BOOST_AUTO_TEST_CASE(pretty_printing) {
  json v = parse_ok(R"({"a":[1,{"b":null}],"c":{},"d":[]})");
  BOOST_TEST(v.dump(2) ==
             "{\n"
             "  \"a\": [\n"
             "    1,\n"
             "    {\n"
             "      \"b\": null\n"
             "    }\n"
             "  ],\n"
             "  \"c\": {},\n"
             "  \"d\": []\n"
             "}");
  BOOST_TEST(json(3).dump(4) == "3");
}

BOOST_AUTO_TEST_CASE(errors_name_the_place) {
  BOOST_TEST(parse_error("{\n  \"a\": 1,\n  \"b\": 2 \"c\": 3\n}", "workflow.json") ==
             "workflow.json:3:10: expected ',' or '}' after an object member, found '\"' "
             "(byte 21)");
  BOOST_TEST(
      parse_error("[1, 2,]") ==
      "doc.json:1:7: expected a value after ',', found ']' (trailing commas are not "
      "allowed) (byte 6)");
  BOOST_TEST(
      parse_error("{\"a\":1,}").find("doc.json:1:8: expected a string key after ','") ==
      0u);
  BOOST_TEST(parse_error("") ==
             "doc.json:1:1: expected a JSON value, found end of input (byte 0)");
  BOOST_TEST(parse_error("[1] x") ==
             "doc.json:1:5: unexpected content after the JSON value, found 'x' (byte 4)");
  BOOST_TEST(parse_error("{\"a\" 1}") ==
             "doc.json:1:6: expected ':' after the key, found '1' (byte 5)");
  BOOST_TEST(parse_error("[tru]") ==
             "doc.json:1:2: invalid literal, expected true, false or null (byte 1)");
  BOOST_TEST(parse_error("[01]") ==
             "doc.json:1:3: leading zeros are not allowed in numbers (byte 2)");
  BOOST_TEST(parse_error("[1.]") ==
             "doc.json:1:4: expected a digit after '.', found ']' (byte 3)");
  BOOST_TEST(parse_error("\"abc") == "doc.json:1:1: unterminated string (byte 0)");
  BOOST_TEST(parse_error("\"a\tb\"").find("doc.json:1:3: unescaped control character") ==
             0u);
  BOOST_TEST(parse_error("\"\\x\"") ==
             "doc.json:1:2: invalid escape sequence in string, found '\\x' (byte 1)");
  BOOST_TEST(parse_error("\"\\ud800\"") ==
             "doc.json:1:2: unpaired UTF-16 surrogate in \\u escape (byte 1)");
  BOOST_TEST(parse_error("\"\xff\"") == "doc.json:1:2: invalid UTF-8 in string (byte 1)");
  BOOST_TEST(parse_error("[123456789012345678901234567890]") ==
             "doc.json:1:2: integer out of range (above 2^64 - 1) (byte 1)");
  BOOST_TEST(parse_error("-9223372036854775809") ==
             "doc.json:1:1: integer out of range (below -2^63) (byte 0)");
  BOOST_TEST(parse_error("[1e400]") ==
             "doc.json:1:2: number out of range for a double (byte 1)");
  // Columns count characters, not bytes; the source defaults to <input>.
  auto r = json::parse("[\"\xc3\xa9\", ?]");
  BOOST_TEST(r.error().message() ==
             "<input>:1:7: expected a JSON value, found '?' (byte 7)");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_errors) {
  BOOST_TEST(parse_error("{\"a\":1,\n \"b\":{\"x\":1},\n \"a\":2}") ==
             "doc.json:3:2: duplicate key \"a\" (byte 23)");
  // Keys are compared after unescaping.
  BOOST_TEST(parse_error(R"({"b":{"a":1,"\u0061":2}})") ==
             "doc.json:1:13: duplicate key \"a\" (byte 12)");
  // The same key in different objects is fine.
  BOOST_TEST(parse_ok(R"({"a":{"a":1}})")["a"]["a"].as_int() == 1);
}

BOOST_AUTO_TEST_CASE(depth_limit) {
  BOOST_TEST(parse_ok(nested(json::max_depth)).is_array());
  std::string deep = nested(json::max_depth + 1);
  BOOST_TEST(parse_error(deep) ==
             "doc.json:1:513: nesting deeper than 512 levels (byte 512)");
  // Deeper than simdjson's own limit too.
  BOOST_TEST(parse_error(nested(5000)).find("nesting deeper than 512 levels") !=
             std::string::npos);
  std::string objects;
  for (std::size_t i = 0; i <= json::max_depth; ++i) objects += "{\"k\":";
  objects += "1" + std::string(json::max_depth + 1, '}');
  BOOST_TEST(parse_error(objects).find("nesting deeper than 512 levels") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(big_documents) {
  std::string text = "{";
  for (int i = 0; i < 10000; ++i) {
    if (i > 0) text += ',';
    text += "\"key" + std::to_string(i) + "\":[" + std::to_string(i) + ",\"v\"]";
  }
  text += '}';
  json v = parse_ok(text);
  BOOST_TEST(v.size() == 10000u);
  BOOST_TEST(v["key9999"][0].as_int() == 9999);
  BOOST_TEST(v.dump() == text);
}

BOOST_AUTO_TEST_CASE(files) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("json_parse_test." + std::to_string(::getpid()) + ".json"))
                         .string();
  {
    std::ofstream out(path);
    out << "{\n  \"ok\": true,\n  \"bad\": [1 2]\n}\n";
  }
  auto r = json::parse_file(path);
  BOOST_TEST(
      r.error().message() ==
      path + ":3:13: expected ',' or ']' after an array element, found '2' (byte 28)");
  std::remove(path.c_str());
  auto missing = json::parse_file("/nonexistent/troupe.json");
  BOOST_TEST(missing.error().message() ==
             "/nonexistent/troupe.json: cannot open: No such file or directory");
}

BOOST_AUTO_TEST_CASE(paths) {
  using troupe::json_path;
  BOOST_TEST(json_path().str() == "$");
  BOOST_TEST(json_path::of({"tasks", "check", "next", 0, "do"}).str() ==
             "$.tasks.check.next[0].do");
  BOOST_TEST(json_path().key("env").key("GIT-SHA").str() == "$.env[\"GIT-SHA\"]");
  BOOST_TEST(json_path().key("").key("1a").key("a1").str() == "$[\"\"][\"1a\"].a1");
  BOOST_TEST(json_path().key("q\"x").index(12).str() == "$[\"q\\\"x\"][12]");
  std::string name = "with_items";
  BOOST_TEST(json_path::of({name, std::size_t{3}}).str() == "$.with_items[3]");
}
