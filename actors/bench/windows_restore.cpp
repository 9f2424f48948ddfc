// window_scheduler::restore and the accessors a caller persists from
// (windows.hpp). Kept apart from the scheduling arithmetic in windows.cpp.
#include <algorithm>
#include <set>

#include "actors/bench/windows.hpp"

namespace troupe::bench {

std::vector<branch_window> window_scheduler::windows() const {
  std::vector<branch_window> out;
  for (const auto& [name, b] : branches_)
    if (b.open) out.push_back({name, b.open, b.widened, b.opened, b.closes});
  return out;
}

std::vector<std::string> window_scheduler::branches() const {
  std::vector<std::string> out;
  for (const auto& [name, b] : branches_) out.push_back(name);
  return out;
}

result<window_scheduler> window_scheduler::restore(window_options options,
                                                   const scheduler_snapshot& snap) {
  window_scheduler s(std::move(options));
  std::vector<std::string> order;  // arrival order
  for (const auto& [sha, branch] : snap.commits) {
    if (sha.empty() || branch.empty())
      return status::error("restore: commit without sha or branch");
    if (!s.branch_of_.emplace(sha, branch).second)
      return status::error("restore: commit " + sha + " seen twice");
    s.branches_[branch].head = sha;
    order.push_back(sha);
  }
  std::set<std::string> placed;
  auto place = [&](const std::string& sha, const std::string& branch,
                   const std::string& where) -> status {
    auto known = s.branch_of_.find(sha);
    if (known == s.branch_of_.end() || known->second != branch)
      return status::error("restore: " + where + " holds " + sha +
                           ", not a commit of branch " + branch);
    if (!placed.insert(sha).second)
      return status::error("restore: commit " + sha + " is in two places (" + where +
                           ")");
    return status::ok();
  };
  std::map<std::uint64_t, const planned_run*> by_id;
  for (const auto& run : snap.runs) {
    auto where = "run " + std::to_string(run.id);
    if (run.id == 0 || run.id >= snap.next_id)
      return status::error("restore: " + where + " is not below next_id");
    if (!by_id.emplace(run.id, &run).second)
      return status::error("restore: " + where + " twice");
    if (s.branch_of_.count(run.sha) == 0)
      return status::error("restore: " + where + " runs unknown commit " + run.sha);
    for (const auto& sha : run.commit_range)
      if (auto st = place(sha, run.branch, where); !st) return st;
    s.covered_ += run.commit_range.size();
    ++s.benchmarked_[run.sha];
  }
  for (const auto& sha : snap.skipped) {
    auto known = s.branch_of_.find(sha);
    if (known == s.branch_of_.end())
      return status::error("restore: skipped commit " + sha + " is unknown");
    if (auto st = place(sha, known->second, "the skipped list"); !st) return st;
  }
  s.skipped_ = snap.skipped.size();
  for (const auto& sha : order)
    if (placed.count(sha) == 0) s.branches_[s.branch_of_.at(sha)].pending.push_back(sha);
  for (const auto& w : snap.windows) {
    auto b = s.branches_.find(w.branch);
    if (b == s.branches_.end())
      return status::error("restore: window of unknown branch " + w.branch);
    if (!w.open) continue;
    b->second.open = true;
    b->second.widened = w.widened;
    b->second.opened = w.opened;
    b->second.closes = w.closes;
  }
  for (const auto& [name, b] : s.branches_)
    if (b.open == b.pending.empty())
      return status::error("restore: branch " + name +
                           (b.open ? " has an open window and nothing pending"
                                   : " has pending commits and no open window"));
  for (auto id : snap.queued) {
    auto run = by_id.find(id);
    if (run == by_id.end())
      return status::error("restore: queued run " + std::to_string(id) +
                           " is no surviving run");
    s.queue_.push_back(*run->second);
    by_id.erase(run);  // queued once
  }
  s.next_id_ = snap.next_id;
  return s;
}

}  // namespace troupe::bench
