// Logging: one spdlog logger for the whole node, writing to stderr as text
// (for terminals) or JSON lines (for collectors). Every line carries the node
// name. Debian's CAF compiles its own logger out, so everything logs here.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

#include "runtime/base/status.hpp"
#include "runtime/services/config/settings.hpp"

namespace troupe {

// Installs the default spdlog logger for node `node_name`. Safe to call again
// (a later call replaces the logger). Level and format are validated by
// node_config before this runs.
void init_logging(const std::string& node_name, const log_settings& settings);

}  // namespace troupe
