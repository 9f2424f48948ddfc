// bench's protocols: commits coming in, runs going out to the platforms,
// artifacts coming back, and the read side of history. The typed interfaces
// at the end of this file are the contracts; an actor's internal messages
// (timers, store callbacks, host leases, a platform's finished commands)
// are private types of its implementation, so neither another actor nor
// another node can send them.
//
// On a coordinator the scheduler and the collector are named "bsched" and
// "bcollect" (actors/bench/placement.hpp): a worker node that runs one of
// its platforms holds their pull sides only (bench_pull_actor,
// bench_artifact_actor). The platform actors have no protocol: they pull.
#pragma once

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
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
using bench_host_atom = caf::atom_constant<caf::atom("bhost")>;
using bench_received_atom = caf::atom_constant<caf::atom("breceived")>;

// Why a run was made (bench_job::reason); compare: an A/B comparison.
enum class bench_run_reason : std::uint8_t { push, scheduled, manual, tagged, compare };
// Where a stored run is (bench_run_record::state; dropped runs are not restored).
enum class bench_run_state : std::uint8_t { queued, running, appended };
// What a platform does, as the scheduler sees it (bench_platform_state::state).
enum class bench_platform_phase : std::uint8_t { idle, running, waiting_for_host, down };
// Why a commit was not benchmarked (bench_skip::reason).
enum class bench_skip_reason : std::uint8_t { sampled_out };
// Which way a detected step goes (bench_regression::kind).
enum class bench_step_kind : std::uint8_t { regression, improvement };
// Whether a platform's suites measure alone on their host ([bench] isolation).
enum class bench_isolation : std::uint8_t { host, off };

// Their names as the HTTP API, the store, the artifact documents and the
// logs write them: "push", "queued", "waiting_for_host", "sampled_out",
// "regression", "off", ...
const char* to_string(bench_run_reason x);
const char* to_string(bench_run_state x);
const char* to_string(bench_platform_phase x);
const char* to_string(bench_skip_reason x);
const char* to_string(bench_step_kind x);
const char* to_string(bench_isolation x);

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
  bench_run_reason reason = bench_run_reason::push;
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
  bench_isolation isolation = bench_isolation::host;
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

// A platform as the scheduler's status shows it.
struct bench_platform_state {
  std::string name;
  bench_platform_phase state = bench_platform_phase::down;
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
  bench_skip_reason reason = bench_skip_reason::sampled_out;
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
  std::uint64_t version = 0;  // grows at every change (the ?since=V long poll)
  bool ready = false;         // restored after a start
  std::uint32_t queue_depth = 0;
  std::uint64_t seen = 0, benchmarked = 0, covered = 0, skipped = 0, pending = 0;
  std::vector<std::uint64_t> active_runs;  // dispatched, not yet appended
  std::vector<bench_platform_state> platforms;
  std::vector<bench_skip> recent_skipped;  // newest last
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_status& x) {
  return f(caf::meta::type_name("troupe::bench_status"), x.version, x.ready,
           x.queue_depth, x.seen, x.benchmarked, x.covered, x.skipped, x.pending,
           x.active_runs, x.platforms, x.recent_skipped);
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
  bench_run_state state = bench_run_state::queued;
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
  bench_step_kind kind = bench_step_kind::regression;
  double relative_change = 0;
  double p_value = 1;
  double baseline = 0;
  double candidate = 0;
  std::string method;
  // The series' run-to-run spread relative to the baseline when the step was
  // found: the noise the step had to stand out of.
  double noise = 0;
  std::string sha;
  std::vector<std::string> commit_range;
  std::vector<std::string> skipped_before;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bench_regression& x) {
  return f(caf::meta::type_name("troupe::bench_regression"), x.run_id, x.platform,
           x.benchmark, x.kind, x.relative_change, x.p_value, x.baseline, x.candidate,
           x.method, x.noise, x.sha, x.commit_range, x.skipped_before);
}

// The pull side of the scheduler: what a benchmark platform sends it, on
// this node or on a member node (a worker's platform holds this handle, not
// the whole scheduler). Each answers errc::not_a_member to an actor of
// another node that is not a cluster member, or a member whose [cluster]
// platform (and labels, node) does not fit the platform it names, and
// errc::not_found for a platform that is not configured (placement.hpp).
//   (bench_next_atom, std::string platform, std::string host) -> bench_job
//       the pull: an idle platform asks, the answer comes when there is a
//       job for it (a comparison first, then the oldest dispatched run it
//       has not run, then a new run); asking again says that its previous
//       job is finished. The pull of a second actor of a platform another
//       actor runs stands by: it is answered once the first one ends
//   (bench_host_atom, std::string platform, bool waiting)
//       the platform waits for its host (another platform measures, or
//       builds run) or no longer does; shown as waiting_for_host. Ignored
//       unless it comes from the actor that runs the platform
//   (bench_compared_atom, bench_compare_result) -> bool
//       a platform's rounds of a comparison, answered once durable; the
//       comparison is analysed when every platform has reported or
//       collector-deadline passed
//   (bench_platform_atom, std::string platform) -> bench_platform_def
//       for a worker node's bench as it attaches: the platform's definition
//       from the coordinator's INI
using bench_pull_actor = caf::typed_actor<
    caf::replies_to<bench_next_atom, std::string, std::string>::with<bench_job>,
    caf::reacts_to<bench_host_atom, std::string, bool>,
    caf::replies_to<bench_compared_atom, bench_compare_result>::with<bool>,
    caf::replies_to<bench_platform_atom, std::string>::with<bench_platform_def>>;

// The scheduler, as this node's API, webhooks, actions and collector see
// it: the pull side plus
//   (bench_submit_atom, std::vector<bench_commit>) -> bench_intake
//       answered once the commits (and the runs they made) are durable;
//       errors: queue_full (past [bench] intake-queue), invalid_argument (a
//       commit without sha or branch), shutting_down (still restoring after
//       a start), storage_unavailable (the store cannot write; the
//       scheduler restarts from what it holds)
//   (bench_manual_atom, std::string branch, std::string sha) -> bench_intake
//       a manual run of `branch` up to `sha` (empty: its head); not_found
//       for an unknown branch or sha; otherwise as bench_submit_atom
//   (status_atom) -> bench_status
//   (status_atom, std::uint64_t since) -> bench_status
//       a long poll: answered once the status version passes `since`, or
//       with the current status after 10 s
//   (bench_compare_atom, bench_compare_request) -> std::uint64_t
//       an A/B comparison queued (its id), answered once durable; errors:
//       invalid_argument (unknown platform, rounds outside 2..100),
//       queue_full, shutting_down, storage_unavailable
//   (bench_appended_atom, std::uint64_t run)
//       the collector appended `run` to history: it is no longer active
//   (bench_received_atom, std::uint64_t run, std::string platform)
//       the collector has that platform's artifact of `run` on disk: the
//       platform is done with that run
// These answer not_a_member to actors of other nodes (the collector's two
// are ignored from them): a member holds the pull side only, but a handle
// can be cast.
using bench_scheduler_actor = bench_pull_actor::extend<
    caf::replies_to<bench_submit_atom, std::vector<bench_commit>>::with<bench_intake>,
    caf::replies_to<bench_manual_atom, std::string, std::string>::with<bench_intake>,
    caf::replies_to<status_atom>::with<bench_status>,
    caf::replies_to<status_atom, std::uint64_t>::with<bench_status>,
    caf::replies_to<bench_compare_atom, bench_compare_request>::with<std::uint64_t>,
    caf::reacts_to<bench_appended_atom, std::uint64_t>,
    caf::reacts_to<bench_received_atom, std::uint64_t, std::string>>;

// The artifact side of the collector: what a platform sends it, on this
// node or on a member node (a worker's platform holds this handle).
//   (bench_artifact) -> bool
//       answered once the artifact is durable (idempotent by run and
//       platform); errors: not_a_member and not_found as the pull side's,
//       storage_unavailable while the store cannot write (the platform
//       keeps the artifact and sends it again), shutting_down
using bench_artifact_actor =
    caf::typed_actor<caf::replies_to<bench_artifact>::with<bool>>;

// The collector, as this node's scheduler sees it: the artifact side plus
//   (bench_dispatched_atom, bench_job, std::vector<std::string> platforms)
//       the run went out to `platforms`: its collector-deadline starts.
//       Ignored from actors of other nodes
using bench_collector_actor = bench_artifact_actor::extend<
    caf::reacts_to<bench_dispatched_atom, bench_job, std::vector<std::string>>>;

// The history actor: bench's reads and file writes, for this node's actors
// only (it has no name). A store failure answers shutting_down.
//   (bench_load_atom) -> bench_snapshot
//       what the scheduler and the collector restore at start
//   (bench_analyze_atom, std::uint64_t run) -> std::vector<bench_regression>
//       the new steps in the series of `run`'s benchmarks (recorded), once
//       the host allows (no measurement runs on it)
//   (bench_export_atom)
//       brings history-<platform>.jsonl up to date, once the host allows
//   (bench_runs_atom, std::uint64_t limit) -> std::string      JSON, newest first
//   (bench_run_atom, std::uint64_t id) -> std::string          JSON; not_found
//   (bench_regressions_atom) -> std::string                    JSON, newest first
//   (bench_history_atom, std::string platform) -> std::string  JSON; not_found
//   (bench_dashboard_atom, bench_status live) -> std::string
//       the dashboard's HTML (live.ready false: the platforms shown down)
//   (bench_compares_atom, std::uint64_t limit) -> std::string  JSON, newest first
//   (bench_compare_atom, std::uint64_t id) -> std::string      JSON; not_found
using bench_history_actor = caf::typed_actor<
    caf::replies_to<bench_load_atom>::with<bench_snapshot>,
    caf::replies_to<bench_analyze_atom,
                    std::uint64_t>::with<std::vector<bench_regression>>,
    caf::reacts_to<bench_export_atom>,
    caf::replies_to<bench_runs_atom, std::uint64_t>::with<std::string>,
    caf::replies_to<bench_run_atom, std::uint64_t>::with<std::string>,
    caf::replies_to<bench_regressions_atom>::with<std::string>,
    caf::replies_to<bench_history_atom, std::string>::with<std::string>,
    caf::replies_to<bench_dashboard_atom, bench_status>::with<std::string>,
    caf::replies_to<bench_compares_atom, std::uint64_t>::with<std::string>,
    caf::replies_to<bench_compare_atom, std::uint64_t>::with<std::string>>;

}  // namespace troupe
