// troupe::json through CAF 0.17's serialization: the value a remote node
// receives equals the one sent.
#define BOOST_TEST_MODULE json_caf
#include "runtime/base/json/json_caf.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "runtime/base/json/json.hpp"

using troupe::json;

namespace {

json sample() {
  auto parsed =
      json::parse(R"({"run":"r-17","attempt":3,"ratio":0.25,"ok":true,)"
                  R"("none":null,"items":[1,"two",[3.0],{"four":4}],"empty":{}})");
  BOOST_TEST_REQUIRE(parsed.is_ok());
  return parsed.value().set("unicode", "\xc3\xa9\xe2\x82\xac");
}

struct config : caf::actor_system_config {
  config() { add_message_type<json>("troupe::json"); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(binary_round_trip_without_a_system) {
  json original = sample();
  std::vector<char> buffer;
  caf::binary_serializer sink{nullptr, buffer};
  BOOST_TEST_REQUIRE(!sink(original));
  json loaded;
  caf::binary_deserializer source{nullptr, buffer};
  BOOST_TEST_REQUIRE(!source(loaded));
  BOOST_TEST(loaded == original);
  BOOST_TEST(loaded.dump() == original.dump());  // same order, same kinds
  BOOST_TEST(loaded["items"][2][0].is_double());
  BOOST_TEST(loaded["attempt"].is_int());
}

BOOST_AUTO_TEST_CASE(scalars_round_trip) {
  for (json v : {json(), json(false), json(-5), json(1e-300), json(""), json::array(),
                 json::object()}) {
    std::vector<char> buffer;
    caf::binary_serializer sink{nullptr, buffer};
    BOOST_TEST_REQUIRE(!sink(v));
    json loaded = json("placeholder");
    caf::binary_deserializer source{nullptr, buffer};
    BOOST_TEST_REQUIRE(!source(loaded));
    BOOST_TEST(loaded == v);
    BOOST_TEST((loaded.type() == v.type()));
  }
  // Non-finite doubles have no JSON text: they arrive as null.
  std::vector<char> buffer;
  caf::binary_serializer sink{nullptr, buffer};
  json nan(std::nan(""));
  BOOST_TEST_REQUIRE(!sink(nan));
  json loaded;
  caf::binary_deserializer source{nullptr, buffer};
  BOOST_TEST_REQUIRE(!source(loaded));
  BOOST_TEST(loaded.is_null());
}

BOOST_AUTO_TEST_CASE(bad_input_is_an_error) {
  std::vector<char> buffer;
  caf::binary_serializer sink{nullptr, buffer};
  std::string text = "{\"a\":";
  BOOST_TEST_REQUIRE(!sink(text));
  json loaded;
  caf::binary_deserializer source{nullptr, buffer};
  auto err = source(loaded);
  BOOST_TEST((err == caf::sec::invalid_argument));
  BOOST_TEST(loaded.is_null());
}

BOOST_AUTO_TEST_CASE(message_round_trip_with_registered_type) {
  config cfg;
  caf::actor_system sys{cfg};
  json original = sample();
  caf::message msg = caf::make_message(original, std::string("tag"));
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  BOOST_TEST_REQUIRE(!inspect(sink, msg));
  caf::message loaded;
  caf::binary_deserializer source{sys, buffer};
  BOOST_TEST_REQUIRE(!inspect(source, loaded));
  bool matches = loaded.match_elements<json, std::string>();
  BOOST_TEST_REQUIRE(matches);
  BOOST_TEST(loaded.get_as<json>(0) == original);
  BOOST_TEST(loaded.get_as<std::string>(1) == "tag");
  BOOST_TEST(caf::deep_to_string(json(1)).find("1") != std::string::npos);
}
