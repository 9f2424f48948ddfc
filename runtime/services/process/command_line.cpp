#include "runtime/services/process/command_line.hpp"

namespace troupe {

namespace {

bool is_safe(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '_':
    case '@':
    case '%':
    case '+':
    case '=':
    case ':':
    case ',':
    case '.':
    case '/':
    case '-':
      return true;
    default:
      return false;
  }
}

void append_quoted(std::string& line, const std::string& arg) {
  bool bare = !arg.empty();
  for (char c : arg) bare = bare && is_safe(c);
  if (bare) {
    line += arg;
    return;
  }
  line += '\'';
  for (char c : arg) {
    if (c == '\'') {
      line += "'\\''";
    } else {
      line += c;
    }
  }
  line += '\'';
}

}  // namespace

std::string render_command(const std::vector<std::string>& argv) {
  std::string line;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) line += ' ';
    append_quoted(line, argv[i]);
  }
  return line;
}

}  // namespace troupe
