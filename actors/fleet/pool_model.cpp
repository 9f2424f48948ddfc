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

namespace {

void bump(std::uint32_t& counter, int sign) {
  counter = sign > 0 ? counter + 1 : counter - 1;
}

// The index of removable_ that holds runners in `s`, or -1.
int removable_index(runner_state s) {
  switch (s) {
    case runner_state::backoff:
      return 0;
    case runner_state::idle:
      return 1;
    case runner_state::creating:
      return 2;
    default:
      return -1;
  }
}

}  // namespace

void pool_model::count(runner_entry& r, int sign) {
  switch (r.state) {
    case runner_state::queued:
      bump(count_.queued, sign);
      break;
    case runner_state::backoff:
      bump(count_.backoff, sign);
      break;
    case runner_state::creating:
      bump(count_.creating, sign);
      break;
    case runner_state::idle:
      bump(count_.idle, sign);
      break;
    case runner_state::busy:
      bump(count_.busy, sign);
      break;
    case runner_state::deleting:
      bump(count_.deleting, sign);
      break;
  }
  if (r.state == runner_state::deleting || r.unwanted) return;
  bump(demand_, sign);
  if (auto i = removable_index(r.state); i >= 0) {
    if (sign > 0)
      removable_[i].insert(&r);
    else
      removable_[i].erase(&r);
  }
}

template <class F>
void pool_model::change(runner_entry& r, F f) {
  count(r, -1);
  f(r);
  count(r, +1);
}

runner_entry* pool_model::lookup(const std::string& name) {
  ++visits_;
  auto i = runners_.find(name);
  return i == runners_.end() ? nullptr : &i->second;
}

const runner_entry* pool_model::find(const std::string& name) const {
  auto i = runners_.find(name);
  return i == runners_.end() ? nullptr : &i->second;
}

runner_entry& pool_model::add_entry(runner_entry r) {
  auto name = r.name;
  auto& entry = runners_[name] = std::move(r);
  count(entry, +1);
  return entry;
}

runner_entry& pool_model::add_runner() {
  runner_entry r;
  r.slot = slots_.take();
  r.generation = next_generation_[r.slot]++;
  r.name = runner_name(pool_, r.slot, r.generation);
  auto& entry = add_entry(std::move(r));
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
    if (r.uncertain) {
      queue_delete(r);
    } else {
      ++count_.cancelled;
      forget(r.name);
    }
  };
  while (surplus > 0 && !creates_.empty()) {
    auto name = std::move(creates_.back());  // the latest queued first
    creates_.pop_back();
    auto* r = lookup(name);
    if (r == nullptr || r->state != runner_state::queued) continue;  // cancelled
    drop_pending(*r);
    --surplus;
  }
  for (auto state : {runner_state::backoff, runner_state::idle, runner_state::creating}) {
    auto& candidates = removable_[removable_index(state)];
    while (surplus > 0 && !candidates.empty()) {
      auto& r = **candidates.begin();
      ++visits_;
      --surplus;
      if (state == runner_state::backoff)
        drop_pending(r);
      else if (state == runner_state::idle)
        queue_delete(r);
      else
        change(r, [](runner_entry& x) { x.unwanted = true; });  // delete once created
    }
  }
  // What is left is busy: never deleted; it finishes and is not replaced.
}

void pool_model::queue_delete(runner_entry& r) {
  change(r, [](runner_entry& x) {
    x.state = runner_state::deleting;
    x.attempts = 0;
  });
  deletes_.push_back(r.name);
}

void pool_model::forget(const std::string& name) {
  auto i = runners_.find(name);
  if (i == runners_.end()) return;
  count(i->second, -1);
  slots_.release(i->second.slot);
  runners_.erase(i);
}

std::optional<pool_job> pool_model::next_job() {
  auto take = [this](std::deque<std::string>& q, job_kind kind,
                     runner_state waiting) -> std::optional<pool_job> {
    while (!q.empty()) {
      auto name = std::move(q.front());
      q.pop_front();
      auto* r = lookup(name);
      if (r == nullptr || r->state != waiting) continue;  // gone or cancelled
      change(*r, [](runner_entry& x) {
        x.state = x.state == runner_state::queued ? runner_state::creating : x.state;
        ++x.attempts;
      });
      return pool_job{kind, r->name, r->slot, r->generation, r->attempts};
    }
    return std::nullopt;
  };
  if (auto job = take(deletes_, job_kind::remove, runner_state::deleting)) return job;
  return take(creates_, job_kind::create, runner_state::queued);
}

void pool_model::on_created(const std::string& name) {
  auto* r = lookup(name);
  if (r == nullptr || r->state != runner_state::creating) return;
  ++count_.created;
  if (r->unwanted) {
    r->uncertain = false;
    r->last_error.clear();
    queue_delete(*r);
    return;
  }
  change(*r, [](runner_entry& x) {
    x.uncertain = false;
    x.last_error.clear();
    x.state = runner_state::idle;
  });
}

void pool_model::on_create_retry(const std::string& name, std::string reason,
                                 bool uncertain) {
  auto* r = lookup(name);
  if (r == nullptr || r->state != runner_state::creating) return;
  r->uncertain = r->uncertain || uncertain;
  r->last_error = std::move(reason);
  if (r->unwanted) {
    if (r->uncertain) {
      queue_delete(*r);
    } else {
      ++count_.cancelled;
      forget(name);
    }
    return;
  }
  change(*r, [](runner_entry& x) { x.state = runner_state::backoff; });
}

void pool_model::on_retry_due(const std::string& name) {
  auto* r = lookup(name);
  if (r == nullptr || r->state != runner_state::backoff) return;
  change(*r, [](runner_entry& x) { x.state = runner_state::queued; });
  creates_.push_front(name);
}

void pool_model::on_create_failed(const std::string& name, std::string reason) {
  auto* r = lookup(name);
  if (r == nullptr || r->state != runner_state::creating) return;
  ++count_.failed;
  r->last_error = std::move(reason);
  if (r->uncertain) {
    queue_delete(*r);  // an earlier attempt may have created it
  } else {
    forget(name);
  }
}

void pool_model::on_deleted(const std::string& name) {
  auto* r = lookup(name);
  if (r == nullptr || r->state != runner_state::deleting) return;
  ++count_.deleted;
  forget(name);
}

void pool_model::on_delete_retry(const std::string& name, std::string reason) {
  auto* r = lookup(name);
  if (r == nullptr || r->state != runner_state::deleting) return;
  r->last_error = std::move(reason);
  deletes_.push_back(name);
}

void pool_model::on_job_started(const std::string& name) {
  auto* r = lookup(name);
  if (r != nullptr && r->state == runner_state::idle)
    change(*r, [](runner_entry& x) { x.state = runner_state::busy; });
}

void pool_model::on_finished(const std::string& name, bool delete_object) {
  auto* r = lookup(name);
  if (r == nullptr) return;
  if (r->state != runner_state::idle && r->state != runner_state::busy) return;
  ++count_.finished;
  if (delete_object)
    queue_delete(*r);
  else
    forget(name);
  reconcile();
}

void pool_model::adopt(const std::string& name, std::uint32_t slot,
                       std::uint32_t generation, bool busy) {
  if (lookup(name) != nullptr) return;
  runner_entry r;
  r.name = name;
  r.slot = slot;
  r.generation = generation;
  r.state = busy ? runner_state::busy : runner_state::idle;
  slots_.hold(slot);
  auto& next = next_generation_[slot];
  next = std::max(next, generation + 1);
  add_entry(std::move(r));
}

void pool_model::adopt_uncertain(const std::string& name, std::uint32_t slot,
                                 std::uint32_t generation) {
  if (lookup(name) != nullptr) return;
  runner_entry r;
  r.name = name;
  r.slot = slot;
  r.generation = generation;
  r.uncertain = true;
  slots_.hold(slot);
  auto& next = next_generation_[slot];
  next = std::max(next, generation + 1);
  add_entry(std::move(r));
  creates_.push_front(name);
}

}  // namespace troupe::fleet
