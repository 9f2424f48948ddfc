// clock: the two times troupe records — wall-clock unix milliseconds (stored,
// shown) and steady nanoseconds (durations, latencies within one process).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace troupe {

inline std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
      .count();
}

// The wall clock as actors are given it (bench_context, fleet's
// pool_context and workflow's engine_services carry one, `now`), so that
// tests set the time they see. Steady time within an actor is CAF's actor
// clock (self->clock()), which the deterministic test scheduler drives.
using wall_clock = std::function<std::chrono::system_clock::time_point()>;

inline std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Wall-clock time that does not jump: the system clock as read at the first
// call in this process, advanced by the steady clock since. For deadlines
// kept as wall time so that they survive a restart (bench's windows): a clock
// jump while the process runs makes nothing fire early or late, and the next
// process starts from the system clock again. Its readings are off by any
// jump since the process started; timestamps for people use unix_ms().
std::chrono::system_clock::time_point steady_wall_now();

// "2026-11-22T07:30:48.123Z": `unix_ms` as ISO 8601 UTC with milliseconds.
std::string iso_time(std::int64_t unix_ms);

}  // namespace troupe
