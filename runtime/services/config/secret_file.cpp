#include "runtime/services/config/secret_file.hpp"

#include <fstream>

namespace troupe {

namespace {

constexpr std::size_t max_file_size = 64 * 1024;
constexpr const char* space = " \t\r\n";

status refusal(const std::string& path, std::string_view what, const std::string& why) {
  return status::error(path + ": " + why + " (" + std::string(what) + ")");
}

}  // namespace

result<std::string> read_secrets_text(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return refusal(path, what, "cannot read the secret file");
  std::string text(max_file_size + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return refusal(path, what, "cannot read the secret file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_file_size)
    return refusal(path, what, "the secret file is larger than 64 KiB");
  auto last = text.find_last_not_of(space);
  if (last == std::string::npos) return refusal(path, what, "the secret file is empty");
  text.erase(last + 1);
  text.erase(0, text.find_first_not_of(space));
  return text;
}

result<std::string> read_secret_file(const std::string& path, std::string_view what,
                                     std::size_t min_length) {
  auto text = read_secrets_text(path, what);
  if (!text) return text;
  if (text->find_first_of("\r\n") != std::string::npos)
    return refusal(path, what, "the secret file holds more than one line");
  if (text->size() < min_length)
    return refusal(
        path, what,
        "the secret must be at least " + std::to_string(min_length) + " characters");
  return text;
}

}  // namespace troupe
