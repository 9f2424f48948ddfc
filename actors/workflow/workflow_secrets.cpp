#include "actors/workflow/workflow_secrets.hpp"

#include <caf/config_value.hpp>
#include <cctype>

#include "runtime/services/config/secret_file.hpp"
#include "runtime/services/config/settings_reader.hpp"

namespace troupe::workflow {

namespace {

constexpr std::size_t secret_min_length = 8;

bool valid_secret_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      return false;
  return true;
}

}  // namespace

void declare_workflow_secrets(node_config& cfg) {
  cfg.dynamic_section("workflow.secrets");
}

result<http_secrets> read_workflow_secrets(const node_config& cfg) {
  http_secrets secrets;
  auto dict = dynamic_entries(cfg, "workflow.secrets", "name=\"<file>\" entries");
  if (!dict) return dict.error();
  if (*dict == nullptr) return secrets;
  for (auto& [name, value] : **dict) {
    auto key = "workflow.secrets." + name;
    if (!valid_secret_name(name))
      return status::error(cfg.origin(key) + ": key '" + key +
                           "': a secret's name is 1-64 letters, digits, '_' or '-'");
    auto* path = caf::get_if<std::string>(&value);
    if (path == nullptr || path->empty())
      return status::error(cfg.origin(key) + ": key '" + key +
                           "' expects the name of the file holding the secret");
    auto secret =
        read_secret_file(*path, cfg.origin(key) + ": " + key, secret_min_length);
    if (!secret) return secret.error();
    secrets.emplace(name, std::move(*secret));
  }
  return secrets;
}

}  // namespace troupe::workflow
