// json → text: compact and pretty printing.
#include <charconv>
#include <cmath>
#include <ostream>

#include "runtime/base/json/json.hpp"
#include "runtime/base/json/json_text.hpp"

namespace troupe {

namespace {

void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  (void)ec;  // 32 bytes hold any shortest double
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  out += text;
  // Keep doubles doubles when read back: 1.0 is written "1.0", not "1".
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void newline(std::string& out, int indent, int depth) {
  out.push_back('\n');
  out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(depth), ' ');
}

void write(std::string& out, const json& v, int indent, int depth) {
  switch (v.type()) {
    case json_type::null:
      out += "null";
      return;
    case json_type::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case json_type::integer: {
      char buffer[24];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.as_int());
      (void)ec;
      out.append(buffer, end);
      return;
    }
    case json_type::real:
      append_double(out, v.as_double());
      return;
    case json_type::string:
      append_json_quoted(out, v.as_string());
      return;
    case json_type::array: {
      out.push_back('[');
      bool first = true;
      for (const json& item : v.items()) {
        if (!first) out.push_back(',');
        first = false;
        if (indent >= 0) newline(out, indent, depth + 1);
        write(out, item, indent, depth + 1);
      }
      if (indent >= 0 && !first) newline(out, indent, depth);
      out.push_back(']');
      return;
    }
    case json_type::object: {
      out.push_back('{');
      bool first = true;
      for (auto [key, value] : v.members()) {
        if (!first) out.push_back(',');
        first = false;
        if (indent >= 0) newline(out, indent, depth + 1);
        append_json_quoted(out, key);
        out += indent >= 0 ? ": " : ":";
        write(out, value, indent, depth + 1);
      }
      if (indent >= 0 && !first) newline(out, indent, depth);
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

void json::dump_to(std::string& out, int indent) const {
  write(out, *this, indent, 0);
}

std::string json::dump() const {
  std::string out;
  dump_to(out, -1);
  return out;
}

std::ostream& operator<<(std::ostream& os, const json& v) {
  return os << v.dump();
}

std::string json::dump(int indent) const {
  std::string out;
  dump_to(out, indent < 0 ? 0 : indent);
  return out;
}

}  // namespace troupe
