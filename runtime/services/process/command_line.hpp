// Rendering an argv vector as one shell-style line, for logs and error
// messages only: the process service never runs commands through a shell.
#pragma once

#include <string>
#include <vector>

namespace troupe {

// Joins `argv` with spaces, quoting each argument the way a POSIX shell would
// need it to read it back literally: arguments made only of safe characters
// (letters, digits and _@%+=:,./-) stay bare; every other one, and the empty
// string, is wrapped in single quotes, with ' written as '\''. Example:
// {"printf", "%s\n", "it's"} → printf '%s\n' 'it'\''s' (with a real newline).
std::string render_command(const std::vector<std::string>& argv);

}  // namespace troupe
