// Reading store rows in bench's history code: typed column access with
// defaults for NULL. Internal to history_read*.cpp and dashboard_data.cpp.
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "runtime/services/store/store_types.hpp"

namespace troupe::bench::detail {

inline std::int64_t col_int(const sql_row& row, std::size_t i) {
  return sql_int(row.at(i));
}
inline std::string col_text(const sql_row& row, std::size_t i) {
  return sql_text(row.at(i));
}
// NULL (unknown) reads as NaN.
inline double col_real(const sql_row& row, std::size_t i) {
  return sql_real(row.at(i));
}

}  // namespace troupe::bench::detail
