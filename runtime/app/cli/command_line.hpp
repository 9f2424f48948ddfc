// command_line: troupe's one command line parser (CLI11). Each command adds
// itself as a CLI11 subcommand with its options bound to its own state, and
// an action that runs once the whole command line parsed: parsing never
// runs a command, and a command runs only with arguments that parsed.
//
// What every command keeps:
//   - `--help` (or `-h`) prints the command's usage on stdout, exit 0;
//   - a usage error (unknown option or command, a value that does not parse
//     or fails its check, a required argument missing) prints the problem,
//     naming the argument, and the command's usage on stderr, exit 2;
//   - both `--key=value` and `--key value`; a single-valued option given
//     twice keeps its last value (as the hand-written parsers did);
//   - every other exit code is the action's.
// A command checks what CLI11 cannot (one option of two required, ...) in
// its CLI11 callback(), which runs after the help flags and the required
// arguments, and throws a CLI::ParseError (CLI::ValidationError,
// CLI::RequiredError) to make it a usage error like the others.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace troupe::cli {

constexpr int exit_usage = 2;

// A command's work, run after a successful parse; returns the exit code.
using action = std::function<int()>;
// The same for a command that takes its arguments verbatim (see below).
using verbatim_action = std::function<int(const std::vector<std::string>& args)>;

class command_line {
 public:
  // `about`: the program's description, shown by `troupe --help`.
  explicit command_line(const std::string& about);

  // The program itself: add_command's parent for a top-level command.
  CLI::App& root() { return root_; }

  // Adds command `name` to `parent` (root() or a group); `run` runs when
  // the command line chose it. Its options are added to the result.
  CLI::App* add_command(CLI::App& parent, const std::string& name,
                        const std::string& about, action run);

  // Adds a command that has commands of its own (bench, store): choosing it
  // without one of them is a usage error.
  CLI::App* add_group(CLI::App& parent, const std::string& name,
                      const std::string& about);

  // Adds a top-level command whose arguments are not CLI11's: `run` gets
  // every argument after the command's name exactly as given. CLI11 chooses
  // the command by its name and never reads what follows (not even `--`,
  // `++` or `--help`, which it would still read behind prefix_command()).
  CLI::App* add_verbatim(const std::string& name, const std::string& about,
                         verbatim_action run);

  // Parses argv (argv[0] is the program) and runs the chosen command;
  // returns the exit code (see the top of this file).
  int run(int argc, const char* const* argv);

 private:
  CLI::App root_;
  std::map<const CLI::App*, action> actions_;
  std::map<const CLI::App*, verbatim_action> verbatim_;
};

}  // namespace troupe::cli
