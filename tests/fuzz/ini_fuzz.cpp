// libFuzzer target for the node's INI file: arbitrary bytes parsed by CAF's
// INI parser (the first step of `troupe node --config-file=...`), then
// indexed by troupe's ini_index, and every key CAF found looked up there as
// an error message would ("file:line" of the key or its closest parent). Any
// crash, sanitizer report or timeout is a bug.
//
// Not here: node_config::load's validation of the parsed values. It runs CAF's
// config_option checks, and Debian's libcaf (built by GCC) called from code
// built by clang crashes in them on any valid uint, bool or list option
// (a null check function; reproduced outside the fuzzer with a plain
// clang++ program, fine with g++). tests/runtime/services/config covers validation.
//
// Built by tests/fuzz/CMakeLists.txt and run by tests/fuzz/run_fuzz.sh (the
// CTest test ini_fuzz); seeds: the files in config/.
#include <caf/actor_system_config.hpp>
#include <caf/config_value.hpp>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "runtime/services/config/ini_index.hpp"

namespace {

int keys_seen = 0;

void look_up(const troupe::ini_index& index, const caf::settings& dict,
             const std::string& prefix) {
  for (auto& [key, value] : dict) {
    auto name = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
    keys_seen += index.line_of(name) >= 0;
    if (caf::holds_alternative<caf::settings>(value))
      look_up(index, caf::get<caf::settings>(value), name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  troupe::ini_index index(text);
  std::istringstream in(text);
  auto parsed = caf::actor_system_config::parse_config(in);
  if (parsed) look_up(index, *parsed, "");
  return 0;
}
