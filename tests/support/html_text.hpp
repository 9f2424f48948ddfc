// Reading rendered HTML in tests (the bench dashboard): how often a string
// occurs, and the text of the element with a given id. Plain string search,
// enough for markup troupe writes itself; not an HTML parser.
#pragma once

#include <cstddef>
#include <string>

namespace troupe::testing {

// Non-overlapping-start occurrences of `needle` (non-empty) in `text`.
std::size_t count_of(const std::string& text, const std::string& needle);

// The text of the element with id="<id>", up to the next '<'; "" if absent.
std::string text_by_id(const std::string& html, const std::string& id);

}  // namespace troupe::testing
