#include "runtime/services/http/api_tokens.hpp"

#include <cctype>
#include <set>

#include "runtime/services/config/secret_file.hpp"

namespace troupe {

namespace {

constexpr std::size_t min_token_length = 16;

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    auto start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
    if (pos > start) out.push_back(line.substr(start, pos - start));
  }
  return out;
}

bool is_name(std::string_view name) {
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return false;
  return !name.empty();
}

}  // namespace

result<std::vector<api_token>> parse_api_tokens(std::string_view text,
                                                std::string_view source) {
  std::vector<api_token> out;
  std::set<std::string> names, secrets;
  std::size_t line_no = 0, bare = 0;
  while (!text.empty()) {
    ++line_no;
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto fields = fields_of(line);
    if (fields.empty() || fields[0][0] == ';' || fields[0][0] == '#') continue;
    auto at = std::string(source) + ":" + std::to_string(line_no) + ": ";
    api_token token;
    if (fields.size() == 1) {
      ++bare;
      token = {"default", http_access::admin, std::string(fields[0])};
    } else if (fields.size() == 3) {
      auto scope = parse_scope(fields[1]);
      if (!scope)
        return status::error(at + "unknown scope '" + std::string(fields[1]) +
                             "' (read, operate or admin)");
      if (!is_name(fields[0]))
        return status::error(at + "a token's name is letters, digits, '.', '_' or '-'");
      token = {std::string(fields[0]), *scope, std::string(fields[2])};
    } else {
      return status::error(at + "expected \"<name> <scope> <token>\"");
    }
    if (token.secret.size() < min_token_length)
      return status::error(at + "the token must be at least " +
                           std::to_string(min_token_length) + " characters");
    if (!names.insert(token.name).second)
      return status::error(at + "a second token named '" + token.name + "'");
    if (!secrets.insert(token.secret).second)
      return status::error(at + "the same token as an earlier line");
    out.push_back(std::move(token));
  }
  if (bare > 0 && out.size() > 1)
    return status::error(
        std::string(source) +
        ": a bare token (no name and scope) must be the file's only one");
  if (out.empty()) return status::error(std::string(source) + ": no token");
  return out;
}

result<std::vector<api_token>> read_api_tokens(const std::string& path,
                                               std::string_view what) {
  auto text = read_secrets_text(path, what);
  if (!text) return text.error();
  auto tokens = parse_api_tokens(*text, path);
  if (!tokens)
    return status::error(tokens.error().message() + " (" + std::string(what) + ")");
  return tokens;
}

}  // namespace troupe
