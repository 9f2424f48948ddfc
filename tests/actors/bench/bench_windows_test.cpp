// Scheduling arithmetic: time windows per branch, tagged/manual/scheduled
// runs, adaptive sampling, coverage, and the invariant that every commit ends
// up in exactly one run's range or in the skipped list, checked on random
// commit streams.
#define BOOST_TEST_MODULE bench_windows
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "actors/bench/windows.hpp"

using namespace troupe;
using namespace troupe::bench;
using std::chrono::minutes;
using std::chrono::seconds;
using strings = std::vector<std::string>;

namespace troupe::bench {
std::ostream& operator<<(std::ostream& os, run_reason r) {
  return os << run_reason_name(r);
}
}  // namespace troupe::bench

namespace {

const time_point t0 = time_point(std::chrono::hours(24 * 20000));

commit make(const std::string& sha, const std::string& branch = "main",
            const std::string& message = "change") {
  return commit{sha, "", t0, message, branch};
}

scheduler_changes add(window_scheduler& s, const commit& c, time_point now) {
  auto r = s.add(c, now);
  BOOST_TEST_REQUIRE(r.is_ok(), r.error().message());
  return std::move(r).value();
}

// Fills the queue with `n` runs on a throwaway branch per run.
void fill_queue(window_scheduler& s, std::size_t n, time_point now) {
  for (std::size_t i = 0; i < n; ++i) {
    std::string branch = "filler-" + std::to_string(i);
    add(s, make("f" + std::to_string(i), branch, "[bench]"), now);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(window_runs_the_latest_commit_with_its_range) {
  window_scheduler s;
  BOOST_TEST(!s.next_deadline().has_value());
  BOOST_TEST(add(s, make("a"), t0).empty());
  add(s, make("b"), t0 + minutes(1));
  add(s, make("c"), t0 + minutes(5));
  BOOST_TEST((s.next_deadline() == t0 + minutes(15)));
  BOOST_TEST(s.advance(t0 + minutes(15) - seconds(1)).empty());
  auto closed = s.advance(t0 + minutes(15));
  BOOST_TEST_REQUIRE(closed.created.size() == 1u);
  const planned_run& run = closed.created[0];
  BOOST_TEST(run.id == 1u);
  BOOST_TEST(run.sha == "c");
  BOOST_TEST(run.reason == run_reason::push);
  BOOST_TEST(run.commit_range == (strings{"a", "b", "c"}));
  BOOST_TEST(run.skipped_before.empty());
  BOOST_TEST(s.queue_depth() == 1u);
  BOOST_TEST(!s.next_deadline().has_value());

  // The next commit opens a new window at its own arrival; its range starts
  // after the previous run.
  add(s, make("d"), t0 + minutes(40));
  BOOST_TEST((s.next_deadline() == t0 + minutes(55)));
  BOOST_TEST(s.advance(t0 + minutes(54)).empty());
  auto next = s.advance(t0 + minutes(70));
  BOOST_TEST_REQUIRE(next.created.size() == 1u);
  BOOST_TEST(next.created[0].commit_range == strings{"d"});
  BOOST_TEST(next.created[0].id == 2u);
}

BOOST_AUTO_TEST_CASE(branches_have_their_own_windows) {
  window_options options;
  options.window = minutes(10);
  window_scheduler s(options);
  add(s, make("m1", "main"), t0);
  add(s, make("r1", "release"), t0 + minutes(4));
  add(s, make("m2", "main"), t0 + minutes(6));
  auto first = s.advance(t0 + minutes(10));
  BOOST_TEST_REQUIRE(first.created.size() == 1u);
  BOOST_TEST(first.created[0].branch == "main");
  BOOST_TEST(first.created[0].commit_range == (strings{"m1", "m2"}));
  BOOST_TEST((s.next_deadline() == t0 + minutes(14)));
  auto second = s.advance(t0 + minutes(14));
  BOOST_TEST_REQUIRE(second.created.size() == 1u);
  BOOST_TEST(second.created[0].commit_range == strings{"r1"});
}

BOOST_AUTO_TEST_CASE(tagged_commits_run_on_their_own_at_once) {
  window_scheduler s;
  add(s, make("a"), t0);
  auto tagged = add(s, make("b", "main", "speed up parser [bench]"), t0 + minutes(2));
  BOOST_TEST_REQUIRE(tagged.created.size() == 1u);
  BOOST_TEST(tagged.created[0].reason == run_reason::tagged);
  BOOST_TEST(tagged.created[0].sha == "b");
  BOOST_TEST(tagged.created[0].commit_range == (strings{"a", "b"}));
  BOOST_TEST(!s.next_deadline().has_value());  // nothing pending: window closed

  add(s, make("c"), t0 + minutes(3));
  add(s, make("d", "main", "[bench] again"), t0 + minutes(4));
  add(s, make("e"), t0 + minutes(5));  // opens a new window: d's run closed the last
  BOOST_TEST(s.advance(t0 + minutes(19)).empty());
  auto later = s.advance(t0 + minutes(20));
  BOOST_TEST_REQUIRE(later.created.size() == 1u);
  BOOST_TEST(later.created[0].commit_range == strings{"e"});
  BOOST_TEST(later.created[0].reason == run_reason::push);
}

BOOST_AUTO_TEST_CASE(manual_runs_always_run_now) {
  window_scheduler s;
  add(s, make("a"), t0);
  add(s, make("b"), t0 + minutes(1));
  add(s, make("c"), t0 + minutes(2));
  // Up to a given pending commit: the rest stays in the window.
  auto up_to_b = s.manual("main", t0 + minutes(3), "b");
  BOOST_TEST_REQUIRE(up_to_b.is_ok());
  BOOST_TEST(up_to_b->created.at(0).reason == run_reason::manual);
  BOOST_TEST(up_to_b->created.at(0).commit_range == (strings{"a", "b"}));
  BOOST_TEST(s.pending("main") == strings{"c"});
  BOOST_TEST((s.next_deadline() == t0 + minutes(15)));
  // Up to the head.
  auto head = s.manual("main", t0 + minutes(4));
  BOOST_TEST(head->created.at(0).commit_range == strings{"c"});
  BOOST_TEST(head->created.at(0).sha == "c");
  // Nothing pending: a re-run of the head with an empty range.
  auto rerun = s.manual("main", t0 + minutes(5));
  BOOST_TEST(rerun->created.at(0).sha == "c");
  BOOST_TEST(rerun->created.at(0).commit_range.empty());
  auto older = s.manual("main", t0 + minutes(6), "a");
  BOOST_TEST(older->created.at(0).sha == "a");
  BOOST_TEST(older->created.at(0).commit_range.empty());

  BOOST_TEST(s.manual("nope", t0).error().message() == "unknown branch \"nope\"");
  BOOST_TEST(s.manual("main", t0, "zzz").error().message() ==
             "unknown commit zzz on branch \"main\"");
  coverage_counts c = s.coverage();
  BOOST_TEST(c.seen == 3u);
  BOOST_TEST(c.covered == 3u);
  BOOST_TEST(c.benchmarked == 3u);  // b, c and a (the re-run); c counted once
}

BOOST_AUTO_TEST_CASE(scheduled_tick_runs_every_pending_branch) {
  window_scheduler s;
  add(s, make("a", "main"), t0);
  add(s, make("b", "dev"), t0 + minutes(1));
  auto tick = s.scheduled(t0 + minutes(5));
  BOOST_TEST_REQUIRE(tick.created.size() == 2u);
  for (const auto& run : tick.created) BOOST_TEST(run.reason == run_reason::scheduled);
  BOOST_TEST(!s.next_deadline().has_value());
  BOOST_TEST(s.scheduled(t0 + minutes(20)).empty());  // nothing new: nothing runs
}

BOOST_AUTO_TEST_CASE(duplicates_are_idempotent_and_bad_commits_refused) {
  window_scheduler s;
  add(s, make("a"), t0);
  BOOST_TEST(add(s, make("a"), t0 + minutes(1)).empty());
  BOOST_TEST(add(s, make("a", "other"), t0 + minutes(2)).empty());
  BOOST_TEST(s.pending("main") == strings{"a"});
  BOOST_TEST(s.pending("other").empty());
  auto run = s.advance(t0 + minutes(15));
  BOOST_TEST(add(s, make("a"), t0 + minutes(16)).empty());  // even after its run
  BOOST_TEST(s.coverage().seen == 1u);
  BOOST_TEST(s.add(commit{"", "", t0, "", "main"}, t0).error().message() ==
             "commit without a sha");
  BOOST_TEST(s.add(commit{"x", "", t0, "", ""}, t0).error().message() ==
             "commit x without a branch");
}

BOOST_AUTO_TEST_CASE(windows_widen_above_the_first_threshold) {
  window_options options;
  options.widen_threshold = 3;
  options.drop_threshold = 100;
  window_scheduler s(options);
  fill_queue(s, 3, t0);  // depth 3: not above
  add(s, make("a"), t0);
  BOOST_TEST(s.advance(t0 + minutes(15)).created.size() == 1u);

  fill_queue(s, 0, t0);
  add(s, make("b"), t0 + minutes(20));  // depth is now 4: above
  BOOST_TEST(s.advance(t0 + minutes(35)).empty());
  BOOST_TEST((s.next_deadline() == t0 + minutes(50)));  // 2 x 15 from the opening
  BOOST_TEST(s.advance(t0 + minutes(49)).empty());
  auto late = s.advance(t0 + minutes(50));
  BOOST_TEST_REQUIRE(late.created.size() == 1u);
  BOOST_TEST(late.created[0].commit_range == strings{"b"});
  // Widened once only: a window is not extended forever.
  add(s, make("c"), t0 + minutes(60));
  BOOST_TEST(s.advance(t0 + minutes(75)).empty());
  BOOST_TEST(s.advance(t0 + minutes(90)).created.size() == 1u);
}

BOOST_AUTO_TEST_CASE(runs_are_dropped_above_the_second_threshold) {
  window_options options;
  options.widen_threshold = 100;
  options.drop_threshold = 4;
  window_scheduler s(options);
  add(s, make("a1"), t0);
  add(s, make("a2"), t0);
  s.advance(t0 + minutes(15));  // run 1: a1 a2
  add(s, make("m1"), t0 + minutes(16));
  s.manual("main", t0 + minutes(16));  // run 2: manual m1 (never dropped)
  add(s, make("b1"), t0 + minutes(17));
  s.advance(t0 + minutes(32));  // run 3: b1
  add(s, make("c1"), t0 + minutes(33));
  add(s, make("c2"), t0 + minutes(34));
  s.advance(t0 + minutes(48));         // run 4: c1 c2
  fill_queue(s, 1, t0 + minutes(49));  // run 5 on another branch: depth 5
  BOOST_TEST(s.queue_depth() == 5u);

  add(s, make("d1"), t0 + minutes(50));
  auto changes = s.advance(t0 + minutes(65));  // run 6 at depth 5 > 4
  BOOST_TEST((changes.dropped == std::vector<std::uint64_t>{3, 4}));
  BOOST_TEST_REQUIRE(changes.skipped.size() == 3u);
  BOOST_TEST(changes.skipped[0].sha == "b1");
  BOOST_TEST(changes.skipped[0].queue_depth == 5u);
  BOOST_TEST(changes.skipped[0].dropped_run == 3u);
  BOOST_TEST(changes.skipped[0].superseded_by == 6u);
  BOOST_TEST(skip_reason_name(changes.skipped[0].reason) == "sampled_out");
  BOOST_TEST(changes.skipped[2].sha == "c2");
  const planned_run& latest = changes.created.at(0);
  BOOST_TEST(latest.id == 6u);
  BOOST_TEST(latest.commit_range == strings{"d1"});
  BOOST_TEST(latest.skipped_before == (strings{"b1", "c1", "c2"}));
  std::vector<std::uint64_t> queued;
  for (const auto& r : s.queue()) queued.push_back(r.id);
  BOOST_TEST(
      (queued == std::vector<std::uint64_t>{1, 2, 5, 6}));  // before the manual run: kept

  coverage_counts c = s.coverage();
  BOOST_TEST(c.seen == 8u);     // a1 a2 m1 b1 c1 c2 f0 d1
  BOOST_TEST(c.covered == 5u);  // a1 a2 m1 f0 d1
  BOOST_TEST(c.skipped == 3u);  // b1 c1 c2
  BOOST_TEST(c.pending == 0u);
  BOOST_TEST(c.covered_fraction() == 5.0 / 8.0);
  BOOST_TEST(c.benchmarked == 4u);  // a2 m1 f0 d1
}

BOOST_AUTO_TEST_CASE(taken_runs_are_never_dropped) {
  window_options options;
  options.drop_threshold = 1;
  window_scheduler s(options);
  add(s, make("a", "main", "[bench]"), t0);
  BOOST_TEST(s.take()->sha == "a");
  add(s, make("b", "main", "[bench]"), t0);
  add(s, make("x", "other", "[bench]"), t0);
  auto changes = add(s, make("c", "main", "[bench]"), t0);  // depth 2 > 1: drops b
  BOOST_TEST((changes.dropped == std::vector<std::uint64_t>{2}));
  BOOST_TEST(changes.created.at(0).skipped_before == strings{"b"});
  BOOST_TEST(s.take()->sha == "x");
  BOOST_TEST(s.take()->sha == "c");
  BOOST_TEST(!s.take().has_value());
}

BOOST_AUTO_TEST_CASE(coverage_is_a_true_fraction) {
  window_scheduler s;
  BOOST_TEST(s.coverage().covered_fraction() == 0.0);
  for (int i = 0; i < 8; ++i) add(s, make("c" + std::to_string(i)), t0 + minutes(i));
  s.advance(t0 + minutes(15));
  add(s, make("late"), t0 + minutes(16));
  coverage_counts c = s.coverage();
  BOOST_TEST(c.seen == 9u);
  BOOST_TEST(c.benchmarked == 1u);
  BOOST_TEST(c.covered == 8u);
  BOOST_TEST(c.pending == 1u);
  BOOST_TEST(c.benchmarked_fraction() == 1.0 / 9.0);
  BOOST_TEST(c.covered_fraction() == 8.0 / 9.0);
}

// -- property: random commit streams -----------------------------------------

namespace {

struct ledger {
  std::map<std::uint64_t, planned_run> runs;  // every run created
  std::set<std::uint64_t> dropped, taken;
  std::vector<skipped_commit> skipped;

  void record(const scheduler_changes& c) {
    for (const auto& r : c.created) {
      BOOST_TEST_REQUIRE(runs.emplace(r.id, r).second, "run id reused: " << r.id);
    }
    for (auto id : c.dropped) {
      BOOST_TEST_REQUIRE(runs.count(id) == 1u);
      BOOST_TEST_REQUIRE(taken.count(id) == 0u, "taken run dropped: " << id);
      BOOST_TEST_REQUIRE(runs.at(id).reason != run_reason::manual);
      BOOST_TEST_REQUIRE(dropped.insert(id).second);
    }
    skipped.insert(skipped.end(), c.skipped.begin(), c.skipped.end());
  }
};

void check_invariants(const window_scheduler& s, const ledger& l,
                      const std::map<std::string, strings>& arrived, std::size_t seed) {
  // Each commit: exactly one surviving range, the skipped list, or pending.
  std::map<std::string, int> places;
  std::map<std::string, strings> rebuilt;  // per branch, in run order
  for (const auto& [id, run] : l.runs) {
    if (l.dropped.count(id)) continue;
    if (run.commit_range.empty()) {
      BOOST_TEST_REQUIRE(run.reason == run_reason::manual, "seed " << seed);
    } else {
      BOOST_TEST_REQUIRE(run.commit_range.back() == run.sha, "seed " << seed);
    }
    auto& branch = rebuilt[run.branch];
    branch.insert(branch.end(), run.skipped_before.begin(), run.skipped_before.end());
    branch.insert(branch.end(), run.commit_range.begin(), run.commit_range.end());
    for (const auto& sha : run.commit_range) ++places[sha];
  }
  for (const auto& sk : l.skipped) {
    ++places[sk.sha];
    BOOST_TEST_REQUIRE(l.dropped.count(sk.dropped_run) == 1u, "seed " << seed);
    BOOST_TEST_REQUIRE(l.runs.count(sk.superseded_by) == 1u, "seed " << seed);
  }
  std::size_t seen = 0, pending = 0;
  for (const auto& [branch, shas] : arrived) {
    strings waiting = s.pending(branch);
    pending += waiting.size();
    for (const auto& sha : waiting) ++places[sha];
    strings all = rebuilt[branch];
    all.insert(all.end(), waiting.begin(), waiting.end());
    BOOST_TEST_REQUIRE(all == shas, "seed " << seed << " branch " << branch);
    for (const auto& sha : shas) {
      ++seen;
      BOOST_TEST_REQUIRE(places[sha] == 1, "seed " << seed << " commit " << sha);
    }
  }
  BOOST_TEST_REQUIRE(places.size() == seen, "seed " << seed);
  coverage_counts c = s.coverage();
  BOOST_TEST_REQUIRE(c.seen == seen);
  BOOST_TEST_REQUIRE(c.pending == pending);
  BOOST_TEST_REQUIRE(c.skipped == l.skipped.size());
  BOOST_TEST_REQUIRE(c.seen == c.covered + c.skipped + c.pending);
}

}  // namespace

BOOST_AUTO_TEST_CASE(nothing_disappears_on_random_streams) {
  std::map<run_reason, std::size_t> reasons;  // over all seeds: every path taken
  std::size_t dropped = 0;
  for (std::size_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    window_options options;
    options.window = seconds(60 + pick(900));
    options.widen_threshold = 1 + pick(6);
    options.drop_threshold = options.widen_threshold + pick(6);
    window_scheduler s(options);
    ledger l;
    std::map<std::string, strings> arrived;
    time_point now = t0;
    std::size_t next_sha = 0;
    for (int step = 0; step < 400; ++step) {
      now += seconds(pick(120));
      std::size_t what = pick(100);
      if (what < 60) {
        std::string branch = "b" + std::to_string(pick(4));
        bool duplicate = next_sha > 0 && pick(10) == 0;
        std::string sha = duplicate ? "s" + std::to_string(pick(next_sha))
                                    : "s" + std::to_string(next_sha++);
        std::string message = pick(15) == 0 ? "fix [bench]" : "change";
        bool fresh = !s.seen(sha);
        l.record(add(s, commit{sha, "", now, message, branch}, now));
        if (fresh) arrived[branch].push_back(sha);
      } else if (what < 80) {
        l.record(s.advance(now));
      } else if (what < 85) {
        l.record(s.scheduled(now));
      } else if (what < 90 && !arrived.empty()) {
        auto it = arrived.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(pick(arrived.size())));
        std::string sha = pick(2) ? "" : it->second[pick(it->second.size())];
        auto r = s.manual(it->first, now, sha);
        BOOST_TEST_REQUIRE(r.is_ok(), r.error().message());
        l.record(*r);
      } else {
        for (std::size_t k = pick(3); k > 0; --k) {
          if (auto run = s.take()) l.taken.insert(run->id);
        }
      }
      if (step % 50 == 0) check_invariants(s, l, arrived, seed);
    }
    check_invariants(s, l, arrived, seed);
    // Closing every window leaves nothing pending.
    l.record(s.advance(now + std::chrono::hours(24)));
    for (const auto& [branch, shas] : arrived)
      BOOST_TEST_REQUIRE(s.pending(branch).empty());
    check_invariants(s, l, arrived, seed);
    for (const auto& [id, run] : l.runs) ++reasons[run.reason];
    dropped += l.dropped.size();
  }
  BOOST_TEST(dropped > 100u);
  for (auto r : {run_reason::push, run_reason::scheduled, run_reason::manual,
                 run_reason::tagged}) {
    BOOST_TEST(reasons[r] > 100u, run_reason_name(r) << ": " << reasons[r]);
  }
}

// -- restore: a scheduler rebuilt from what its caller persisted -------------

namespace {

// What a caller that persisted every change knows: the snapshot.
scheduler_snapshot snapshot_of(const window_scheduler& s, const ledger& l,
                               const strings& arrival) {
  scheduler_snapshot snap;
  std::map<std::string, std::string> branch_of;
  for (const auto& [id, run] : l.runs)
    for (const auto& sha : run.commit_range) branch_of[sha] = run.branch;
  for (const auto& sk : l.skipped) branch_of[sk.sha] = sk.branch;
  for (const auto& sha : arrival) {
    std::string branch = branch_of.count(sha) ? branch_of[sha] : "";
    for (const auto& b : s.branches()) {
      auto p = s.pending(b);
      if (std::find(p.begin(), p.end(), sha) != p.end()) branch = b;
    }
    snap.commits.emplace_back(sha, branch);
  }
  for (const auto& [id, run] : l.runs)
    if (!l.dropped.count(id)) snap.runs.push_back(run);
  for (const auto& run : s.queue()) snap.queued.push_back(run.id);
  for (const auto& sk : l.skipped) snap.skipped.push_back(sk.sha);
  snap.windows = s.windows();
  snap.next_id = s.next_id();
  return snap;
}

void check_same(const scheduler_changes& a, const scheduler_changes& b,
                std::size_t seed) {
  BOOST_TEST_REQUIRE(a.created.size() == b.created.size(), "seed " << seed);
  for (std::size_t i = 0; i < a.created.size(); ++i) {
    BOOST_TEST_REQUIRE(a.created[i].id == b.created[i].id);
    BOOST_TEST_REQUIRE(a.created[i].sha == b.created[i].sha);
    BOOST_TEST_REQUIRE(a.created[i].commit_range == b.created[i].commit_range);
    BOOST_TEST_REQUIRE(a.created[i].skipped_before == b.created[i].skipped_before);
    BOOST_TEST_REQUIRE(a.created[i].queue_depth == b.created[i].queue_depth);
  }
  BOOST_TEST_REQUIRE(a.dropped == b.dropped, "seed " << seed);
  BOOST_TEST_REQUIRE(a.skipped.size() == b.skipped.size(), "seed " << seed);
}

}  // namespace

BOOST_AUTO_TEST_CASE(restored_scheduler_behaves_like_the_original) {
  for (std::size_t seed = 1; seed <= 100; ++seed) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    window_options options;
    options.window = seconds(60 + pick(900));
    options.widen_threshold = 1 + pick(4);
    options.drop_threshold = options.widen_threshold + pick(4);
    window_scheduler s(options);
    std::optional<window_scheduler> twin;
    ledger l;
    strings arrival;
    time_point now = t0;
    std::size_t next_sha = 0;
    for (int step = 0; step < 400; ++step) {
      if (step == 200) {
        auto restored = window_scheduler::restore(options, snapshot_of(s, l, arrival));
        BOOST_TEST_REQUIRE(restored.is_ok(),
                           "seed " << seed << ": " << restored.error().message());
        twin.emplace(std::move(restored).value());
        BOOST_TEST_REQUIRE(twin->queue_depth() == s.queue_depth());
        BOOST_TEST_REQUIRE((twin->next_deadline() == s.next_deadline()));
      }
      now += seconds(pick(120));
      std::size_t what = pick(100);
      std::vector<window_scheduler*> both{&s};
      if (twin) both.push_back(&*twin);
      std::vector<scheduler_changes> out;
      if (what < 60) {
        std::string sha = "s" + std::to_string(next_sha++);
        commit c{sha, "", now, pick(15) == 0 ? "x [bench]" : "x",
                 "b" + std::to_string(pick(3))};
        arrival.push_back(sha);
        for (auto* x : both) out.push_back(add(*x, c, now));
      } else if (what < 80) {
        for (auto* x : both) out.push_back(x->advance(now));
      } else if (what < 85) {
        for (auto* x : both) out.push_back(x->scheduled(now));
      } else if (what < 90 && !arrival.empty()) {
        std::string branch = "b" + std::to_string(pick(3));
        auto r0 = s.manual(branch, now);
        if (!r0) continue;
        out.push_back(*r0);
        if (twin) out.push_back(*twin->manual(branch, now));
      } else {
        for (std::size_t k = pick(3); k > 0; --k) {
          auto a = s.take();
          if (twin) BOOST_TEST_REQUIRE((twin->take().has_value() == a.has_value()));
          if (a) l.taken.insert(a->id);
        }
      }
      if (!out.empty()) l.record(out[0]);
      if (out.size() == 2) check_same(out[0], out[1], seed);
    }
    auto a = s.coverage(), b = twin->coverage();
    BOOST_TEST_REQUIRE(a.seen == b.seen);
    BOOST_TEST_REQUIRE(a.covered == b.covered);
    BOOST_TEST_REQUIRE(a.skipped == b.skipped);
    BOOST_TEST_REQUIRE(a.pending == b.pending);
    BOOST_TEST_REQUIRE(a.benchmarked == b.benchmarked);
  }
}

BOOST_AUTO_TEST_CASE(restore_refuses_inconsistent_snapshots) {
  scheduler_snapshot snap;
  snap.commits = {{"a", "main"}, {"b", "main"}};
  planned_run run;
  run.id = 1;
  run.branch = "main";
  run.sha = "b";
  run.commit_range = {"a", "b"};
  snap.runs = {run};
  snap.next_id = 2;
  BOOST_TEST(window_scheduler::restore({}, snap).is_ok());
  auto twice = snap;
  twice.skipped = {"a"};
  BOOST_TEST(window_scheduler::restore({}, twice).error().message() ==
             "restore: commit a is in two places (the skipped list)");
  auto no_window = snap;
  no_window.commits.emplace_back("c", "main");
  BOOST_TEST(window_scheduler::restore({}, no_window).error().message() ==
             "restore: branch main has pending commits and no open window");
  auto bad_queue = snap;
  bad_queue.queued = {7};
  BOOST_TEST(!window_scheduler::restore({}, bad_queue).is_ok());
  auto low_next = snap;
  low_next.next_id = 1;
  BOOST_TEST(!window_scheduler::restore({}, low_next).is_ok());
}
