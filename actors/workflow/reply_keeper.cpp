#include "actors/workflow/reply_keeper.hpp"

namespace troupe::workflow {

void reply_keeper::keep(const std::string& key, const action_reply& reply) {
  if (key.empty()) return;
  auto bytes = key.size() + reply.error.size() + reply.result.dump().size();
  std::lock_guard<std::mutex> guard{mu_};
  if (auto i = replies_.find(key); i != replies_.end()) {
    bytes_ -= i->second.bytes;
    i->second = {reply, bytes};
  } else {
    replies_.emplace(key, entry{reply, bytes});
    order_.push_back(key);
  }
  bytes_ += bytes;
  while (!order_.empty() && (replies_.size() > max_replies_ || bytes_ > max_bytes_)) {
    auto i = replies_.find(order_.front());
    if (i != replies_.end()) {
      bytes_ -= i->second.bytes;
      replies_.erase(i);
    }
    order_.pop_front();
  }
}

std::vector<kept_reply> reply_keeper::all() const {
  std::lock_guard<std::mutex> guard{mu_};
  std::vector<kept_reply> out;
  out.reserve(replies_.size());
  for (auto& key : order_)
    if (auto i = replies_.find(key); i != replies_.end())
      out.push_back({key, i->second.reply});
  return out;
}

std::size_t reply_keeper::size() const {
  std::lock_guard<std::mutex> guard{mu_};
  return replies_.size();
}

void reply_keeper::clear() {
  std::lock_guard<std::mutex> guard{mu_};
  replies_.clear();
  order_.clear();
  bytes_ = 0;
}

}  // namespace troupe::workflow
