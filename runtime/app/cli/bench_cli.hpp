// bench_cli: what the `troupe bench` commands share (runtime/app/cli/bench.hpp)
// beyond the options every command shares (runtime/app/cli/options.hpp): git.
#pragma once

#include <string>
#include <vector>

#include "runtime/app/cli/command_line.hpp"
#include "runtime/base/status.hpp"

namespace troupe {
class process_service;
}

namespace troupe::cli {

// Runs git with `args` in `repo` and returns its stdout (at most 16 MiB).
result<std::string> git(process_service& ps, const std::string& repo,
                        std::vector<std::string> args);

// Adds `troupe bench compare` to `bench` (runtime/app/cli/bench_compare.cpp).
void add_bench_compare(command_line& cli, CLI::App& bench);

}  // namespace troupe::cli
