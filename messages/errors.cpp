#include "messages/errors.hpp"

#include <caf/make_message.hpp>

namespace troupe {

namespace {
constexpr caf::atom_value category = caf::atom("troupe");
}

std::string to_string(errc x) {
  switch (x) {
    case errc::supervisor_gave_up:
      return "supervisor_gave_up";
    case errc::queue_full:
      return "queue_full";
    case errc::not_found:
      return "not_found";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::shutting_down:
      return "shutting_down";
    case errc::not_a_member:
      return "not_a_member";
    case errc::storage_unavailable:
      return "storage_unavailable";
    case errc::conflict:
      return "conflict";
  }
  return "unknown";
}

caf::error make_error(errc x) {
  return {static_cast<std::uint8_t>(x), category};
}

caf::error make_error(errc x, std::string context) {
  return {static_cast<std::uint8_t>(x), category, caf::make_message(std::move(context))};
}

void add_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& ctx) {
                           auto text = to_string(static_cast<errc>(code));
                           if (ctx.match_elements<std::string>())
                             text += ": " + ctx.get_as<std::string>(0);
                           return text;
                         });
}

std::string error_context(const caf::error& err) {
  auto& ctx = err.context();
  if (err.category() == category && ctx.match_elements<std::string>())
    return ctx.get_as<std::string>(0);
  return {};
}

bool is(const caf::error& err, errc x) {
  return err && err.category() == category && err.code() == static_cast<std::uint8_t>(x);
}

caf::error from_status(const status& s, errc otherwise, const std::string& what) {
  if (s) return caf::none;
  return make_error(s.is_io_error() ? errc::storage_unavailable : otherwise,
                    what + s.message());
}

}  // namespace troupe
