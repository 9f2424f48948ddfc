// json_fields: each read's value on success and its error text (source, JSON
// path, what was expected, what was found), with and without a source, and
// the two ways a null member can count.
#define BOOST_TEST_MODULE json_fields
#include "runtime/base/json/json_fields.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_path.hpp"

using namespace troupe;

namespace {

json doc(std::string_view text) {
  auto r = json::parse(text);
  BOOST_TEST_REQUIRE(r.is_ok(), r.error().message());
  return std::move(r).value();
}

template <class T>
std::string error_of(const result<T>& r) {
  BOOST_TEST_REQUIRE(!r.is_ok(), "expected an error");
  return r.error().message();
}

std::string error_of(const status& s) {
  BOOST_TEST_REQUIRE(!s.is_ok(), "expected an error");
  return s.message();
}

const json_path root;
const json_path at = json_path::of({"runs", 2});

}  // namespace

BOOST_AUTO_TEST_CASE(errors_start_with_the_source_and_the_path) {
  json_fields fields("h.json");
  BOOST_TEST(fields.source() == "h.json");
  BOOST_TEST(error_of(fields.error(at, "no measurements")) ==
             "h.json: $.runs[2]: no measurements");
  BOOST_TEST(error_of(fields.type_error(at, "a task name", json(3))) ==
             "h.json: $.runs[2]: expected a task name, found a number");
  // An empty source reads as json::parse's does; no source, no prefix.
  BOOST_TEST(error_of(json_fields("").error(root, "x")) == "<input>: $: x");
  BOOST_TEST(json_fields().source().empty());
  BOOST_TEST(error_of(json_fields().error(at.key("id"), "x")) == "$.runs[2].id: x");
}

BOOST_AUTO_TEST_CASE(expect_names_the_wanted_and_the_found_type) {
  json_fields fields("f.json");
  BOOST_TEST(fields.expect(json(1.5), at, json_type::real).is_ok());
  BOOST_TEST(fields.expect(json(1), at, json_type::real).is_ok());  // any number
  BOOST_TEST(fields.expect(json(1), at, json_type::integer).is_ok());
  BOOST_TEST(fields.expect(json::array(), at, json_type::array).is_ok());
  BOOST_TEST(error_of(fields.expect(json("x"), at, json_type::real)) ==
             "f.json: $.runs[2]: expected a number, found a string");
  BOOST_TEST(error_of(fields.expect(json(1.5), at, json_type::integer)) ==
             "f.json: $.runs[2]: expected an integer, found a number");
  BOOST_TEST(error_of(fields.expect(json(7), at, json_type::object)) ==
             "f.json: $.runs[2]: expected an object, found a number");
  BOOST_TEST(error_of(fields.expect(json::object(), at, json_type::array)) ==
             "f.json: $.runs[2]: expected an array, found an object");
  BOOST_TEST(error_of(fields.expect(json(), at, json_type::boolean)) ==
             "f.json: $.runs[2]: expected a boolean, found null");
}

BOOST_AUTO_TEST_CASE(non_negative_values_and_members) {
  json_fields fields("f.json");
  BOOST_TEST(*fields.non_negative(json(0), at) == 0.0);
  BOOST_TEST(*fields.non_negative(json(2.5), at) == 2.5);
  BOOST_TEST(error_of(fields.non_negative(json(-1), at)) ==
             "f.json: $.runs[2]: expected a number >= 0, found a negative number");
  BOOST_TEST(error_of(fields.non_negative(json("1"), at)) ==
             "f.json: $.runs[2]: expected a number, found a string");
  auto o = doc(R"({"t": 3, "neg": -0.5, "s": "3"})");
  BOOST_TEST(*fields.non_negative(o, root, "t") == 3.0);
  BOOST_TEST(error_of(fields.non_negative(o, root, "neg")) ==
             "f.json: $.neg: expected a number >= 0, found a negative number");
  BOOST_TEST(error_of(fields.non_negative(o, root, "s")) ==
             "f.json: $.s: expected a number, found a string");
  BOOST_TEST(error_of(fields.non_negative(o, root, "none")) ==
             "f.json: $.none: missing, expected a number");
}

BOOST_AUTO_TEST_CASE(require_and_optional) {
  json_fields fields("f.json");
  auto o = doc(R"({"name": "a", "n": null, "list": [1], "odd key": 1})");
  BOOST_TEST((*fields.require(o, at, "name", json_type::string))->as_string() == "a");
  BOOST_TEST(error_of(fields.require(o, at, "none", json_type::array)) ==
             "f.json: $.runs[2].none: missing, expected an array");
  BOOST_TEST(error_of(fields.require(o, at, "n", json_type::string)) ==
             "f.json: $.runs[2].n: expected a string, found null");
  BOOST_TEST(error_of(fields.require(o, at, "odd key", json_type::string)) ==
             "f.json: $.runs[2][\"odd key\"]: expected a string, found a number");
  BOOST_TEST((*fields.optional(o, at, "list", json_type::array))->size() == 1u);
  BOOST_TEST((*fields.optional(o, at, "none", json_type::array) == nullptr));
  BOOST_TEST((*fields.optional(o, at, "n", json_type::array) == nullptr));
  BOOST_TEST(error_of(fields.optional(o, at, "list", json_type::object)) ==
             "f.json: $.runs[2].list: expected an object, found an array");
  BOOST_TEST((fields.present(o, "name") != nullptr));
  BOOST_TEST((fields.present(o, "n") == nullptr));
  BOOST_TEST((fields.present(o, "none") == nullptr));
  BOOST_TEST((fields.present(json(3), "name") == nullptr));  // not an object
}

BOOST_AUTO_TEST_CASE(checked_nulls_are_values_of_the_wrong_type) {
  json_fields fields(json_fields::nulls::checked);
  auto o = doc(R"({"n": null})");
  BOOST_TEST((fields.present(o, "n") != nullptr));
  BOOST_TEST(error_of(fields.optional(o, root, "n", json_type::array)) ==
             "$.n: expected an array, found null");
  BOOST_TEST(error_of(fields.optional_string(o, root, "n", "x")) ==
             "$.n: expected a string, found null");
  BOOST_TEST(error_of(fields.optional_integer(o, root, "n", 1, 0, 9)) ==
             "$.n: expected an integer, found null");
  BOOST_TEST(error_of(fields.optional_object(o, root, "n")) ==
             "$.n: expected an object, found null");
  // With a source too.
  BOOST_TEST(error_of(json_fields("d.json", json_fields::nulls::checked)
                          .optional(o, root, "n", json_type::real)) ==
             "d.json: $.n: expected a number, found null");
}

BOOST_AUTO_TEST_CASE(typed_members) {
  json_fields fields("f.json");
  auto o = doc(R"({"s": "x", "i": 5, "d": 5.5, "o": {"k": 1}, "a": [], "n": null})");
  BOOST_TEST(*fields.required_string(o, root, "s") == "x");
  BOOST_TEST(error_of(fields.required_string(o, root, "i")) ==
             "f.json: $.i: expected a string, found a number");
  BOOST_TEST(error_of(fields.required_string(o, root, "none")) ==
             "f.json: $.none: missing, expected a string");

  BOOST_TEST(*fields.optional_string(o, root, "s", "fb") == "x");
  BOOST_TEST(*fields.optional_string(o, root, "none", "fb") == "fb");
  BOOST_TEST(*fields.optional_string(o, root, "n") == "");
  BOOST_TEST(error_of(fields.optional_string(o, root, "a")) ==
             "f.json: $.a: expected a string, found an array");

  BOOST_TEST(*fields.optional_integer(o, root, "i", 0, 1, 10) == 5);
  BOOST_TEST(*fields.optional_integer(o, root, "none", 0, 1, 10) == 0);  // fallback
  BOOST_TEST(*fields.optional_integer(o, root, "i", 0, 5, 5) == 5);
  BOOST_TEST(error_of(fields.optional_integer(o, root, "i", 0, 6, 10)) ==
             "f.json: $.i: expected an integer from 6 to 10, found 5");
  BOOST_TEST(error_of(fields.optional_integer(o, root, "i", 0, -3, 4)) ==
             "f.json: $.i: expected an integer from -3 to 4, found 5");
  BOOST_TEST(error_of(fields.optional_integer(o, root, "d", 0, 1, 10)) ==
             "f.json: $.d: expected an integer, found a number");
  BOOST_TEST(error_of(fields.optional_integer(o, root, "s", 0, 1, 10)) ==
             "f.json: $.s: expected an integer, found a string");

  BOOST_TEST(*fields.optional_object(o, root, "o") == doc(R"({"k": 1})"));
  BOOST_TEST(*fields.optional_object(o, root, "none") == json::object());
  BOOST_TEST(error_of(fields.optional_object(o, root, "a")) ==
             "f.json: $.a: expected an object, found an array");
}

BOOST_AUTO_TEST_CASE(unknown_fields) {
  json_fields fields("f.json");
  auto o = doc(R"({"name": 1, "colour": 2, "size": 3})");
  BOOST_TEST(fields.known(o, at, {"name", "colour", "size", "more"}).is_ok());
  BOOST_TEST(error_of(fields.known(o, at, {"name", "size"})) ==
             "f.json: $.runs[2].colour: unknown field 'colour' (known: name, size)");
  BOOST_TEST(error_of(fields.known(o, at, {})) ==
             "f.json: $.runs[2].name: unknown field 'name' (known: none)");
  BOOST_TEST(fields.known(json::object(), at, {}).is_ok());

  BOOST_TEST(!unknown_member(o, {"name", "colour", "size"}).has_value());
  BOOST_TEST(*unknown_member(o, {"name"}) == "colour");
  BOOST_TEST(name_list({"a", "b", "c"}) == "a, b, c");
  BOOST_TEST(name_list({}) == "none");
}
