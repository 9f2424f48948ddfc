// write_file_atomically: replaces a file so that readers (and a crash) see
// either the old content or the new, never a mix: the content goes to a
// temporary file beside it, which is fsynced, renamed over the target, and
// the directory fsynced. Blocking: call it from a detached actor, a CLI or
// a test, never from an event-based actor.
#pragma once

#include <string>

#include "runtime/base/status.hpp"

namespace troupe {

// Creates the parent directories as needed. Errors name the path and errno.
status write_file_atomically(const std::string& path, const std::string& content);

}  // namespace troupe
