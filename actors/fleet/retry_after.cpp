#include "actors/fleet/retry_after.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

namespace troupe::fleet {
namespace {

using sys_clock = std::chrono::system_clock;

constexpr std::array<std::string_view, 7> kShortDays = {"Mon", "Tue", "Wed", "Thu",
                                                        "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// A cursor over the date text; each take_* consumes what it read or fails.
class cursor {
 public:
  explicit cursor(std::string_view s) : s_(s) {}
  bool done() const { return s_.empty(); }
  bool take(char c) {
    if (s_.empty() || s_.front() != c) return false;
    s_.remove_prefix(1);
    return true;
  }
  // Exactly `n` digits.
  bool take_digits(int n, int& out) {
    if (static_cast<int>(s_.size()) < n) return false;
    out = 0;
    for (int i = 0; i < n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s_[i]))) return false;
      out = out * 10 + (s_[i] - '0');
    }
    s_.remove_prefix(n);
    return true;
  }
  // One of `names`; stores its index.
  template <std::size_t N>
  bool take_name(const std::array<std::string_view, N>& names, int& index) {
    for (std::size_t i = 0; i < N; ++i) {
      if (s_.substr(0, names[i].size()) == names[i]) {
        s_.remove_prefix(names[i].size());
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  // hh:mm:ss
  bool take_time(int& h, int& m, int& s) {
    return take_digits(2, h) && take(':') && take_digits(2, m) && take(':') &&
           take_digits(2, s);
  }

 private:
  std::string_view s_;
};

struct civil {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

bool parse_imf_fixdate(std::string_view text, civil& c) {
  cursor in(text);
  int wd = 0;
  return in.take_name(kShortDays, wd) && in.take(',') && in.take(' ') &&
         in.take_digits(2, c.day) && in.take(' ') && in.take_name(kMonths, c.month) &&
         in.take(' ') && in.take_digits(4, c.year) && in.take(' ') &&
         in.take_time(c.hour, c.minute, c.second) && in.take(' ') && in.take('G') &&
         in.take('M') && in.take('T') && in.done();
}

bool parse_rfc850(std::string_view text, int now_year, civil& c) {
  cursor in(text);
  int wd = 0, yy = 0;
  if (!(in.take_name(kLongDays, wd) && in.take(',') && in.take(' ') &&
        in.take_digits(2, c.day) && in.take('-') && in.take_name(kMonths, c.month) &&
        in.take('-') && in.take_digits(2, yy) && in.take(' ') &&
        in.take_time(c.hour, c.minute, c.second) && in.take(' ') && in.take('G') &&
        in.take('M') && in.take('T') && in.done()))
    return false;
  c.year = now_year - now_year % 100 + yy;
  if (c.year > now_year + 50) c.year -= 100;
  return true;
}

bool parse_asctime(std::string_view text, civil& c) {
  cursor in(text);
  int wd = 0, day = 0;
  if (!(in.take_name(kShortDays, wd) && in.take(' ') && in.take_name(kMonths, c.month) &&
        in.take(' ')))
    return false;
  // The day is two digits or a space and one digit.
  if (in.take(' ')) {
    if (!in.take_digits(1, day)) return false;
  } else if (!in.take_digits(2, day)) {
    return false;
  }
  c.day = day;
  return in.take(' ') && in.take_time(c.hour, c.minute, c.second) && in.take(' ') &&
         in.take_digits(4, c.year) && in.done();
}

// The Gregorian year of `now` (from H. Hinnant's civil_from_days).
int year_of(sys_clock::time_point now) {
  std::int64_t z =
      std::chrono::floor<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (month <= 2));
}

}  // namespace

result<sys_clock::time_point> parse_http_date(std::string_view text,
                                              sys_clock::time_point now) {
  text = trim(text);
  civil c;
  bool parsed = parse_imf_fixdate(text, c) || parse_rfc850(text, year_of(now), c) ||
                parse_asctime(text, c);
  if (!parsed) {
    return status::error(
        "HTTP-date: expected IMF-fixdate ('Sun, 06 Nov 1994 08:49:37 GMT'),"
        " RFC 850 or asctime form, got '" +
        std::string(text) + "'");
  }
  c.month += 1;  // take_name gave an index
  if (c.day < 1 || c.day > days_in_month(c.year, c.month) || c.hour > 23 ||
      c.minute > 59 || c.second > 60) {
    return status::error("HTTP-date: no such date or time: '" + std::string(text) + "'");
  }
  std::int64_t days = days_from_civil(c.year, static_cast<unsigned>(c.month),
                                      static_cast<unsigned>(c.day));
  // A leap second (:60) is read as the first second of the next minute.
  std::int64_t secs = days * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
  return sys_clock::time_point(std::chrono::seconds(secs));
}

result<std::chrono::seconds> parse_retry_after(std::string_view value,
                                               sys_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return status::error("Retry-After: empty value");
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    constexpr std::int64_t kMax = std::int64_t{1} << 31;  // ~68 years
    std::int64_t secs = 0;
    for (char ch : value) {
      if (!std::isdigit(static_cast<unsigned char>(ch)))
        return status::error("Retry-After: expected delay-seconds (digits only), got '" +
                             std::string(value) + "'");
      secs = std::min(kMax, secs * 10 + (ch - '0'));
    }
    return std::chrono::seconds(secs);
  }
  auto date = parse_http_date(value, now);
  if (!date) return date.error();
  if (*date <= now) return std::chrono::seconds(0);
  auto delta = *date - now;
  return std::chrono::ceil<std::chrono::seconds>(delta);
}

}  // namespace troupe::fleet
