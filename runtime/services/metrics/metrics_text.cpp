#include "runtime/services/metrics/metrics_text.hpp"

#include <charconv>
#include <cmath>

namespace troupe {

void append_metric_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[64];
    // Whole numbers (counts, mostly) print as integers, not "1e+05".
    auto [end, ec] =
        std::trunc(value) == value && std::fabs(value) < 1e15
            ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value))
            : std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec == std::errc()) out.append(buffer, end);
  }
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_help_text(std::string& out, std::string_view help) {
  for (char c : help) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_sample(std::string& out, std::string_view name,
                   const std::vector<std::string>& label_names,
                   const std::vector<std::string>& label_values,
                   std::string_view extra_name, std::string_view extra_value,
                   double value) {
  out += name;
  if (!label_names.empty() || !extra_name.empty()) {
    out.push_back('{');
    const char* separator = "";
    for (std::size_t i = 0; i < label_names.size(); ++i) {
      out += separator;
      out += label_names[i];
      out += "=\"";
      append_label_value(out, label_values[i]);
      out.push_back('"');
      separator = ",";
    }
    if (!extra_name.empty()) {
      out += separator;
      out += extra_name;
      out += "=\"";
      append_label_value(out, extra_value);
      out.push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
  append_metric_value(out, value);
  out.push_back('\n');
}

namespace {

bool is_alpha_(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty() || !(is_alpha_(name[0]) || name[0] == ':')) return false;
  for (char c : name) {
    if (!(is_alpha_(c) || is_digit(c) || c == ':')) return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || !is_alpha_(name[0]) || name.substr(0, 2) == "__") return false;
  for (char c : name) {
    if (!(is_alpha_(c) || is_digit(c))) return false;
  }
  return true;
}

}  // namespace troupe
