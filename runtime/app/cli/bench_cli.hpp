// bench_cli: what the `troupe bench` commands share (runtime/app/cli/bench.hpp):
// their argument parser, the API connection and git.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/app/cli/api_client.hpp"
#include "runtime/base/status.hpp"

namespace troupe {
class process_service;
}

namespace troupe::bench_cli {

using options = std::map<std::string, std::string>;

// "--key=value" or "--key value" arguments; nullopt on anything else or an
// unknown key. A key given twice keeps its last value.
std::optional<options> parse(const std::vector<std::string>& args,
                             std::initializer_list<const char*> keys);

// The node's API, from --server and --token-file; null (after a message on
// stderr) when the URL is unusable.
std::unique_ptr<api_client> connect(options& o);

// Runs git with `args` in `repo` and returns its stdout (at most 16 MiB).
result<std::string> git(process_service& ps, const std::string& repo,
                        std::vector<std::string> args);

// troupe bench compare (runtime/app/cli/bench_compare.cpp).
int compare(const std::vector<std::string>& args, const char* usage);

}  // namespace troupe::bench_cli
