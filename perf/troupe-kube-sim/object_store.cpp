#include "perf/troupe-kube-sim/object_store.hpp"

namespace troupe::kube_sim {

namespace {

const json& labels_of(const json& object) {
  return object["metadata"]["labels"];
}

std::string label(const json& object, const char* key) {
  const json& value = labels_of(object)[key];
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

}  // namespace

const json* object_store::find(const std::string& collection,
                               const std::string& name) const {
  auto c = collections_.find(collection);
  if (c == collections_.end()) return nullptr;
  auto o = c->second.find(name);
  return o == c->second.end() ? nullptr : &o->second;
}

std::size_t object_store::count(const std::string& collection) const {
  auto c = collections_.find(collection);
  return c == collections_.end() ? 0 : c->second.size();
}

void object_store::put(const std::string& collection, const std::string& name,
                       json object) {
  collections_[collection][name] = std::move(object);
}

std::optional<json> object_store::erase(const std::string& collection,
                                        const std::string& name) {
  auto c = collections_.find(collection);
  if (c == collections_.end()) return std::nullopt;
  auto o = c->second.find(name);
  if (o == c->second.end()) return std::nullopt;
  json object = std::move(o->second);
  c->second.erase(o);
  return object;
}

std::optional<std::string> object_store::locate(const std::string& name) const {
  for (const auto& [collection, objects] : collections_) {
    if (objects.count(name) > 0) return collection;
  }
  return std::nullopt;
}

std::vector<json> object_store::select(const std::string& collection,
                                       const label_selector& s) const {
  bool more = false;
  return select_page(collection, s, "", 0, more);
}

std::vector<json> object_store::select_page(const std::string& collection,
                                            const label_selector& s,
                                            const std::string& after, std::size_t limit,
                                            bool& more) const {
  std::vector<json> out;
  more = false;
  auto c = collections_.find(collection);
  if (c == collections_.end()) return out;
  auto& objects = c->second;
  for (auto i = after.empty() ? objects.begin() : objects.upper_bound(after);
       i != objects.end(); ++i) {
    if (!selector_matches(s, labels_of(i->second))) continue;
    if (limit > 0 && out.size() == limit) {
      more = true;
      break;
    }
    out.push_back(i->second);
  }
  return out;
}

std::uint64_t object_store::total() const {
  std::uint64_t n = 0;
  for (const auto& [collection, objects] : collections_) n += objects.size();
  return n;
}

json object_store::objects_by_pool() const {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& [collection, objects] : collections_) {
    for (const auto& [name, object] : objects) ++counts[label(object, "troupe.dev/pool")];
  }
  json::object_builder out;
  for (const auto& [pool, n] : counts) out.set(pool, n);
  return out.build();
}

std::uint64_t object_store::duplicates() const {
  std::map<std::pair<std::string, std::string>, std::uint64_t> holders;
  for (const auto& [collection, objects] : collections_) {
    for (const auto& [name, object] : objects) {
      std::string pool = label(object, "troupe.dev/pool");
      std::string slot = label(object, "troupe.dev/slot");
      if (!pool.empty() && !slot.empty()) ++holders[{std::move(pool), std::move(slot)}];
    }
  }
  std::uint64_t n = 0;
  for (const auto& [key, count] : holders) {
    if (count > 1) n += count;
  }
  return n;
}

}  // namespace troupe::kube_sim
