// json::array_builder and json::object_builder: collect values in plain
// vectors, then build the persistent structures bottom-up once.
#include "runtime/base/json/json_node.hpp"

namespace troupe {

namespace {

// Beyond this many members, object_builder finds duplicate keys with a hash
// table instead of a scan.
constexpr std::size_t kScanLimit = 16;

}  // namespace

json json::array_builder::build() {
  std::vector<json> items;
  items.swap(items_);
  if (items.empty()) return json::array();
  auto* node = new detail::json_array;
  node->items = detail::json_vec::build(items);
  return json(json_type::array, node);
}

std::int64_t json::object_builder::find(std::string_view key, std::uint32_t hash) const {
  if (table_.empty()) {
    for (std::size_t e = 0; e < hashes_.size(); ++e) {
      if (hashes_[e] == hash && slots_[2 * e].as_string() == key) {
        return static_cast<std::int64_t>(e);
      }
    }
    return -1;
  }
  std::size_t mask = table_.size() - 1;
  for (std::size_t i = hash & mask; table_[i] != 0; i = (i + 1) & mask) {
    std::size_t e = table_[i] - 1;
    if (hashes_[e] == hash && slots_[2 * e].as_string() == key) {
      return static_cast<std::int64_t>(e);
    }
  }
  return -1;
}

void json::object_builder::add_to_table(std::uint32_t entry) {
  std::size_t mask = table_.size() - 1;
  std::size_t i = hashes_[entry] & mask;
  while (table_[i] != 0) i = (i + 1) & mask;
  table_[i] = entry + 1;
}

bool json::object_builder::set(std::string_view key, json value) {
  std::uint32_t hash = detail::key_hash(key);
  if (std::int64_t e = find(key, hash); e >= 0) {
    slots_[2 * static_cast<std::size_t>(e) + 1] = std::move(value);
    return false;
  }
  auto entry = static_cast<std::uint32_t>(hashes_.size());
  slots_.emplace_back(key);
  slots_.push_back(std::move(value));
  hashes_.push_back(hash);
  if (hashes_.size() > kScanLimit && 2 * hashes_.size() > table_.size()) {
    // Past the scan limit, or the table is half full: (re)build it twice as big.
    std::size_t size = 64;
    while (size < 4 * hashes_.size()) size *= 2;
    table_.assign(size, 0);
    for (std::uint32_t e = 0; e < hashes_.size(); ++e) add_to_table(e);
  } else if (!table_.empty()) {
    add_to_table(entry);
  }
  return true;
}

json json::object_builder::build() {
  std::vector<json> slots;
  std::vector<std::uint32_t> hashes;
  slots.swap(slots_);
  hashes.swap(hashes_);
  table_.clear();
  if (hashes.empty()) return json::object();
  auto* node = new detail::json_object;
  node->count = hashes.size();
  if (hashes.size() > detail::kSmallObject) {
    std::vector<detail::index_entry> entries(hashes.size());
    for (std::size_t e = 0; e < hashes.size(); ++e) {
      entries[e] = {hashes[e], static_cast<std::uint32_t>(e)};
    }
    node->index = detail::index_build(entries);
  }
  node->slots = detail::json_vec::build(slots);
  return json(json_type::object, node);
}

}  // namespace troupe
