#include "runtime/base/read_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace troupe {

result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    return status::error(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  std::size_t n = 0;
  while (text.size() <= max_bytes && (n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, n);
  bool failed = std::ferror(file) != 0;
  int error = errno;
  std::fclose(file);
  if (failed) return status::error(path + ": cannot read: " + std::strerror(error));
  if (text.size() > max_bytes)
    return status::error(path + ": more than " + std::to_string(max_bytes) + " bytes");
  return text;
}

}  // namespace troupe
