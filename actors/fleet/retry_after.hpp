// retry_after: the HTTP Retry-After header (RFC 9110 section 10.2.3).
//
//   Retry-After = HTTP-date / delay-seconds
//
// delay-seconds is 1*DIGIT. HTTP-date has three forms, all of which a
// recipient must accept (RFC 9110 section 5.6.7):
//   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT   (the one senders use)
//   RFC 850      Sunday, 06-Nov-94 08:49:37 GMT  (obsolete; two-digit year)
//   asctime      Sun Nov  6 08:49:37 1994        (obsolete)
// Pure logic: "now" is passed in, never read.
#pragma once

#include <chrono>
#include <string_view>

#include "runtime/base/status.hpp"

namespace troupe::fleet {

// Parses an HTTP-date in any of the three forms. Weekday names are checked for
// spelling but not against the date. Two-digit RFC 850 years are read as the
// most recent year with those digits that is not more than 50 years after
// `now` (RFC 9110). Errors name what was expected.
result<std::chrono::system_clock::time_point> parse_http_date(
    std::string_view text, std::chrono::system_clock::time_point now);

// Parses a Retry-After value (surrounding blanks allowed) into a delay from
// `now`: delay-seconds as given (saturating at about 68 years), or an
// HTTP-date minus now, rounded up to whole seconds and never negative (a
// date in the past means "retry now").
result<std::chrono::seconds> parse_retry_after(std::string_view value,
                                               std::chrono::system_clock::time_point now);

}  // namespace troupe::fleet
