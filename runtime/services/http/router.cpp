#include "runtime/services/http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace troupe {

namespace {

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_valid_param_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool matches(const http_router::route& route, const std::vector<std::string_view>& path) {
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (is_param(segment) ? path[i].empty() : segment != path[i]) return false;
  }
  return true;
}

// True when `a` is more specific than `b` (both match the same path).
bool more_specific(const http_router::route& a, const http_router::route& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    bool a_literal = !is_param(a.segments[i]);
    bool b_literal = !is_param(b.segments[i]);
    if (a_literal != b_literal) return a_literal;
  }
  return false;
}

// Equal, or equal but for the names of their {name} segments.
bool same_shape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (is_param(a[i]) != is_param(b[i]) || (!is_param(a[i]) && a[i] != b[i]))
      return false;
  }
  return true;
}

}  // namespace

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

void http_router::add(std::string method, std::string pattern, http_handler handler,
                      http_access access) {
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument("route " + method + " " + pattern + ": " + why);
  };
  if (pattern.empty() || pattern.front() != '/') fail("pattern must start with '/'");
  if (method.empty()) fail("method is empty");
  if (!handler) fail("handler is empty");
  route r{method, pattern, std::move(handler), access, {}};
  std::set<std::string_view> names;
  for (std::string_view segment : split_path(pattern)) {
    if (segment.find_first_of("{}") != std::string_view::npos) {
      if (!is_param(segment) ||
          !is_valid_param_name(segment.substr(1, segment.size() - 2))) {
        fail("malformed parameter segment '" + std::string(segment) + "'");
      }
      if (!names.insert(segment).second)
        fail("repeated parameter " + std::string(segment));
    }
    r.segments.emplace_back(segment);
  }
  for (const auto& existing : routes_) {
    if (existing.method == r.method && same_shape(existing.segments, r.segments)) {
      fail("already routed as " + existing.pattern);
    }
  }
  routes_.push_back(std::move(r));
}

http_router::match http_router::find(std::string_view method,
                                     std::string_view path) const {
  match result;
  const std::vector<std::string_view> segments = split_path(path);
  std::set<std::string> allowed;
  for (const auto& r : routes_) {
    if (!matches(r, segments)) continue;
    if (r.method != method) {
      allowed.insert(r.method);
    } else if (result.found == nullptr || more_specific(r, *result.found)) {
      result.found = &r;
    }
  }
  if (result.found == nullptr) {
    result.allowed.assign(allowed.begin(), allowed.end());
    return result;
  }
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = result.found->segments[i];
    if (is_param(segment)) {
      result.params[segment.substr(1, segment.size() - 2)] = std::string(segments[i]);
    }
  }
  return result;
}

}  // namespace troupe
