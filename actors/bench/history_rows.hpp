// Reading store rows in bench's history code: typed column access with
// defaults for NULL. Internal to history_read*.cpp and dashboard_data.cpp.
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "runtime/store_types.hpp"

namespace troupe::bench::detail {

inline std::int64_t col_int(const sql_row& row, std::size_t i) {
  if (auto* v = std::get_if<std::int64_t>(&row.at(i))) return *v;
  if (auto* d = std::get_if<double>(&row.at(i))) return static_cast<std::int64_t>(*d);
  return 0;
}

inline std::string col_text(const sql_row& row, std::size_t i) {
  if (auto* v = std::get_if<std::string>(&row.at(i))) return *v;
  return {};
}

// NULL (unknown) reads as NaN.
inline double col_real(const sql_row& row, std::size_t i) {
  if (auto* d = std::get_if<double>(&row.at(i))) return *d;
  if (auto* v = std::get_if<std::int64_t>(&row.at(i))) return static_cast<double>(*v);
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace troupe::bench::detail
