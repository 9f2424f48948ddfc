// retry_after: delay-seconds and all three HTTP-date forms, relative to a
// given "now"; malformed values are errors that quote the input.
#define BOOST_TEST_MODULE retry_after_test
#include "actors/fleet/retry_after.hpp"

#include <boost/test/unit_test.hpp>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using sys = std::chrono::system_clock;

namespace {

// 1994-11-06T08:49:37Z, RFC 9110's example date.
const sys::time_point kExample = sys::time_point(784111777s);

}  // namespace

BOOST_AUTO_TEST_CASE(delay_seconds) {
  auto now = sys::time_point(1000s);
  BOOST_TEST(parse_retry_after("120", now)->count() == 120);
  BOOST_TEST(parse_retry_after("0", now)->count() == 0);
  BOOST_TEST(parse_retry_after("  7 ", now)->count() == 7);
  // Huge values saturate instead of overflowing.
  BOOST_TEST(parse_retry_after("99999999999999999999999", now)->count() == (1LL << 31));
}

BOOST_AUTO_TEST_CASE(malformed_values_are_errors) {
  auto now = sys::time_point(1000s);
  for (const char* bad :
       {"", "  ", "-5", "1.5", "12abc", "soon", "Sun, 06 Nov 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT"}) {
    auto r = parse_retry_after(bad, now);
    BOOST_TEST(!r.is_ok(), "accepted '" << bad << "'");
    if (!r.is_ok()) {
      const std::string m = r.error().message();
      const bool named = m.find("Retry-After") != std::string::npos ||
                         m.find("HTTP-date") != std::string::npos;
      BOOST_TEST(named, m);
    }
  }
}

BOOST_AUTO_TEST_CASE(three_date_forms_agree) {
  auto now = kExample - 90s;
  for (const char* date :
       {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994"}) {
    auto d = parse_http_date(date, now);
    BOOST_REQUIRE_MESSAGE(d.is_ok(), date << ": " << d.error().message());
    BOOST_TEST((*d == kExample), date);
    BOOST_TEST(parse_retry_after(date, now)->count() == 90);
  }
}

BOOST_AUTO_TEST_CASE(date_delay_rounds_up_and_never_goes_negative) {
  auto now = kExample - 1500ms;
  BOOST_TEST(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now)->count() == 2);
  BOOST_TEST(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kExample + 1h)->count() ==
             0);
}

BOOST_AUTO_TEST_CASE(leap_years_and_month_ends) {
  auto now = sys::time_point(0s);
  // 2024-02-29T00:00:00Z = 1709164800.
  auto d = parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT", now);
  BOOST_REQUIRE(d.is_ok());
  BOOST_TEST(
      std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() ==
      1709164800);
  BOOST_TEST(!parse_http_date("Wed, 29 Feb 2023 00:00:00 GMT", now).is_ok());
  // 2000 is a leap year (divisible by 400); 1900 is not.
  BOOST_TEST(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT", now).is_ok());
  BOOST_TEST(!parse_http_date("Thu, 29 Feb 1900 00:00:00 GMT", now).is_ok());
  BOOST_TEST(parse_http_date("Fri, 31 Dec 1999 23:59:59 GMT", now).is_ok());
}

BOOST_AUTO_TEST_CASE(rfc850_two_digit_years_follow_rfc9110) {
  // In 2025, "30" is 2030 (not more than 50 years ahead) and "94" is 1994.
  auto now = sys::time_point(1735689600s);  // 2025-01-01
  auto y2030 = parse_http_date("Tuesday, 01-Jan-30 00:00:00 GMT", now);
  BOOST_REQUIRE(y2030.is_ok());
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(y2030->time_since_epoch())
                 .count() == 1893456000);
  auto y1994 = parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now);
  BOOST_REQUIRE(y1994.is_ok());
  BOOST_TEST((*y1994 == kExample));
}
