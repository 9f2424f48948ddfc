// json_fields: typed access to the members of a parsed JSON document for the
// result parsers, with errors that name the source and the JSON path:
// "hyperfine.json: $.results[0].times[2]: expected a number, found a string".
#pragma once

#include <string>
#include <string_view>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_path.hpp"
#include "runtime/base/status.hpp"

namespace troupe::bench::detail {

class json_fields {
 public:
  // `source_name` is what errors start with; "<input>" when empty.
  explicit json_fields(std::string_view source_name);

  const std::string& source() const { return source_; }

  // "<source>: <path>: <what>".
  status error(const json_path& at, std::string_view what) const;

  // ok if `value` (found at `at`) has type `want`; json_type::real stands
  // for any number. Otherwise "expected a number, found a string".
  status expect(const json& value, const json_path& at, json_type want) const;

  // Member `key` of `object` (found at `at`), which must be present and of
  // type `want` ("$.x.key: missing, expected a number" otherwise). The
  // pointer lives as long as `object`.
  result<const json*> require(const json& object, const json_path& at,
                              std::string_view key, json_type want) const;

  // Like require, but nullptr when the member is absent or null.
  result<const json*> optional(const json& object, const json_path& at,
                               std::string_view key, json_type want) const;

  // require() of a number that must be >= 0.
  result<double> non_negative(const json& object, const json_path& at,
                              std::string_view key) const;

 private:
  std::string source_;
};

}  // namespace troupe::bench::detail
