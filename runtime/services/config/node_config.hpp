// node_config: the whole configuration of a troupe node. It is CAF's
// actor_system_config (INI file via --config-file, --key=value overrides,
// --dump-config, --help) plus the validation CAF 0.17 lacks: unknown keys,
// wrong types and out-of-range values are errors that name file, line and key.
#pragma once

#include <caf/actor_system_config.hpp>
#include <deque>
#include <string>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/config/ini_index.hpp"
#include "runtime/services/config/settings.hpp"

namespace troupe {

class node_config : public caf::actor_system_config {
 public:
  node_settings node;
  http_settings http;
  log_settings log;
  store_settings store;
  cluster_settings cluster;
  webhook_settings webhooks;

  node_config();

  // Parses `args` (without the program name and subcommand). On error the
  // status holds one line naming the file, line where known, key and what
  // was expected; nothing of the node has started. When --help or
  // --dump-config was given, CAF printed the text and `printed_help()` is set.
  status load(const std::vector<std::string>& args);

  bool printed_help() const { return cli_helptext_printed; }

  // Declares a troupe option group (an INI section) for a subsystem; call
  // before load(). Its keys are then validated like the node's own.
  caf::config_option_adder section(const std::string& name);

  // Declares `prefix` ("fleet.pools") as holding user-named entries (one map
  // per pool) that the generic validation skips; the subsystem validates them
  // from `content` after load(), naming places with origin().
  void dynamic_section(const std::string& prefix);

  // The config file actually read ("" when none).
  const std::string& file() const { return file_; }

  // Every troupe option (not CAF's own) with its current value, by
  // "section.key", in declaration order.
  std::vector<std::pair<std::string, caf::config_value>> values() const;

  // "file:line" where `key` is set, "command line" when overridden there,
  // or "default".
  std::string origin(const std::string& key) const;

 private:
  status check_ranges() const;

  std::string file_;
  ini_index index_;
  std::vector<std::string> cli_keys_;
  std::deque<std::string> sections_;  // troupe's own option groups (stable addresses)
  std::vector<std::string> dynamic_;  // prefixes validated by subsystems
};

}  // namespace troupe
