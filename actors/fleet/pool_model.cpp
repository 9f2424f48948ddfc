#include "actors/fleet/pool_model.hpp"

#include <algorithm>

#include "actors/fleet/provider.hpp"

namespace troupe::fleet {

const char* to_string(runner_state s) {
  switch (s) {
    case runner_state::queued:
      return "queued";
    case runner_state::backoff:
      return "backoff";
    case runner_state::creating:
      return "creating";
    case runner_state::idle:
      return "idle";
    case runner_state::busy:
      return "busy";
    case runner_state::deleting:
      return "deleting";
  }
  return "?";
}

std::uint32_t pool_model::actual() const {
  std::uint32_t n = 0;
  for (auto& [name, r] : runners_)
    if (r.state != runner_state::deleting && !r.unwanted) ++n;
  return n;
}

pool_counts pool_model::counts() const {
  auto c = totals_;
  for (auto& [name, r] : runners_) {
    switch (r.state) {
      case runner_state::queued:
        ++c.queued;
        break;
      case runner_state::backoff:
        ++c.backoff;
        break;
      case runner_state::creating:
        ++c.creating;
        break;
      case runner_state::idle:
        ++c.idle;
        break;
      case runner_state::busy:
        ++c.busy;
        break;
      case runner_state::deleting:
        ++c.deleting;
        break;
    }
  }
  return c;
}

const runner_entry* pool_model::find(const std::string& name) const {
  auto i = runners_.find(name);
  return i == runners_.end() ? nullptr : &i->second;
}

runner_entry& pool_model::add_runner() {
  std::uint32_t slot = 0;
  while (busy_slots_.count(slot) > 0) ++slot;
  auto generation = next_generation_[slot]++;
  busy_slots_.insert(slot);
  runner_entry r;
  r.name = runner_name(pool_, slot, generation);
  r.slot = slot;
  r.generation = generation;
  auto& entry = runners_[r.name] = std::move(r);
  creates_.push_back(entry.name);
  return entry;
}

void pool_model::set_desired(std::uint32_t n) {
  desired_ = n;
  auto have = actual();
  if (n > have) {
    for (auto i = have; i < n; ++i) add_runner();
  } else if (have > n) {
    remove_surplus(have - n);
  }
}

void pool_model::remove_surplus(std::uint32_t surplus) {
  // Not yet sent: cancel (or delete, when an earlier attempt may have created it).
  auto drop_pending = [this](runner_entry& r) {
    erase_from(creates_, r.name);
    if (r.uncertain) {
      queue_delete(r);
    } else {
      ++totals_.cancelled;
      forget(r.name);
    }
  };
  while (surplus > 0 && !creates_.empty()) {
    drop_pending(runners_.at(creates_.back()));  // the latest queued first
    --surplus;
  }
  std::vector<runner_entry*> by_state;
  for (auto state : {runner_state::backoff, runner_state::idle, runner_state::creating}) {
    by_state.clear();
    for (auto& [name, r] : runners_)
      if (r.state == state && !r.unwanted) by_state.push_back(&r);
    std::sort(by_state.begin(), by_state.end(),
              [](auto* a, auto* b) { return a->slot > b->slot; });
    for (auto* r : by_state) {
      if (surplus == 0) return;
      --surplus;
      if (state == runner_state::backoff)
        drop_pending(*r);
      else if (state == runner_state::idle)
        queue_delete(*r);
      else
        r->unwanted = true;  // delete once its create answers
    }
  }
  // What is left is busy: never deleted; it finishes and is not replaced.
}

void pool_model::queue_delete(runner_entry& r) {
  r.state = runner_state::deleting;
  r.attempts = 0;
  deletes_.push_back(r.name);
}

void pool_model::forget(const std::string& name) {
  auto i = runners_.find(name);
  if (i == runners_.end()) return;
  if (auto slot = busy_slots_.find(i->second.slot); slot != busy_slots_.end())
    busy_slots_.erase(slot);
  runners_.erase(i);
}

void pool_model::erase_from(std::deque<std::string>& q, const std::string& name) {
  q.erase(std::remove(q.begin(), q.end(), name), q.end());
}

std::optional<pool_job> pool_model::next_job() {
  auto take = [this](std::deque<std::string>& q,
                     job_kind kind) -> std::optional<pool_job> {
    while (!q.empty()) {
      auto name = q.front();
      q.pop_front();
      auto i = runners_.find(name);
      if (i == runners_.end()) continue;
      auto& r = i->second;
      if (kind == job_kind::create) r.state = runner_state::creating;
      return pool_job{kind, r.name, r.slot, r.generation, ++r.attempts};
    }
    return std::nullopt;
  };
  if (auto job = take(deletes_, job_kind::remove)) return job;
  return take(creates_, job_kind::create);
}

void pool_model::on_created(const std::string& name) {
  auto i = runners_.find(name);
  if (i == runners_.end() || i->second.state != runner_state::creating) return;
  auto& r = i->second;
  ++totals_.created;
  r.uncertain = false;
  r.last_error.clear();
  if (r.unwanted) {
    queue_delete(r);
  } else {
    r.state = runner_state::idle;
  }
}

void pool_model::on_create_retry(const std::string& name, std::string reason,
                                 bool uncertain) {
  auto i = runners_.find(name);
  if (i == runners_.end() || i->second.state != runner_state::creating) return;
  auto& r = i->second;
  r.uncertain = r.uncertain || uncertain;
  r.last_error = std::move(reason);
  if (r.unwanted) {
    if (r.uncertain) {
      queue_delete(r);
    } else {
      ++totals_.cancelled;
      forget(name);
    }
    return;
  }
  r.state = runner_state::backoff;
}

void pool_model::on_retry_due(const std::string& name) {
  auto i = runners_.find(name);
  if (i == runners_.end() || i->second.state != runner_state::backoff) return;
  i->second.state = runner_state::queued;
  creates_.push_front(name);
}

void pool_model::on_create_failed(const std::string& name, std::string reason) {
  auto i = runners_.find(name);
  if (i == runners_.end() || i->second.state != runner_state::creating) return;
  auto& r = i->second;
  ++totals_.failed;
  r.last_error = std::move(reason);
  if (r.uncertain) {
    queue_delete(r);  // an earlier attempt may have created it
  } else {
    forget(name);
  }
}

void pool_model::on_deleted(const std::string& name) {
  auto i = runners_.find(name);
  if (i == runners_.end() || i->second.state != runner_state::deleting) return;
  ++totals_.deleted;
  forget(name);
}

void pool_model::on_delete_retry(const std::string& name, std::string reason) {
  auto i = runners_.find(name);
  if (i == runners_.end() || i->second.state != runner_state::deleting) return;
  i->second.last_error = std::move(reason);
  deletes_.push_back(name);
}

void pool_model::on_job_started(const std::string& name) {
  auto i = runners_.find(name);
  if (i != runners_.end() && i->second.state == runner_state::idle)
    i->second.state = runner_state::busy;
}

void pool_model::on_finished(const std::string& name, bool delete_object) {
  auto i = runners_.find(name);
  if (i == runners_.end()) return;
  auto state = i->second.state;
  if (state != runner_state::idle && state != runner_state::busy) return;
  ++totals_.finished;
  if (delete_object)
    queue_delete(i->second);
  else
    forget(name);
  reconcile();
}

void pool_model::adopt(const std::string& name, std::uint32_t slot,
                       std::uint32_t generation, bool busy) {
  if (runners_.count(name) > 0) return;
  runner_entry r;
  r.name = name;
  r.slot = slot;
  r.generation = generation;
  r.state = busy ? runner_state::busy : runner_state::idle;
  busy_slots_.insert(slot);
  auto& next = next_generation_[slot];
  next = std::max(next, generation + 1);
  runners_[name] = std::move(r);
}

void pool_model::adopt_uncertain(const std::string& name, std::uint32_t slot,
                                 std::uint32_t generation) {
  if (runners_.count(name) > 0) return;
  runner_entry r;
  r.name = name;
  r.slot = slot;
  r.generation = generation;
  r.uncertain = true;
  busy_slots_.insert(slot);
  auto& next = next_generation_[slot];
  next = std::max(next, generation + 1);
  runners_[name] = std::move(r);
  creates_.push_front(name);
}

}  // namespace troupe::fleet
