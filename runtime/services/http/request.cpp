#include "runtime/services/http/request.hpp"

#include "runtime/base/json/json_text.hpp"

namespace troupe {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string> http_request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

bool http_request::has_content_type(std::string_view type) const {
  auto value = header("Content-Type");
  if (!value) return false;
  std::string_view media(*value);
  media = media.substr(0, media.find(';'));
  auto first = media.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  auto last = media.find_last_not_of(" \t");
  return iequals(media.substr(first, last - first + 1), type);
}

std::optional<std::string> http_request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

const std::string& http_request::param(const std::string& name) const {
  static const std::string empty;
  auto it = path_params.find(name);
  return it == path_params.end() ? empty : it->second;
}

result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int high = i + 2 < text.size() ? hex_digit_value(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return status::error("malformed percent-encoding at offset " + std::to_string(i));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

result<std::vector<std::pair<std::string, std::string>>> parse_query(
    std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    std::size_t eq = part.find('=');
    auto name = percent_decode(part.substr(0, eq), true);
    if (!name) return name.error();
    std::string value;
    if (eq != std::string_view::npos) {
      auto decoded = percent_decode(part.substr(eq + 1), true);
      if (!decoded) return decoded.error();
      value = std::move(*decoded);
    }
    out.emplace_back(std::move(*name), std::move(value));
  }
  return out;
}

}  // namespace troupe
