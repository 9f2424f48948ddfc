#include "runtime/services/config/secret_file.hpp"

#include <fstream>

namespace troupe {

namespace {

constexpr std::size_t max_file_size = 64 * 1024;

}  // namespace

result<std::string> read_secret_file(const std::string& path, std::string_view what,
                                     std::size_t min_length) {
  auto refuse = [&](const std::string& why) {
    return status::error(path + ": " + why + " (" + std::string(what) + ")");
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return refuse("cannot read the secret file");
  std::string text(max_file_size + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return refuse("cannot read the secret file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_file_size) return refuse("the secret file is larger than 64 KiB");
  constexpr const char* space = " \t\r\n";
  auto last = text.find_last_not_of(space);
  if (last == std::string::npos) return refuse("the secret file is empty");
  text.erase(last + 1);
  text.erase(0, text.find_first_not_of(space));
  if (text.find_first_of("\r\n") != std::string::npos)
    return refuse("the secret file holds more than one line");
  if (text.size() < min_length)
    return refuse("the secret must be at least " + std::to_string(min_length) +
                  " characters");
  return text;
}

}  // namespace troupe
