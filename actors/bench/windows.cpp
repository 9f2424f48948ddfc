#include "actors/bench/windows.hpp"

#include <algorithm>

namespace troupe::bench {

std::string_view run_reason_name(run_reason r) {
  switch (r) {
    case run_reason::push:
      return "push";
    case run_reason::scheduled:
      return "scheduled";
    case run_reason::manual:
      return "manual";
    case run_reason::tagged:
      return "tagged";
  }
  return "push";
}

std::string_view skip_reason_name(skip_reason) {
  return "sampled_out";
}

double coverage_counts::benchmarked_fraction() const {
  return seen ? static_cast<double>(benchmarked) / static_cast<double>(seen) : 0.0;
}

double coverage_counts::covered_fraction() const {
  return seen ? static_cast<double>(covered) / static_cast<double>(seen) : 0.0;
}

window_scheduler::window_scheduler(window_options options)
    : options_(std::move(options)) {}

result<scheduler_changes> window_scheduler::add(const commit& c, time_point now) {
  if (c.sha.empty()) return status::error("commit without a sha");
  if (c.branch.empty()) return status::error("commit " + c.sha + " without a branch");
  scheduler_changes changes;
  if (!branch_of_.emplace(c.sha, c.branch).second) return changes;
  branch_state& b = branches_[c.branch];
  b.pending.push_back(c.sha);
  b.head = c.sha;
  if (!options_.tag.empty() && c.message.find(options_.tag) != std::string::npos) {
    create_run(c.branch, b, b.pending.size(), c.sha, run_reason::tagged, now, changes);
  } else if (!b.open) {
    b.open = true;
    b.widened = false;
    b.opened = now;
    b.closes = now + options_.window;
  }
  return changes;
}

scheduler_changes window_scheduler::advance(time_point now) {
  scheduler_changes changes;
  for (auto& [name, b] : branches_) {
    if (!b.open || now < b.closes) continue;
    if (!b.widened && queue_.size() > options_.widen_threshold) {
      b.widened = true;
      b.closes = b.opened + options_.window * options_.widen_factor;
      if (now < b.closes) continue;
    }
    create_run(name, b, b.pending.size(), b.head, run_reason::push, now, changes);
  }
  return changes;
}

std::optional<time_point> window_scheduler::next_deadline() const {
  std::optional<time_point> next;
  for (const auto& [name, b] : branches_) {
    if (b.open && (!next || b.closes < *next)) next = b.closes;
  }
  return next;
}

scheduler_changes window_scheduler::scheduled(time_point now) {
  scheduler_changes changes;
  for (auto& [name, b] : branches_) {
    if (b.pending.empty()) continue;
    create_run(name, b, b.pending.size(), b.head, run_reason::scheduled, now, changes);
  }
  return changes;
}

result<scheduler_changes> window_scheduler::manual(std::string_view branch,
                                                   time_point now, std::string_view sha) {
  auto it = branches_.find(branch);
  if (it == branches_.end()) {
    return status::error("unknown branch \"" + std::string(branch) + "\"");
  }
  branch_state& b = it->second;
  scheduler_changes changes;
  if (sha.empty()) {
    create_run(it->first, b, b.pending.size(), b.head, run_reason::manual, now, changes);
    return changes;
  }
  auto known = branch_of_.find(std::string(sha));
  if (known == branch_of_.end() || known->second != branch) {
    return status::error("unknown commit " + std::string(sha) + " on branch \"" +
                         std::string(branch) + "\"");
  }
  auto at = std::find(b.pending.begin(), b.pending.end(), sha);
  std::size_t count =
      at == b.pending.end() ? 0 : static_cast<std::size_t>(at - b.pending.begin()) + 1;
  create_run(it->first, b, count, std::string(sha), run_reason::manual, now, changes);
  return changes;
}

std::optional<planned_run> window_scheduler::take() {
  if (queue_.empty()) return std::nullopt;
  planned_run run = std::move(queue_.front());
  queue_.pop_front();
  return run;
}

std::vector<std::string> window_scheduler::pending(std::string_view branch) const {
  auto it = branches_.find(branch);
  return it == branches_.end() ? std::vector<std::string>{} : it->second.pending;
}

coverage_counts window_scheduler::coverage() const {
  coverage_counts c;
  c.seen = branch_of_.size();
  c.benchmarked = benchmarked_.size();
  c.covered = covered_;
  c.skipped = skipped_;
  for (const auto& [name, b] : branches_) c.pending += b.pending.size();
  return c;
}

void window_scheduler::create_run(const std::string& branch, branch_state& b,
                                  std::size_t count, const std::string& sha,
                                  run_reason reason, time_point now,
                                  scheduler_changes& changes) {
  planned_run run;
  run.id = next_id_++;
  run.branch = branch;
  run.sha = sha;
  run.reason = reason;
  run.created = now;
  run.queue_depth = queue_.size();
  run.commit_range.assign(b.pending.begin(),
                          b.pending.begin() + static_cast<std::ptrdiff_t>(count));
  b.pending.erase(b.pending.begin(),
                  b.pending.begin() + static_cast<std::ptrdiff_t>(count));
  if (b.pending.empty()) b.open = false;

  if (run.queue_depth > options_.drop_threshold) {
    // The droppable runs of this branch: those after its last queued manual run.
    auto first = queue_.end();
    for (auto it = queue_.end(); it != queue_.begin();) {
      --it;
      if (it->branch != branch) continue;
      if (it->reason == run_reason::manual) break;
      first = it;
    }
    std::vector<std::string> skipped;
    for (auto it = first; it != queue_.end();) {
      if (it->branch != branch) {
        ++it;
        continue;
      }
      skipped.insert(skipped.end(), it->skipped_before.begin(), it->skipped_before.end());
      for (const std::string& s : it->commit_range) {
        changes.skipped.push_back(
            {s, branch, skip_reason::sampled_out, run.queue_depth, now, it->id, run.id});
        skipped.push_back(s);
      }
      covered_ -= it->commit_range.size();
      skipped_ += it->commit_range.size();
      if (--benchmarked_[it->sha] == 0) benchmarked_.erase(it->sha);
      changes.dropped.push_back(it->id);
      it = queue_.erase(it);
    }
    run.skipped_before = std::move(skipped);
  }

  covered_ += run.commit_range.size();
  ++benchmarked_[run.sha];
  queue_.push_back(run);
  changes.created.push_back(std::move(run));
}

}  // namespace troupe::bench
