#include "actors/fleet/pool_directory.hpp"

#include <algorithm>
#include <cctype>

namespace troupe::fleet {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

actor_key<pool_actor> pool_key(const std::string& pool) {
  return {"pool:" + pool};
}

void pool_directory::put(const std::string& pool, std::vector<std::string> labels) {
  std::lock_guard<std::mutex> guard{mu_};
  pools_[pool] = std::move(labels);
}

bool pool_directory::known(const std::string& pool) const {
  std::lock_guard<std::mutex> guard{mu_};
  return pools_.count(pool) > 0;
}

pool_actor pool_directory::get(caf::actor_system& sys, const std::string& pool) const {
  if (!known(pool)) return {};
  return actor_directory::of(sys).get(pool_key(pool));
}

std::vector<std::string> pool_directory::names() const {
  std::lock_guard<std::mutex> guard{mu_};
  std::vector<std::string> out;
  for (auto& [name, labels] : pools_) out.push_back(name);
  return out;
}

std::string pool_directory::match(const std::vector<std::string>& job_labels) const {
  std::lock_guard<std::mutex> guard{mu_};
  for (auto& [name, labels] : pools_) {
    bool all =
        std::all_of(job_labels.begin(), job_labels.end(), [&](const std::string& want) {
          // GitHub compares runner labels case-insensitively.
          return std::any_of(labels.begin(), labels.end(), [&](const std::string& have) {
            return lower(have) == lower(want);
          });
        });
    if (all && !job_labels.empty()) return name;
  }
  return {};
}

std::string pool_directory::owner_of(const std::string& runner) const {
  std::lock_guard<std::mutex> guard{mu_};
  std::string best;
  for (auto& [name, labels] : pools_)
    if (runner.size() > name.size() + 1 && runner.compare(0, name.size(), name) == 0 &&
        runner[name.size()] == '-' && name.size() > best.size())
      best = name;
  return best;
}

}  // namespace troupe::fleet
