#include "tests/support/html_text.hpp"

namespace troupe::testing {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1))
    ++n;
  return n;
}

std::string text_by_id(const std::string& html, const std::string& id) {
  auto at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  auto start = html.find('>', at);
  if (start == std::string::npos) return "";
  ++start;
  return html.substr(start, html.find('<', start) - start);
}

}  // namespace troupe::testing
