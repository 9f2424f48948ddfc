// clock: the two times troupe records — wall-clock unix milliseconds (stored,
// shown) and steady nanoseconds (durations, latencies within one process).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace troupe {

inline std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// "2026-11-22T07:30:48.123Z": `unix_ms` as ISO 8601 UTC with milliseconds.
std::string iso_time(std::int64_t unix_ms);

}  // namespace troupe
