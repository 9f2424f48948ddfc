#include "actors/bench/dashboard_format.hpp"

#include <charconv>
#include <cmath>
#include <ctime>

namespace troupe::bench::detail {

namespace {

std::string chars(double value, std::chars_format format, int precision) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, format, precision);
  if (ec != std::errc()) return "-";
  return std::string(buffer, end);
}

std::string calendar(std::int64_t unix_seconds, const char* format) {
  // 0000-01-01 .. 9999-12-31: what a four-digit year can show.
  if (unix_seconds < -62167219200LL || unix_seconds > 253402300799LL)
    return std::to_string(unix_seconds);
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(unix_seconds);
  char buffer[64];
  auto size = std::strftime(buffer, sizeof buffer, format, &tm);
  return size == 0 ? std::to_string(unix_seconds) : std::string(buffer, size);
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string html_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_html_escaped(out, s);
  return out;
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  return chars(value, std::chars_format::fixed, decimals);
}

std::string format_value(double value) {
  if (!std::isfinite(value)) return "-";
  double magnitude = std::fabs(value);
  // Integers of 4 to 9 digits read better whole than as 1.235e+05.
  if (magnitude >= 1000 && magnitude < 1e9)
    return chars(value, std::chars_format::fixed, 0);
  return chars(value, std::chars_format::general, 4);
}

std::string format_coord(double value) {
  if (!std::isfinite(value)) return "0";
  return chars(value, std::chars_format::fixed, 1);
}

std::string format_percent(std::size_t count, std::size_t total) {
  double percent = 100.0 * static_cast<double>(count) / static_cast<double>(total);
  double shown = std::round(percent * 10) / 10;
  if (count < total && shown >= 100.0) shown = 99.9;
  if (count > 0 && shown <= 0.0) shown = 0.1;
  return chars(shown, std::chars_format::fixed, 1);
}

std::string format_change(double relative_change) {
  if (!std::isfinite(relative_change)) return "-";
  std::string digits = format_fixed(relative_change * 100, 1);
  return (digits.front() == '-' ? "" : "+") + digits + "%";
}

std::string format_utc(std::int64_t unix_seconds) {
  return calendar(unix_seconds, "%Y-%m-%d %H:%M:%S UTC");
}

std::string format_iso_utc(std::int64_t unix_seconds) {
  return calendar(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}

std::string format_duration_ms(std::int64_t ms) {
  double s = static_cast<double>(ms) / 1000;
  if (s < 60) return format_fixed(s, s < 10 && ms > 0 ? 1 : 0) + " s";
  if (s < 3600) return format_fixed(s / 60, 0) + " min";
  return format_fixed(s / 3600, 1) + " h";
}

std::string short_sha(std::string_view sha) {
  return std::string(sha.substr(0, 8));
}

std::string describe_range(const std::vector<std::string>& commits) {
  if (commits.empty()) return "no commits";
  if (commits.size() == 1) return "1 commit: " + short_sha(commits.front());
  return std::to_string(commits.size()) + " commits: " + short_sha(commits.front()) +
         ".." + short_sha(commits.back());
}

}  // namespace troupe::bench::detail
