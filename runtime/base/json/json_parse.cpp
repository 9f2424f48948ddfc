// text → json: simdjson's DOM parser does the fast pass; the DOM is then
// copied into persistent json values. When either step rejects the text,
// json_diagnose.cpp walks it again to say where and why.
#include <simdjson.h>

#include <optional>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_diagnose.hpp"
#include "runtime/base/read_file.hpp"

namespace troupe {

namespace {

// A thread keeps one parser (and its buffers) for documents up to this size;
// larger documents get a parser of their own, freed after the parse.
constexpr std::size_t kRetainedCapacity = std::size_t{4} << 20;

// Copies a simdjson element into `out`. Fails (returns false) on a
// duplicate key or nesting deeper than json::max_depth; `depth` counts the
// containers around `e`.
bool convert(simdjson::dom::element e, std::size_t depth, json* out) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY: {
      if (depth >= json::max_depth) return false;
      simdjson::dom::array array;
      if (e.get_array().get(array)) return false;
      json::array_builder builder(array.size());
      for (simdjson::dom::element child : array) {
        json value;
        if (!convert(child, depth + 1, &value)) return false;
        builder.push_back(std::move(value));
      }
      *out = builder.build();
      return true;
    }
    case element_type::OBJECT: {
      if (depth >= json::max_depth) return false;
      simdjson::dom::object object;
      if (e.get_object().get(object)) return false;
      json::object_builder builder;
      for (simdjson::dom::key_value_pair field : object) {
        json value;
        if (!convert(field.value, depth + 1, &value)) return false;
        if (!builder.set(field.key, std::move(value))) return false;
      }
      *out = builder.build();
      return true;
    }
    case element_type::INT64:
      *out = json(e.get_int64().value_unsafe());
      return true;
    case element_type::UINT64:
      *out = json(e.get_uint64().value_unsafe());
      return true;
    case element_type::DOUBLE:
      *out = json(e.get_double().value_unsafe());
      return true;
    case element_type::STRING:
      *out = json(e.get_string().value_unsafe());
      return true;
    case element_type::BOOL:
      *out = json(e.get_bool().value_unsafe());
      return true;
    case element_type::NULL_VALUE:
      *out = json();
      return true;
  }
  return false;
}

// The error for a rejected text: the checker's finding with its place, or
// (should the checker accept what simdjson rejected) simdjson's own words.
status rejection(std::string_view text, std::string_view source,
                 std::string_view fallback) {
  if (auto problem = detail::find_json_error(text, json::max_depth)) {
    return status::error(
        detail::json_error_message(source, text, problem->offset, problem->message));
  }
  std::string message(source.empty() ? std::string_view("<input>") : source);
  return status::error(message + ": " + std::string(fallback));
}

}  // namespace

result<json> json::parse(std::string_view text, std::string_view source_name) {
  thread_local simdjson::dom::parser shared;
  std::optional<simdjson::dom::parser> own;
  simdjson::dom::parser* parser = &shared;
  if (text.size() > kRetainedCapacity) parser = &own.emplace();

  simdjson::dom::element root;
  if (auto error = parser->parse(text.data(), text.size(), true).get(root)) {
    return rejection(text, source_name, simdjson::error_message(error));
  }
  json out;
  if (!convert(root, 0, &out)) return rejection(text, source_name, "invalid JSON");
  return out;
}

result<json> json::parse_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse(*text, path);
}

}  // namespace troupe
