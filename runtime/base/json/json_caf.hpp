// CAF 0.17 inspection of troupe::json, so that json values travel inside
// messages between nodes. Include this (not runtime/base/json/json.hpp alone) wherever
// json is part of a message type or registered with add_message_type:
//
//   cfg.add_message_type<troupe::json>("troupe::json");
//
// Wire format: the compact JSON text (json::dump) as one string; loading
// parses it back with json::parse. Consequences: the value that arrives is
// equal (==) to the one sent, and integers stay integers and doubles stay
// doubles, except that NaN and infinities arrive as null; a value nested
// deeper than json::max_depth cannot be loaded (the deserializer fails with
// sec::invalid_argument and the parse message). Structural sharing does not
// survive the trip: the receiver gets a fresh, unshared value.
#pragma once

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>
#include <caf/sec.hpp>
#include <string>

#include "runtime/base/json/json.hpp"

namespace troupe {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, json& x) {
  std::string text;
  if constexpr (Inspector::reads_state) text = x.dump();
  auto load = [&]() -> caf::error {
    auto parsed = json::parse(text, "troupe::json message");
    if (!parsed)
      return caf::make_error(caf::sec::invalid_argument, parsed.error().message());
    x = std::move(parsed).value();
    return caf::none;
  };
  return f(caf::meta::type_name("troupe::json"), text, caf::meta::load_callback(load));
}

}  // namespace troupe
