#include "actors/bench/history_export.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "actors/bench/history_read.hpp"
#include "runtime/base/atomic_file.hpp"

namespace troupe::bench {

namespace {

std::string header(const std::string& platform) {
  return json::object().set("version", 3).set("platform", platform).dump() + "\n";
}

// Appends `text` to `path` and fsyncs it.
status append_synced(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return status::error(path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto why = std::string(std::strerror(errno));
      ::close(fd);
      return status::error(path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) return status::error(path + ": fsync: " + std::strerror(error));
  return status::ok();
}

// The lines of `runs` (a JSON array), and the id of the last one.
std::string lines_of(const json& runs, std::uint64_t& last) {
  std::string out;
  for (auto& r : runs.items()) {
    out += r.dump() + "\n";
    last = static_cast<std::uint64_t>(r["run_id"].as_int());
  }
  return out;
}

}  // namespace

std::optional<std::uint64_t> history_exporter::last_in_file(
    const std::string& platform) const {
  std::ifstream in(path(platform), std::ios::binary);
  if (!in) return std::nullopt;
  // Read only the tail: the last line is shorter than the tail (or the
  // file is smaller than it).
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::int64_t>(in.tellg());
  std::int64_t tail = std::min<std::int64_t>(size, 1 << 22);
  in.seekg(size - tail);
  std::string text(static_cast<std::size_t>(tail), '\0');
  in.read(text.data(), tail);
  if (text.empty() || text.back() != '\n') return std::nullopt;  // torn
  auto start = text.rfind('\n', text.size() - 2);
  if (start == std::string::npos) {
    if (tail != size) return std::nullopt;  // a line longer than the tail
    start = 0;
  } else {
    ++start;
  }
  auto line = json::parse(std::string_view(text).substr(start, text.size() - start - 1));
  if (!line || !line->is_object()) return std::nullopt;
  if (line->contains("version")) {  // the header alone
    if ((*line)["platform"].as_string() != platform) return std::nullopt;
    return 0;
  }
  auto id = line->find("run_id");
  if (!id || !id->is_number()) return std::nullopt;
  return static_cast<std::uint64_t>(id->as_int());
}

status history_exporter::rewrite(store& db, const std::string& platform) {
  auto runs = history_runs(db, platform, 0);
  if (!runs) return runs.error();
  std::uint64_t last = 0;
  auto text = header(platform) + lines_of(*runs, last);
  if (auto st = write_file_atomically(path(platform), text); !st) return st;
  last_[platform] = last;
  return status::ok();
}

status history_exporter::update(store& db, const std::string& platform) {
  auto known = last_.find(platform);
  if (known == last_.end()) {
    auto last = last_in_file(platform);
    if (!last) return rewrite(db, platform);
    known = last_.emplace(platform, *last).first;
  }
  auto runs = history_runs(db, platform, known->second);
  if (!runs) return runs.error();
  if (runs->empty()) return status::ok();
  std::uint64_t last = known->second;
  auto text = lines_of(*runs, last);
  if (auto st = append_synced(path(platform), text); !st) {
    last_.erase(platform);  // unknown now: the next update looks at the file again
    return st;
  }
  known->second = last;
  return status::ok();
}

}  // namespace troupe::bench
