// The heap nodes behind troupe::json (internal to runtime/base/json/json*.cpp).
//
// Every node starts with detail::json_node (reference count + kind). Nodes
// are immutable once published; an operation that "changes" a value builds
// new nodes for the changed path and retains the unchanged children.
//
//   string  : length + bytes + a NUL, one allocation.
//   array   : a json_vec of the elements.
//   object  : a json_vec of slots (key0, value0, key1, value1, ...) in
//             insertion order, where an erased member leaves a tombstone (a
//             null key), plus, for more than kSmallObject entries, an index:
//             a CHAMP trie from the 32-bit hash of a key to its entry number.
//   leaf, branch            : the trie of a json_vec.
//   index_map, index_collision : the nodes of an object's index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/base/json/json.hpp"

namespace troupe::detail {

enum node_kind : std::uint8_t {
  kind_string,
  kind_array,
  kind_object,
  kind_leaf,
  kind_branch,
  kind_index_map,
  kind_index_collision,
};

constexpr unsigned kVecBits = 5;
constexpr std::size_t kVecWidth = 1u << kVecBits;  // 32
constexpr std::size_t kVecMask = kVecWidth - 1;

struct json_string final : json_node {
  json_string() : json_node(kind_string) {}
  std::size_t size = 0;
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const { return {data(), size}; }
};

// Allocates a string node holding a copy of `s` and a NUL (reference count 1).
const json_string* make_json_string(std::string_view s);

// `capacity` json slots follow the node in memory: 32 for the leaves of the
// trie, just enough for a tail (so that small arrays and objects stay small).
struct json_leaf final : json_node {
  explicit json_leaf(std::size_t capacity) : json_node(kind_leaf), capacity(capacity) {}
  std::size_t capacity;
  json* items() { return reinterpret_cast<json*>(this + 1); }
  const json* items() const { return reinterpret_cast<const json*>(this + 1); }
};

static_assert(sizeof(json_leaf) % alignof(json) == 0, "slots must be aligned");

// A leaf of `capacity` null slots (reference count 1).
json_leaf* make_json_leaf(std::size_t capacity);
void destroy_json_leaf(const json_leaf* leaf);

struct json_branch final : json_node {
  json_branch() : json_node(kind_branch) {}
  const json_node* children[kVecWidth] = {};  // json_branch or json_leaf
};

// A persistent vector of json: a 32-way trie of full leaves plus a tail leaf
// holding the last 1..32 elements. Copying a json_vec retains its root and
// tail; every operation returns a new json_vec and leaves this one intact.
class json_vec {
 public:
  json_vec() = default;
  json_vec(const json_vec& other);
  json_vec(json_vec&& other) noexcept;
  json_vec& operator=(json_vec other) noexcept;
  ~json_vec();

  std::size_t size() const { return size_; }
  // Requires i < size(). O(log32 n).
  const json& at(std::size_t i) const { return leaf(i)[i & kVecMask]; }
  // The 32 slots of the leaf that holds index i (i < size()).
  const json* leaf(std::size_t i) const;

  json_vec push_back(json value) const;
  // Requires i < size().
  json_vec set(std::size_t i, json value) const;
  // A vector of `items` in order, built bottom-up in O(n); moves from items.
  static json_vec build(std::vector<json>& items);

 private:
  std::size_t tail_offset() const {
    return size_ < kVecWidth ? 0 : ((size_ - 1) >> kVecBits) << kVecBits;
  }

  std::size_t size_ = 0;
  unsigned shift_ = kVecBits;          // level of root's children, in bits
  const json_branch* root_ = nullptr;  // null when size_ <= 32
  const json_leaf* tail_ = nullptr;    // null when size_ == 0
};

struct json_array final : json_node {
  json_array() : json_node(kind_array) {}
  json_vec items;
};

// One entry of an object's index: the hash of a key and the entry number of
// the member (its key is slot 2 * entry).
struct index_entry {
  std::uint32_t hash;
  std::uint32_t entry;
};

// A CHAMP node: `datamap` marks the 5-bit hash chunks that hold an entry
// inline, `nodemap` those that hold a child node. Followed in memory by
// popcount(datamap) entries, then popcount(nodemap) child pointers. A
// collision node (all hash bits used) holds `datamap` entries with equal
// hashes and no children.
struct index_node final : json_node {
  explicit index_node(std::uint8_t kind) : json_node(kind) {}
  std::uint32_t datamap = 0;
  std::uint32_t nodemap = 0;

  std::uint32_t entry_count() const;
  std::uint32_t child_count() const;
  index_entry* entries() { return reinterpret_cast<index_entry*>(this + 1); }
  const index_entry* entries() const {
    return reinterpret_cast<const index_entry*>(this + 1);
  }
  const index_node** children() {
    return reinterpret_cast<const index_node**>(entries() + entry_count());
  }
  const index_node* const* children() const {
    return reinterpret_cast<const index_node* const*>(entries() + entry_count());
  }
};
static_assert(sizeof(index_node) % alignof(index_node*) == 0 && sizeof(index_entry) == 8,
              "children must be aligned after any number of entries");

// Objects with at most this many entries have no index (a linear scan over a
// handful of keys beats hashing).
constexpr std::size_t kSmallObject = 8;

struct json_object final : json_node {
  json_object() : json_node(kind_object) {}
  ~json_object();
  json_vec slots;                     // 2 per entry: key (string json or null), value
  const index_node* index = nullptr;  // null iff entries() <= kSmallObject
  std::size_t count = 0;              // live members
  std::size_t entries() const { return slots.size() / 2; }
};

// The hash of a key (used by the index; stable, not seeded).
std::uint32_t key_hash(std::string_view key);
// 64-bit hash of bytes (stable, not seeded).
std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t seed);

// Index operations. Every returned node is new (count 1) or retained; the
// caller owns the returned reference. `slots` resolves entry numbers to keys.
// Returns the entry number of `key`, or -1.
std::int64_t index_find(const index_node* root, std::uint32_t hash, std::string_view key,
                        const json_vec& slots);
// Adds an entry whose key is known to be absent.
const index_node* index_insert(const index_node* root, index_entry e);
// Removes the entry `e` (known to be present); null when the index empties.
const index_node* index_remove(const index_node* root, index_entry e);
// An index of `entries` (distinct keys), built in O(n log n); reorders entries.
const index_node* index_build(std::vector<index_entry>& entries);
void index_destroy(const index_node* n);

}  // namespace troupe::detail
