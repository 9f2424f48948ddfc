#include "runtime/base/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace troupe {

namespace {

status fail(const std::string& what, const std::string& path) {
  return status::error(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

status write_file_atomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  auto target = fs::path(path);
  auto dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return status::error(dir.string() + ": " + ec.message());
  auto temp = target.string() + ".tmp-" + std::to_string(getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail("cannot create", temp);
  std::size_t done = 0;
  while (done < content.size()) {
    auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto st = fail("cannot write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return st;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    auto st = fail("cannot sync", temp);
    ::unlink(temp.c_str());
    return st;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    auto st = fail("cannot rename into place", path);
    ::unlink(temp.c_str());
    return st;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return status::ok();
}

}  // namespace troupe
