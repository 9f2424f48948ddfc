// output_buffer: the captured part of one output stream of a child process.
// Keeps the first `limit` bytes and counts (but drops) the rest, so a chatty
// child costs bounded memory while its pipe is still drained and it never
// blocks on a full pipe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace troupe {

class output_buffer {
 public:
  explicit output_buffer(std::size_t limit) : limit_(limit) {}

  // Keeps as much of data[0, n) as still fits under the limit.
  void append(const char* data, std::size_t n) {
    total_ += n;
    if (kept_.size() < limit_) {
      std::size_t room = limit_ - kept_.size();
      kept_.append(data, n < room ? n : room);
    }
  }

  // True when bytes were dropped.
  bool truncated() const { return total_ > kept_.size(); }
  // Bytes seen, kept or not.
  std::uint64_t total() const { return total_; }
  // Moves the kept bytes out; the buffer is empty afterwards.
  std::string take() { return std::move(kept_); }

 private:
  std::size_t limit_;
  std::string kept_;
  std::uint64_t total_ = 0;
};

}  // namespace troupe
