#include "perf/troupe-kube-sim/label_selector.hpp"

namespace troupe::kube_sim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 316) return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                    c == '/';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

result<label_selector> parse_label_selector(std::string_view text) {
  label_selector out;
  if (trim(text).empty()) return out;
  if (text.find('(') != std::string_view::npos) {
    return status::error(
        "unable to parse requirement: set-based selectors are not supported");
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = trim(text.substr(start, comma - start));
    start = comma + 1;
    label_requirement r;
    std::size_t at = std::string_view::npos;
    std::size_t skip = 0;
    if ((at = part.find("!=")) != std::string_view::npos) {
      r.kind = label_requirement::op::not_equals;
      skip = 2;
    } else if ((at = part.find("==")) != std::string_view::npos) {
      skip = 2;
    } else if ((at = part.find('=')) != std::string_view::npos) {
      skip = 1;
    } else if (!part.empty() && part.front() == '!') {
      r.kind = label_requirement::op::not_exists;
      part.remove_prefix(1);
    } else {
      r.kind = label_requirement::op::exists;
    }
    r.key = std::string(trim(at == std::string_view::npos ? part : part.substr(0, at)));
    if (at != std::string_view::npos) r.value = std::string(trim(part.substr(at + skip)));
    if (!valid_key(r.key)) {
      return status::error("unable to parse requirement: invalid label key '" + r.key +
                           "'");
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool selector_matches(const label_selector& selector, const json& labels) {
  for (const auto& r : selector) {
    const json* value = labels.find(r.key);
    const bool present = value != nullptr && value->is_string();
    const bool same = present && value->as_string() == r.value;
    switch (r.kind) {
      case label_requirement::op::equals:
        if (!same) return false;
        break;
      case label_requirement::op::not_equals:
        if (same) return false;
        break;
      case label_requirement::op::exists:
        if (!present) return false;
        break;
      case label_requirement::op::not_exists:
        if (present) return false;
        break;
    }
  }
  return true;
}

}  // namespace troupe::kube_sim
