// windows: which commits get benchmarked, and which commits each run stands
// for. Pure arithmetic: time is passed in, nothing is read from a clock, and
// nothing here knows about actors, HTTP or the store. The intake/scheduler
// actor feeds it commits and timer ticks and persists what it reports.
//
// The model, per branch:
//   - Commits arrive in push order (parents before children). The first
//     commit that arrives while no window is open opens one; it closes
//     `window` later. At close, the latest commit that arrived (the branch
//     head as pushed, not the newest commit timestamp, which rebases and
//     clock skew make meaningless) becomes a run with reason push, and its
//     commit_range is every commit of the branch that arrived since the
//     previous run on it: oldest first, ending with the benchmarked commit.
//   - A commit whose message contains the tag ("[bench]") becomes a run of
//     its own at once (reason tagged): its range is the commits since the
//     previous run up to it; later commits go on in the window.
//   - manual() runs a branch now (reason manual), up to its head or a given
//     pending commit; with nothing pending it re-runs the head with an empty
//     range. Manual runs are never dropped.
//   - scheduled() is the periodic tick: every branch with pending commits
//     runs its head now (reason scheduled), closing its window early.
//   A run that takes every pending commit of its branch closes its window.
//
// Adaptive sampling, from the depth of the queue of runs not yet taken:
//   - depth > widen_threshold when a window is due: the window is extended
//     once, to widen_factor x window from its opening;
//   - depth > drop_threshold when a run is created: the queued runs of the
//     same branch after its last queued manual run are dropped in favour of
//     the new one. The commits of their ranges go to the skipped list with
//     reason sampled_out, the queue depth, the dropped run and the run that
//     superseded it; the new run lists them (after any commits the dropped
//     runs had themselves listed as skipped before them) as skipped_before.
//
// Invariants (tests/actors/bench/bench_windows_test.cpp checks them on
// random streams):
//   - every distinct commit is in exactly one of: the commit_range of one
//     run that was created and not dropped, the skipped list, or the pending
//     commits of its branch (not yet in any run); nothing disappears;
//   - per branch, concatenating skipped_before + commit_range over its
//     surviving runs in creation order, then its pending commits, gives the
//     branch's commits in arrival order: ranges are contiguous, ordered and
//     disjoint, and skipped commits sit exactly in the gap before the run
//     that superseded them, so a culprit search for a step at run R covers
//     R.skipped_before + R.commit_range.
//   - a sha seen before (on any branch) is ignored: adding is idempotent.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/base/status.hpp"

namespace troupe::bench {

using time_point = std::chrono::system_clock::time_point;

struct commit {
  std::string sha;
  std::string parent;  // may be empty (root or unknown); kept for the record
  time_point time;     // commit timestamp; metadata only, windows use arrival
  std::string message;
  std::string branch;
};

enum class run_reason { push, scheduled, manual, tagged };
// "push", "scheduled", "manual", "tagged".
std::string_view run_reason_name(run_reason r);

enum class skip_reason { sampled_out };
// "sampled_out".
std::string_view skip_reason_name(skip_reason r);

// A run as planned: one commit to benchmark and the commits it stands for.
struct planned_run {
  std::uint64_t id = 0;  // 1, 2, 3, ... in creation order, never reused
  std::string branch;
  std::string sha;  // the commit to benchmark
  run_reason reason = run_reason::push;
  // Commits since the previous run on the branch, oldest first, ending with
  // `sha`; empty only for a manual re-run of an already covered commit.
  std::vector<std::string> commit_range;
  // Commits of this branch skipped (sampled out) since the previous
  // surviving run, oldest first; they are in the skipped list, not here.
  std::vector<std::string> skipped_before;
  time_point created;
  std::size_t queue_depth = 0;  // queued runs when it was created
};

struct skipped_commit {
  std::string sha;
  std::string branch;
  skip_reason reason = skip_reason::sampled_out;
  std::size_t queue_depth = 0;      // when the decision was made
  time_point at;                    // when the decision was made
  std::uint64_t dropped_run = 0;    // the queued run that would have covered it
  std::uint64_t superseded_by = 0;  // the run that took its place
};

// What one call changed, for the caller to persist and act on.
struct scheduler_changes {
  std::vector<planned_run> created;     // new runs, already queued, in order
  std::vector<std::uint64_t> dropped;   // ids of queued runs removed
  std::vector<skipped_commit> skipped;  // the commits of the dropped runs
  bool empty() const { return created.empty() && dropped.empty() && skipped.empty(); }
};

struct window_options {
  std::chrono::seconds window = std::chrono::minutes(15);
  std::size_t widen_threshold = 10;  // queue depth above which windows widen
  std::size_t drop_threshold = 20;   // queue depth above which runs are dropped
  unsigned widen_factor = 2;
  std::string tag = "[bench]";  // in a commit message: run that commit alone
};

// Counts over every commit seen so far; seen = covered + skipped + pending.
struct coverage_counts {
  std::size_t seen = 0;
  std::size_t benchmarked = 0;  // distinct commits a surviving run benchmarks
  std::size_t covered = 0;      // commits in a surviving run's commit_range
  std::size_t skipped = 0;
  std::size_t pending = 0;
  // benchmarked / seen and covered / seen; 0 when nothing was seen.
  double benchmarked_fraction() const;
  double covered_fraction() const;
};

// The window of one branch, as the caller persists it.
struct branch_window {
  std::string branch;
  bool open = false;
  bool widened = false;
  time_point opened;
  time_point closes;
};

// What a caller that persisted every change it was told about knows, and
// all restore() needs to rebuild the scheduler after a restart.
struct scheduler_snapshot {
  // Every commit seen: (sha, branch), in arrival order.
  std::vector<std::pair<std::string, std::string>> commits;
  // Every surviving run (not dropped), taken or still queued, by id.
  std::vector<planned_run> runs;
  // Ids of the runs not yet taken, in queue order.
  std::vector<std::uint64_t> queued;
  // Shas of the skipped list.
  std::vector<std::string> skipped;
  // The windows of branches with an open one (the others are closed).
  std::vector<branch_window> windows;
  // Greater than every run id ever created, dropped runs included.
  std::uint64_t next_id = 1;
};

class window_scheduler {
 public:
  explicit window_scheduler(window_options options = {});

  // Rebuilds a scheduler from `snapshot`: pending commits are the commits of
  // each branch, in arrival order, that no surviving run's commit_range and
  // no skipped entry holds. The result behaves exactly like the scheduler the
  // snapshot was taken from. An error names the first inconsistency (a
  // commit in two places, a run of an unknown commit, a queued id that is no
  // run, pending commits without an open window or the reverse).
  static result<window_scheduler> restore(window_options options,
                                          const scheduler_snapshot& snapshot);

  // A commit arrived at `now`. Ignored (no changes) if its sha was seen
  // before; an error if sha or branch is empty. A tagged commit is run at
  // once; otherwise it waits for its branch's window.
  result<scheduler_changes> add(const commit& c, time_point now);

  // Closes the windows due at `now` (widening them first if the queue is
  // deep) and runs their heads with reason push.
  scheduler_changes advance(time_point now);

  // When advance() next has work: the earliest close of an open window;
  // nullopt when no window is open. The actor sets its timer to this.
  std::optional<time_point> next_deadline() const;

  // The periodic tick: runs every branch with pending commits now.
  scheduler_changes scheduled(time_point now);

  // Runs `branch` now, up to `sha` (a pending commit of it) or, when `sha`
  // is empty, up to its head. A commit already covered or skipped is re-run
  // with an empty range. Errors: unknown branch, or a sha never seen on it.
  result<scheduler_changes> manual(std::string_view branch, time_point now,
                                   std::string_view sha = {});

  // Removes and returns the oldest queued run (the platforms are ready for
  // it); a taken run is never dropped. nullopt when the queue is empty.
  std::optional<planned_run> take();

  std::size_t queue_depth() const { return queue_.size(); }
  // Runs not yet taken, oldest first.
  const std::deque<planned_run>& queue() const { return queue_; }
  // Pending commits of `branch`, oldest first (empty for unknown branches).
  std::vector<std::string> pending(std::string_view branch) const;
  bool seen(std::string_view sha) const { return branch_of_.count(std::string(sha)) > 0; }
  coverage_counts coverage() const;
  // The open windows, by branch name.
  std::vector<branch_window> windows() const;
  // Every branch that has had a commit, by name.
  std::vector<std::string> branches() const;
  // The id the next run will get.
  std::uint64_t next_id() const { return next_id_; }

 private:
  struct branch_state {
    std::vector<std::string> pending;  // arrival order
    std::string head;                  // last commit that arrived
    bool open = false;
    bool widened = false;
    time_point opened;
    time_point closes;
  };

  // Creates a run of `b` covering its first `count` pending commits (0: a
  // re-run of `sha`), drops what adaptive sampling drops, queues the run.
  void create_run(const std::string& branch, branch_state& b, std::size_t count,
                  const std::string& sha, run_reason reason, time_point now,
                  scheduler_changes& changes);

  window_options options_;
  std::map<std::string, branch_state, std::less<>> branches_;
  std::unordered_map<std::string, std::string> branch_of_;    // every sha seen
  std::unordered_map<std::string, std::size_t> benchmarked_;  // sha -> surviving runs
  std::deque<planned_run> queue_;
  std::uint64_t next_id_ = 1;
  std::size_t covered_ = 0;
  std::size_t skipped_ = 0;
};

}  // namespace troupe::bench
