// bench's messages: commits coming in, runs going out to the platforms,
// artifacts coming back, and the read side of history.
//
//   API/webhooks/CLI → scheduler:
//     (bench_submit_atom, std::vector<bench_commit>) -> bench_intake
//         answered once the commits (and the runs they made) are durable;
//         errors: queue_full (past [bench] intake-queue), invalid_argument,
//         shutting_down (still restoring after a start)
//     (bench_manual_atom, std::string branch, std::string sha) -> bench_intake
//     (status_atom) -> bench_status
//   platform → scheduler:
//     (bench_next_atom, std::string platform, std::string host) -> bench_job
//         the pull: an idle platform asks, the answer comes when there is a
//         job for it (the platform's previous job is then finished)
//   scheduler → collector: (bench_dispatched_atom, bench_job, std::vector<std::string>
//   platforms) platform → collector:  (bench_artifact) -> bool    answered once durable
//   API/CLI → scheduler:
//     (bench_compare_atom, bench_compare_request) -> std::uint64_t
//         an A/B comparison queued (its id), answered once durable; errors:
//         invalid_argument (unknown platform), queue_full, shutting_down
//   platform → scheduler:
//     (bench_compared_atom, bench_compare_result) -> bool
//         a platform's rounds of a comparison, answered once durable; the
//         comparison is analysed when every platform has reported or
//         collector-deadline passed
//   worker node's bench (attach) → scheduler:
//     (bench_platform_atom, std::string platform) -> bench_platform_def
//         the platform's definition from the coordinator's INI
//   On a coordinator the scheduler and the collector are in the actor
//   registry as "bsched" and "bcollect" (actors/bench/placement.hpp); they
//   answer bench_next_atom, bench_platform_atom and bench_artifact with
//   errc::not_a_member for a node that is not a cluster member, or a member
//   whose [cluster] platform (and labels, node) do not fit the platform.
//   collector → scheduler: (bench_appended_atom, std::uint64_t run)
//   platform → scheduler: (bench_host_atom, std::string platform, bool waiting)
//         the platform waits for its host (another platform measures, or
//         builds run) or no longer does; shown as state "waiting_for_host"
//   history actor (reads and file writes, detached):
//     (bench_load_atom) -> bench_snapshot               restart state
//     (bench_analyze_atom, std::uint64_t run) -> std::vector<bench_regression>  new steps
//     (bench_export_atom)                               appends new runs to
//     history-<platform>.jsonl (bench_runs_atom, std::uint64_t limit) -> std::string JSON
//     (bench_run_atom, std::uint64_t id) -> std::string              JSON; not_found
//     (bench_regressions_atom) -> std::string                       JSON
//     (bench_history_atom, std::string platform) -> std::string     JSON; not_found
//     (bench_dashboard_atom, bench_status) -> std::string           HTML
//     (bench_compares_atom, std::uint64_t limit) -> std::string    JSON, newest first
//     (bench_compare_atom, std::uint64_t id) -> std::string         JSON; not_found
#pragma once

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"

namespace troupe {

// The same alias as messages/fleet.hpp's (a redeclaration names the same type).
using status_atom = caf::atom_constant<caf::atom("status")>;
using bench_submit_atom = caf::atom_constant<caf::atom("bsubmit")>;
using bench_manual_atom = caf::atom_constant<caf::atom("bmanual")>;
using bench_next_atom = caf::atom_constant<caf::atom("bnext")>;
using bench_dispatched_atom = caf::atom_constant<caf::atom("bdispatch")>;
using bench_appended_atom = caf::atom_constant<caf::atom("bappended")>;
using bench_load_atom = caf::atom_constant<caf::atom("bload")>;
using bench_analyze_atom = caf::atom_constant<caf::atom("banalyze")>;
using bench_export_atom = caf::atom_constant<caf::atom("bexport")>;
using bench_runs_atom = caf::atom_constant<caf::atom("bruns")>;
using bench_run_atom = caf::atom_constant<caf::atom("brun")>;
using bench_regressions_atom = caf::atom_constant<caf::atom("bregress")>;
using bench_history_atom = caf::atom_constant<caf::atom("bhistory")>;
using bench_dashboard_atom = caf::atom_constant<caf::atom("bdash")>;
using bench_platform_atom = caf::atom_constant<caf::atom("bplatform")>;
using bench_compare_atom = caf::atom_constant<caf::atom("bcompare")>;
using bench_compared_atom = caf::atom_constant<caf::atom("bcompared")>;
using bench_compares_atom = caf::atom_constant<caf::atom("bcompares")>;
// Internal: a window deadline, the scheduled tick, a durable write, a
// collector deadline, a finished step of a platform's job.
using bench_tick_atom = caf::atom_constant<caf::atom("btick")>;
using bench_scheduled_atom = caf::atom_constant<caf::atom("bsched")>;
using bench_saved_atom = caf::atom_constant<caf::atom("bsaved")>;
using bench_deadline_atom = caf::atom_constant<caf::atom("bdeadline")>;
using bench_step_atom = caf::atom_constant<caf::atom("bstep")>;
using bench_cdeadline_atom = caf::atom_constant<caf::atom("bcdeadline")>;
using bench_granted_atom = caf::atom_constant<caf::atom("bgranted")>;
using bench_host_atom = caf::atom_constant<caf::atom("bhost")>;
// collector → scheduler: (bench_received_atom, std::uint64_t run, std::string platform)
// an artifact is durable; that platform is done with that run.
using bench_received_atom = caf::atom_constant<caf::atom("breceived")>;

// A commit as submitted (API, webhook, CLI).
struct bench_commit {
  std::string sha;
  std::string parent;
  std::int64_t time = 0;  // commit timestamp, unix seconds (metadata)
  std::string message;
  std::string branch;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_commit& x) {
  return f(caf::meta::type_name("troupe::bench_commit"), x.sha, x.parent, x.time,
           x.message, x.branch);
}

// The answer to a submission or a manual run.
struct bench_intake {
  std::uint32_t accepted = 0;       // new commits
  std::uint32_t duplicates = 0;     // commits seen before (ignored)
  std::vector<std::uint64_t> runs;  // runs created by this call
  std::uint32_t queue_depth = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_intake& x) {
  return f(caf::meta::type_name("troupe::bench_intake"), x.accepted, x.duplicates, x.runs,
           x.queue_depth);
}

// A run as a platform runs it, or an A/B comparison (rounds > 0): then
// run_id is the comparison's id, sha its head and base its base.
struct bench_job {
  std::uint64_t run_id = 0;
  std::string branch;
  std::string sha;
  std::string reason;  // push | scheduled | manual | tagged | compare
  std::vector<std::string> commit_range;
  std::vector<std::string> skipped_before;
  std::int64_t created_ms = 0;
  std::string base;
  std::uint32_t rounds = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_job& x) {
  return f(caf::meta::type_name("troupe::bench_job"), x.run_id, x.branch, x.sha, x.reason,
           x.commit_range, x.skipped_before, x.created_ms, x.base, x.rounds);
}

// POST /api/v1/bench/compare: measure `head` against `base` on `platforms`
// (empty: all), `rounds` rounds of each, interleaved.
struct bench_compare_request {
  std::string base;
  std::string head;
  std::vector<std::string> platforms;
  std::uint32_t rounds = 10;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_compare_request& x) {
  return f(caf::meta::type_name("troupe::bench_compare_request"), x.base, x.head,
           x.platforms, x.rounds);
}

// One platform's rounds of a comparison: the document of
// actors/bench/compare_job.hpp (values per benchmark, base and head, one per
// round; failures).
struct bench_compare_result {
  std::uint64_t id = 0;
  std::string platform;
  std::string document;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_compare_result& x) {
  return f(caf::meta::type_name("troupe::bench_compare_result"), x.id, x.platform,
           x.document);
}

// A comparison not yet analysed (restart state).
struct bench_compare_record {
  std::uint64_t id = 0;
  bench_compare_request request;
  std::int64_t created_ms = 0;
  std::vector<bench_compare_result> results;  // received so far
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_compare_record& x) {
  return f(caf::meta::type_name("troupe::bench_compare_record"), x.id, x.request,
           x.created_ms, x.results);
}

// One platform's result for one run: the artifact document (JSON text,
// docs/bench.md, "Artifact and history file formats").
struct bench_artifact {
  std::uint64_t run_id = 0;
  std::string platform;
  std::string document;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_artifact& x) {
  return f(caf::meta::type_name("troupe::bench_artifact"), x.run_id, x.platform,
           x.document);
}

// One suite of a platform's definition (actors/bench/bench_config.hpp's
// suite_config on the wire).
struct bench_suite_def {
  std::string name;
  std::vector<std::string> argv;
  std::string format;  // a result_format_name(), see actors/bench/results.hpp
  std::uint32_t repetitions = 1;
  std::int64_t timeout_ns = 0;  // 0 = the definition's suite_timeout_ns
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_suite_def& x) {
  return f(caf::meta::type_name("troupe::bench_suite_def"), x.name, x.argv, x.format,
           x.repetitions, x.timeout_ns);
}

// A platform as the coordinator defines it, with the [bench] limits its
// commands run under: all a worker needs to run the platform.
struct bench_platform_def {
  std::string name;
  std::vector<std::string> labels;
  std::string node;
  std::string workdir;
  std::vector<std::string> build;
  std::vector<bench_suite_def> suites;
  std::int64_t suite_timeout_ns = 0;
  std::int64_t build_timeout_ns = 0;
  std::uint64_t max_output_bytes = 0;
  std::vector<std::int32_t> cpus;
  std::vector<std::string> env;  // NAME=VALUE
  bool clear_env = false;
  std::string isolation;  // host | off
  double max_disturbance = 0;
  std::uint32_t disturbance_retries = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_platform_def& x) {
  return f(caf::meta::type_name("troupe::bench_platform_def"), x.name, x.labels, x.node,
           x.workdir, x.build, x.suites, x.suite_timeout_ns, x.build_timeout_ns,
           x.max_output_bytes, x.cpus, x.env, x.clear_env, x.isolation, x.max_disturbance,
           x.disturbance_retries);
}

// How one command of a platform's job ended (a process_result as a message).
struct bench_step_result {
  std::uint64_t job = 0;   // the platform's job counter
  std::uint32_t step = 0;  // index of the step in the job
  bool spawn_failed = false;
  bool timed_out = false;
  bool cancelled = false;
  std::int32_t exit_code = -1;
  std::int32_t term_signal = 0;
  std::string error;
  std::string out, err;
  bool out_truncated = false;
  std::int64_t duration_ns = 0;
  std::int64_t cpu_ns = 0;   // the command's own CPU time (process_result::cpu)
  std::int64_t busy_ns = 0;  // a suite's: busy CPU time of everything on its CPUs
                             // while it ran (runtime/services/process/cpu_activity.hpp)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_step_result& x) {
  return f(caf::meta::type_name("troupe::bench_step_result"), x.job, x.step,
           x.spawn_failed, x.timed_out, x.cancelled, x.exit_code, x.term_signal, x.error,
           x.out, x.err, x.out_truncated, x.duration_ns, x.cpu_ns, x.busy_ns);
}

struct bench_platform_state {
  std::string name;
  std::string state;  // idle | running | waiting_for_host | down
  std::uint64_t current_run = 0;
  std::string host;
  std::int64_t last_seen = 0;     // unix seconds
  std::int64_t host_wait_ms = 0;  // total time spent waiting for its host
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_platform_state& x) {
  return f(caf::meta::type_name("troupe::bench_platform_state"), x.name, x.state,
           x.current_run, x.host, x.last_seen, x.host_wait_ms);
}

// A commit in the skipped list.
struct bench_skip {
  std::string sha;
  std::string branch;
  std::string reason;  // sampled_out
  std::uint32_t queue_depth = 0;
  std::int64_t at_ms = 0;
  std::uint64_t dropped_run = 0;
  std::uint64_t superseded_by = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_skip& x) {
  return f(caf::meta::type_name("troupe::bench_skip"), x.sha, x.branch, x.reason,
           x.queue_depth, x.at_ms, x.dropped_run, x.superseded_by);
}

// GET /api/v1/bench/status.
struct bench_status {
  bool ready = false;  // restored after a start
  std::uint32_t queue_depth = 0;
  std::uint64_t seen = 0, benchmarked = 0, covered = 0, skipped = 0, pending = 0;
  std::vector<std::uint64_t> active_runs;  // dispatched, not yet appended
  std::vector<bench_platform_state> platforms;
  std::vector<bench_skip> recent_skipped;  // newest last
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_status& x) {
  return f(caf::meta::type_name("troupe::bench_status"), x.ready, x.queue_depth, x.seen,
           x.benchmarked, x.covered, x.skipped, x.pending, x.active_runs, x.platforms,
           x.recent_skipped);
}

// A branch's open window (persisted scheduler state).
struct bench_window {
  std::string branch;
  bool widened = false;
  std::int64_t opened_ms = 0;
  std::int64_t closes_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_window& x) {
  return f(caf::meta::type_name("troupe::bench_window"), x.branch, x.widened, x.opened_ms,
           x.closes_ms);
}

// A stored run that is not dropped.
struct bench_run_record {
  bench_job job;
  std::string state;  // queued | running | appended
  std::uint32_t queue_depth = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_run_record& x) {
  return f(caf::meta::type_name("troupe::bench_run_record"), x.job, x.state,
           x.queue_depth);
}

// Everything the scheduler and the collector restore after a start.
struct bench_snapshot {
  std::vector<bench_commit> commits;   // arrival order (sha and branch set)
  std::vector<bench_run_record> runs;  // by id
  std::vector<bench_skip> skipped;     // in order of the decision
  std::vector<bench_window> windows;
  std::vector<bench_artifact> artifacts;  // of the runs still running
  std::uint64_t next_id = 1;
  std::vector<bench_compare_record> compares;  // not yet analysed, by id
  std::uint64_t next_compare_id = 1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_snapshot& x) {
  return f(caf::meta::type_name("troupe::bench_snapshot"), x.commits, x.runs, x.skipped,
           x.windows, x.artifacts, x.next_id, x.compares, x.next_compare_id);
}

// A detected step (GET /api/v1/bench/regressions).
struct bench_regression {
  std::uint64_t run_id = 0;
  std::string platform;
  std::string benchmark;
  std::string kind;  // regression | improvement
  double relative_change = 0;
  double p_value = 1;
  double baseline = 0;
  double candidate = 0;
  std::string method;
  std::string sha;
  std::vector<std::string> commit_range;
  std::vector<std::string> skipped_before;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_regression& x) {
  return f(caf::meta::type_name("troupe::bench_regression"), x.run_id, x.platform,
           x.benchmark, x.kind, x.relative_change, x.p_value, x.baseline, x.candidate,
           x.method, x.sha, x.commit_range, x.skipped_before);
}

}  // namespace troupe
