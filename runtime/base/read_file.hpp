// read_file: the whole content of a file, for the readers of documents
// (JSON, YAML). Blocking: call it from a detached actor, an HTTP handler
// thread, a CLI or a test, never from an event-based actor.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "runtime/base/status.hpp"

namespace troupe {

// The bytes of the file at `path`. Errors name the path: "<path>: cannot
// open: <errno text>", "<path>: cannot read: ...", and "<path>: more than
// <max_bytes> bytes" for a larger file (read only that far).
result<std::string> read_file(
    const std::string& path,
    std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

}  // namespace troupe
