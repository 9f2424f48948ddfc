// reply_keeper: the replies a worker node's action runners produced, by
// call key (action_request::key), kept so that the worker can hand them to
// its coordinator again after the link was lost (the coordinator died or the
// node was declared down while calls were running). Shared by the runners
// of every session; thread-safe. Bounded: the oldest replies go first once
// more than `max_replies` or about `max_bytes` of results are kept.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/workflow.hpp"

namespace troupe::workflow {

class reply_keeper {
 public:
  explicit reply_keeper(std::size_t max_replies = 4096, std::size_t max_bytes = 64 << 20)
      : max_replies_(max_replies), max_bytes_(max_bytes) {}

  // Keeps `reply` for `key` (ignored when the key is empty).
  void keep(const std::string& key, const action_reply& reply);

  // Every reply kept, oldest first.
  std::vector<kept_reply> all() const;

  std::size_t size() const;

  // Forgets every reply (they were handed to the coordinator).
  void clear();

 private:
  struct entry {
    action_reply reply;
    std::size_t bytes;
  };
  mutable std::mutex mu_;
  std::size_t max_replies_, max_bytes_, bytes_ = 0;
  std::deque<std::string> order_;
  std::unordered_map<std::string, entry> replies_;
};

}  // namespace troupe::workflow
