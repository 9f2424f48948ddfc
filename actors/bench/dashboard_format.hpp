// dashboard_format: the text helpers of the dashboard renderer. Everything a
// user or a tool supplied (benchmark and platform names, shas, branches, error
// messages) reaches the page only through html_escaped; every number reaches
// it only through the format_* functions, which never print "nan" or "inf"
// and never depend on the C locale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::bench::detail {

// Appends `s` to `out` with & < > " ' replaced by entities, so the result is
// safe both as element text and inside a double- or single-quoted attribute.
void append_html_escaped(std::string& out, std::string_view s);
std::string html_escaped(std::string_view s);

// `value` with exactly `decimals` digits after the point ("12.50"); "-" when
// it is not finite.
std::string format_fixed(double value, int decimals);

// `value` with about 4 significant digits and no trailing zeros ("1234",
// "12.35", "0.001235", "1.235e+09"); "-" when it is not finite.
std::string format_value(double value);

// A number for an SVG coordinate: one decimal, "0" when not finite.
std::string format_coord(double value);

// count/total as a percentage with one decimal ("66.7"); rounding never
// claims 100.0 for count < total nor 0.0 for 0 < count. total must be > 0.
std::string format_percent(std::size_t count, std::size_t total);

// "+12.3%" / "-4.0%" for a relative change (0.123 -> "+12.3%").
std::string format_change(double relative_change);

// "2024-05-01 12:00:00 UTC"; format_iso_utc gives "2024-05-01T12:00:00Z".
// Both return the plain number of seconds when it is out of the calendar's
// range.
std::string format_utc(std::int64_t unix_seconds);
std::string format_iso_utc(std::int64_t unix_seconds);

// A duration for people: "0 s", "4.2 s", "12 min", "3.5 h".
std::string format_duration_ms(std::int64_t ms);

// The first 8 characters of a sha (the whole string when shorter).
std::string short_sha(std::string_view sha);

// A commit range in words: "no commits", "1 commit: abc12345",
// "3 commits: abc12345..def67890" (short shas, oldest first). Not escaped.
std::string describe_range(const std::vector<std::string>& commits);

}  // namespace troupe::bench::detail
