#include "messages/bench.hpp"

namespace troupe {

const char* to_string(bench_run_reason x) {
  switch (x) {
    case bench_run_reason::push:
      return "push";
    case bench_run_reason::scheduled:
      return "scheduled";
    case bench_run_reason::manual:
      return "manual";
    case bench_run_reason::tagged:
      return "tagged";
    case bench_run_reason::compare:
      return "compare";
  }
  return "?";
}

const char* to_string(bench_run_state x) {
  switch (x) {
    case bench_run_state::queued:
      return "queued";
    case bench_run_state::running:
      return "running";
    case bench_run_state::appended:
      return "appended";
  }
  return "?";
}

const char* to_string(bench_platform_phase x) {
  switch (x) {
    case bench_platform_phase::idle:
      return "idle";
    case bench_platform_phase::running:
      return "running";
    case bench_platform_phase::waiting_for_host:
      return "waiting_for_host";
    case bench_platform_phase::down:
      return "down";
  }
  return "?";
}

const char* to_string(bench_skip_reason x) {
  switch (x) {
    case bench_skip_reason::sampled_out:
      return "sampled_out";
  }
  return "?";
}

const char* to_string(bench_step_kind x) {
  switch (x) {
    case bench_step_kind::regression:
      return "regression";
    case bench_step_kind::improvement:
      return "improvement";
  }
  return "?";
}

const char* to_string(bench_isolation x) {
  switch (x) {
    case bench_isolation::host:
      return "host";
    case bench_isolation::off:
      return "off";
  }
  return "?";
}

}  // namespace troupe
